"""Real crawls of the demo shop behind walls: throttling, captchas, challenges, soft blocks.

A block page is never a listing and never "no listings": the run counts it, retries it after
a pause, stops when the walls keep coming, and says so in its status and the CLI's exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from demomarket import CATALOG, Catalog, DemoMarket, Fault, FaultPlan
from tests.crawler.crawl_support import SEARCH, crawl, listing_ids

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def test_429_with_retry_after_backs_off_then_succeeds(tmp_path: Path) -> None:
    plan = FaultPlan({SEARCH: Fault("429", times=2, retry_after=1)})
    with DemoMarket(faults=plan) as market:
        result, run = crawl(tmp_path / "home", market, retry_times=2)
        hits = [r for r in market.requests if r.path == SEARCH]
    assert result.returncode == 0, result.stdout + result.stderr
    assert [hit.status for hit in hits] == [429, 429, 200]
    assert hits[1].time - hits[0].time >= 0.95  # Retry-After: 1
    assert hits[2].time - hits[1].time >= 0.95
    assert run.status == "finished"
    assert run.counters["blocked_pages"] == 2
    assert run.counters["blocked_pages/rate_limited"] == 2
    assert run.counters["blocked_lost"] == 0
    assert listing_ids(tmp_path / "home") == {"1031", "1033", "1035"}


def test_captcha_page_is_blocked_not_a_listing(tmp_path: Path) -> None:
    plan = FaultPlan({"/item/1033": Fault("captcha")})
    with DemoMarket(faults=plan) as market:
        result, run = crawl(tmp_path / "home", market)
    assert listing_ids(tmp_path / "home") == {"1031", "1035"}  # no listing made of the wall
    assert run.counters["blocked_pages/captcha"] == 2  # the page and its one retry
    assert run.counters["blocked_lost"] == 1
    assert run.counters["errors"] == 0
    assert run.status == "partial: blocked"
    assert result.returncode == 1
    assert "partial: blocked: 1 page(s) of demo" in result.stderr


def test_breaker_stops_the_crawl_as_blocked(tmp_path: Path) -> None:
    plan = FaultPlan({"/search*": Fault("challenge"), "/item/*": Fault("challenge")})
    with DemoMarket(faults=plan) as market:
        result, run = crawl(tmp_path / "home", market, retry_times=5)
        served = [r for r in market.requests if r.path.startswith(("/search", "/item"))]
    assert run.status == "blocked"
    assert run.counters["blocked_pages/challenge"] == 3  # max_consecutive_blocks, no more
    assert len(served) == 3
    assert result.returncode == 1
    assert "blocked: demo answered block or captcha pages" in result.stderr
    assert "incomplete, not empty" in result.stderr
    assert listing_ids(tmp_path / "home") == set()


def test_sudden_zero_listings_is_suspected_blocked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with DemoMarket() as market:
        first, run = crawl(home, market)
        assert first.returncode == 0, first.stdout + first.stderr
        assert run.counters["blocked_suspect"] == 0
        market.faults.add(SEARCH, Fault("empty"))
        second, run = crawl(home, market)
    assert run.counters["blocked_suspect"] == 1
    assert run.status == "partial: blocked"
    assert second.returncode == 1
    assert "1 list page(s) of demo suddenly listed nothing" in second.stderr


def test_real_empty_results_are_not_suspected(tmp_path: Path) -> None:
    """The profile's empty_results marker ("0 results") says the shelf really is empty."""
    home = tmp_path / "home"
    with DemoMarket() as market:
        first, _ = crawl(home, market)
    assert first.returncode == 0, first.stdout + first.stderr
    gone = {"1031", "1033", "1035"}
    items = tuple(item for item in CATALOG.items if item.id not in gone)
    emptied = Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), items)
    with DemoMarket(catalog=emptied) as market:  # another port: yields are kept by path
        second, run = crawl(home, market)
    assert run.counters["blocked_suspect"] == 0
    assert run.status == "finished"
    assert second.returncode == 0, second.stdout + second.stderr
