"""A crawl whose detection runs on worker processes flags exactly what the demo shop's ground
truth says (the in-process crawl is held to the same truth in tests/ipwatch/test_ipwatch_demo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from demomarket import DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.testing import expected_flagged
from tests.support import findings_json, run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def test_crawl_with_two_detection_workers_flags_the_ground_truth(tmp_path: Path) -> None:
    home = tmp_path / "home"
    kit = write_brand_kit(tmp_path / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    (home / "ipwatch.yaml").write_text("detection:\n  workers: 2\n")
    with DemoMarket() as market:
        result = run_ipwatch(
            home,
            "crawl",
            "demo",
            "--base-url",
            market.base_url,
            "--allow-private-host",
            "127.0.0.1",
        )
    assert result.returncode == 0, result.stdout + result.stderr
    flagged = {f["listing_id"].split(":", 1)[1] for f in findings_json(home) if f["flagged"]}
    assert flagged == expected_flagged()
    assert (home / "cache" / "detect.sqlite").is_file()
