"""With ``detection.workers: 0`` the crawl builds its detector for the first listing it must
score: a first crawl builds one, a re-crawl of the unchanged shop none."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from demomarket import DemoMarket
from tests.crawler.crawl_support import crawl

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def test_a_recrawl_of_unchanged_listings_builds_no_detector(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with DemoMarket() as market:
        _, first = crawl(home, market)
        market.reset()
        _, again = crawl(home, market)
    assert first.counters["listings"] == 3 and "detect_skipped" not in first.counters
    assert first.counters["detector_built"] == 1
    assert again.counters["detect_skipped"] == again.counters["listings"] == 3
    assert again.counters.get("detector_built", 0) == 0
