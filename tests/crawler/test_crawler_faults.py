"""A real crawl through throttling, server errors, dropped, truncated, slow and broken pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demomarket import DemoMarket, Fault, FaultPlan
from demomarket.brandkit import write_brand_kit
from demomarket.testing import ground_truth
from store import open_store
from tests.support import run_ipwatch

pytestmark = pytest.mark.slow

ALWAYS_500 = "1002"
ALWAYS_TRUNCATED = "1033"
RECOVERS = {"1010": "500", "1011": "drop", "1012": "truncate", "1013": "503"}
MALFORMED = "1014"
SLOW = "1015"


@pytest.fixture(scope="module")
def faulty_market() -> Iterator[DemoMarket]:
    plan = FaultPlan(
        {
            "/search?q=novaflex": Fault("429", times=2, retry_after=1),
            f"/item/{ALWAYS_500}": Fault("500"),
            f"/item/{ALWAYS_TRUNCATED}": Fault("truncate"),
            f"/item/{MALFORMED}": Fault("malformed"),
            f"/item/{SLOW}": Fault("slow", delay=1.5),
            **{f"/item/{item}": Fault(kind, times=1) for item, kind in RECOVERS.items()},  # type: ignore[arg-type]
        }
    )
    with DemoMarket(faults=plan) as market:
        yield market


@pytest.fixture(scope="module")
def crawled(faulty_market: DemoMarket, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("faults-home")
    kit = write_brand_kit(home / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    # The demo marketplace runs on loopback: allowed by name, as an operator would.
    result = run_ipwatch(
        home,
        "crawl",
        "demo",
        "--base-url",
        faulty_market.base_url,
        "--allow-private-host",
        "127.0.0.1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return home


def test_crawl_finishes_and_counts_the_errors(crawled: Path) -> None:
    run = open_store(f"sqlite:///{crawled / 'index.db'}").list_runs()[0]
    assert run.status == "finished"
    assert run.counters["errors"] >= 2
    assert run.counters.get("errors/http_500", 0) >= 1


def test_no_correctly_served_listing_is_lost(crawled: Path) -> None:
    index = open_store(f"sqlite:///{crawled / 'index.db'}")
    crawled_ids = {listing.id.split(":", 1)[1] for listing in index.iter_listings("demo")}
    assert crawled_ids == set(ground_truth()) - {ALWAYS_500, ALWAYS_TRUNCATED}
    assert set(RECOVERS) | {MALFORMED, SLOW} <= crawled_ids


def test_retry_after_is_honoured(faulty_market: DemoMarket, crawled: Path) -> None:
    hits = [r for r in faulty_market.requests if r.path == "/search?q=novaflex"]
    assert len(hits) == 3  # two 429s, then the page
    assert hits[1].time - hits[0].time >= 0.95
    assert hits[2].time - hits[1].time >= 0.95


def test_robots_txt_is_obeyed(faulty_market: DemoMarket, crawled: Path) -> None:
    paths = [record.path for record in faulty_market.requests]
    assert "/robots.txt" in paths
    assert not [path for path in paths if path.startswith(("/admin", "/cart"))]
