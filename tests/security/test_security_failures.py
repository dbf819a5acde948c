"""When sealing fails (a full disk), the crawl says so in one line, exits non-zero, logs no page
content, and the next crawl seals what was missed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import yaml

from tests.security.hostile import HostileSite, write_profile
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path

# The crawl as `ipwatch crawl` runs it, with every seal failing as on a full disk.
DISK_FULL = """
import errno, sys
import crawler.pipelines.evidence as evidence

def full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")

evidence.seal = full
from ipwatch.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_disk_full_while_sealing_fails_loudly_without_leaking_page_content(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    registry = tmp_path / "registry.yaml"
    mark = {"id": "nova", "kind": "word_mark", "name": "NOVAFLEX", "authorized_sellers": ["acme"]}
    registry.write_text(yaml.safe_dump({"owners": [{"name": "Acme", "assets": [mark]}]}))
    assert run_ipwatch(home, "assets", "import", str(registry)).returncode == 0
    (home / "ipwatch.yaml").write_text("detection:\n  threshold: 0.1\n")  # flag it
    page = (
        "<html><body><h1>NOVAFLEX running shoes</h1><p>SECRET-PAGE-BODY</p>"
        '<span itemprop="seller">shady</span></body></html>'
    )
    deals = '<div class="deal-card"><a href="/item/1">x</a></div>'
    with HostileSite({"/deals": deals, "/item/1": page}) as shop:
        profile = write_profile(
            tmp_path / "shop.yaml",
            shop.base_url,
            render="http",
            item_id='"/item/([0-9]+)"',
            fields='{title: "h1::text"}',
        )
        crawl = ("crawl", str(profile), "--allow-private-host", f"127.0.0.1:{shop.port}")
        env = {**os.environ, "COLUMNS": "200", "IPWATCH_HOME": str(home)}
        env.pop("IPWATCH_INDEX", None)
        full = subprocess.run(
            [sys.executable, "-c", DISK_FULL, "--home", str(home), *crawl],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
            check=False,
        )
        assert full.returncode == 1, full.stdout + full.stderr
        assert "were not sealed" in full.stderr and "disk is full" in full.stderr
        assert "Traceback" not in full.stderr
        assert "SECRET-PAGE-BODY" not in full.stdout + full.stderr

        again = run_ipwatch(home, *crawl)
    assert again.returncode == 0, again.stdout + again.stderr
    runs = run_ipwatch(home, "runs", "list", "--json")
    latest = json.loads(runs.stdout.splitlines()[0])["counters"]
    assert latest["snapshots"] == 1
