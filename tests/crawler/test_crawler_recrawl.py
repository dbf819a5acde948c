"""A second crawl after the shop changed: changed listings are updated, evidence is re-sealed
only for flagged listings that changed, and nothing is duplicated."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from demomarket import CATALOG, Catalog, DemoMarket
from demomarket.brandkit import write_brand_kit
from model import finding_id
from store import open_store
from tests.support import run_ipwatch

pytestmark = pytest.mark.slow

FLAGGED_REPRICED = "1022"  # exact mark, unauthorized seller: flagged, evidence sealed
UNFLAGGED_REWORDED = "1001"  # genuine listing: changes, but needs no evidence


def changed_catalog() -> Catalog:
    def change(item):  # type: ignore[no-untyped-def]
        if item.id == FLAGGED_REPRICED:
            return dataclasses.replace(item, price=item.price - Decimal("1.00"))
        if item.id == UNFLAGGED_REWORDED:
            return dataclasses.replace(item, description=item.description + " Now in blue.")
        return item

    items = tuple(change(item) for item in CATALOG.items)
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), items)


def crawl(home: Path, market: DemoMarket) -> None:
    result = run_ipwatch(
        home, "crawl", "demo", "--base-url", market.base_url, "--allow-private-host", "127.0.0.1"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_recrawl_updates_changed_listings_and_reseals_only_flagged_ones(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert (
        run_ipwatch(home, "assets", "import", str(write_brand_kit(tmp_path / "kit"))).returncode
        == 0
    )
    with DemoMarket() as market:
        crawl(home, market)
    with DemoMarket(catalog=changed_catalog()) as market:
        crawl(home, market)

    index = open_store(f"sqlite:///{home / 'index.db'}")
    second, first = index.list_runs()[:2]
    assert first.counters["listings_new"] == len(CATALOG.items)
    assert second.counters["listings_new"] == 0
    assert second.counters["listings_changed"] == 2
    assert second.counters["snapshots"] == 1
    assert second.counters["findings_new"] == 0

    repriced = index.get_listing(f"demo:{FLAGGED_REPRICED}")
    assert repriced is not None
    original_price = CATALOG.item(FLAGGED_REPRICED).price  # type: ignore[union-attr]
    assert Decimal(repriced.price or "0") == original_price - Decimal("1.00")
    finding = index.get_finding(finding_id(f"demo:{FLAGGED_REPRICED}", "leiting-word"))
    assert finding is not None and len(finding.snapshot_ids) == 2
    assert len(list(index.iter_snapshots())) == first.counters["snapshots"] + 1
    assert run_ipwatch(home, "evidence", "verify").returncode == 0
