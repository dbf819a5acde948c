"""A data folder written by ipwatch 0.1.0 (tests/data/release-0.1.0) opens with today's code."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from model import FindingQuery, FindingStatus
from store import open_store
from store.sqlite.schema import SCHEMA_VERSION
from tests.support import run_ipwatch

RELEASE = Path(__file__).parents[1] / "data" / "release-0.1.0" / "home"
CONFIRMED, DISMISSED = "F-d6a85413ba7fa799", "F-d919e478aef5f2b7"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A writable copy: the checked-in folder is never upgraded in place."""
    copy = shutil.copytree(RELEASE, tmp_path / "home")
    for path in copy.rglob("*"):
        if path.is_file():
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return copy


def test_release_0_1_0_index_is_upgraded_in_place(home: Path) -> None:
    with sqlite3.connect(home / "index.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    store = open_store("sqlite:///index.db", base_dir=home)
    try:
        listings = list(store.iter_listings("demo"))
        assert len(listings) == store.count_listings() == 8
        assert all(x.seller is not None and x.seller_key == x.seller.key for x in listings)
        sellers = {s.key: s for s in store.iter_sellers("demo")}
        assert {s.id for s in sellers.values()} == {
            "novaflex-official",
            "kicksdirect",
            "bargainhub",
            "cozyhome",
            "gadgetworld",
        }
        assert {x.seller_key for x in listings} == set(sellers)
        kicks = next(s for s in sellers.values() if s.id == "kicksdirect")
        assert kicks.name == "KicksDirect99" and kicks.first_seen is not None
        assert kicks.contacts["store_url"].endswith("/seller/kicksdirect")

        findings = store.list_findings(FindingQuery(limit=100))
        assert len(findings) == 5 and sum(f.flagged for f in findings) == 2
        assert all(f.seller_key in sellers for f in findings)
        by_id = {f.id: f for f in findings}
        assert by_id[CONFIRMED].status is FindingStatus.CONFIRMED
        assert by_id[CONFIRMED].seller_name == "BargainHub Outlet"
        assert by_id[DISMISSED].status is FindingStatus.DISMISSED
        assert [e.to_status for e in store.list_events(CONFIRMED)] == [
            FindingStatus.IN_REVIEW,
            FindingStatus.CONFIRMED,
        ]
        assert [e.actor for e in store.list_events(DISMISSED)] == ["bob"]
        assert [f.id for f in store.list_findings(FindingQuery(seller="bargainhub outlet"))] == [
            CONFIRMED
        ]
        assert store.count_findings("seller", FindingQuery())["novaflex-official"] == 3
        # schema 4 backfills each finding's signal kinds from the signals 0.1.0 stored
        kinds = store.count_findings("signal_kind", FindingQuery())
        assert kinds == {
            "word_mark": 5,
            "unauthorized_seller": 2,
            "below_price_floor": 2,
            "counterfeit_wording": 1,
        }
        worded = store.list_findings(FindingQuery(signal_kind="counterfeit_wording"))
        assert [f.id for f in worded] == [CONFIRMED]

        snapshots = list(store.iter_snapshots())
        assert len(snapshots) == 2
        assert {s.id for s in snapshots} == {i for f in findings for i in f.snapshot_ids}
        (run,) = store.list_runs()
        assert run.status == "finished" and run.counters["listings_new"] == 8
    finally:
        store.close()
    with sqlite3.connect(home / "index.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_release_0_1_0_evidence_still_verifies(home: Path) -> None:
    result = run_ipwatch(home, "evidence", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 of 2 snapshot(s) verified; 0 failed check(s)" in result.stdout
