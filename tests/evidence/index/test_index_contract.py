"""The contract every EvidenceIndex backend meets; add a backend by adding a ``backend`` param."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from evidence.exceptions import (
    BackendNotInstalledError,
    IndexConfigError,
    RecordConflictError,
    RecordNotFoundError,
)
from evidence.index import SqliteIndex, open_index
from evidence.index.records import (
    CrawlRunRecord,
    FindingQuery,
    FindingRecord,
    FindingStatus,
    ListingChange,
    ListingRecord,
    SnapshotRecord,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class StepClock:
    def __init__(self) -> None:
        self.now = T0 + timedelta(days=1)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture(params=["sqlite"])
def backend(request, tmp_path):
    if request.param == "sqlite":
        index = SqliteIndex(tmp_path / "index.db", clock=StepClock())
    yield index
    index.close()


def listing(i: str = "L-1", **kw) -> ListingRecord:
    base = dict(
        id=i,
        marketplace="demo",
        url=f"http://127.0.0.1/{i}",
        title="Nikee Air",
        content_hash="h1",
        first_seen=T0,
        last_seen=T0,
        price="19.99",
        currency="EUR",
        seller_id="s-1",
        seller_name="Cheap Kicks",
        data={"attributes": {"size": "42"}},
    )
    base.update(kw)
    return ListingRecord(**base)


def finding(i: str, risk: float, **kw) -> FindingRecord:
    base = dict(
        id=i,
        listing_id="L-1",
        asset_id="A-1",
        owner="Nike",
        marketplace="demo",
        risk=risk,
        flagged=risk >= 0.5,
        signals=[{"kind": "text", "score": risk, "detail": "é <b>x</b>"}],
        created=T0,
        updated=T0,
        seller_id="s-1",
        seller_name="Cheap Kicks",
        title="t",
        url="http://127.0.0.1/L-1",
        registration_number="US 1",
    )
    base.update(kw)
    return FindingRecord(**base)


def snapshot(i: str = "S-1", finding_ids=("F-1",)) -> SnapshotRecord:
    return SnapshotRecord(
        id=i,
        finding_ids=list(finding_ids),
        listing_id="L-1",
        manifest_sha256="a" * 64,
        ledger_seq=0,
        captured_at=T0,
        url="http://127.0.0.1/L-1",
        artifacts=[
            {
                "name": "response.warc",
                "sha256": "b" * 64,
                "size": 10,
                "media_type": "application/warc",
            }
        ],
    )


def test_listing_upsert_reports_new_unchanged_changed_and_keeps_first_seen(backend):
    assert backend.upsert_listing(listing()) is ListingChange.NEW
    later = T0 + timedelta(hours=5)
    assert backend.upsert_listing(listing(last_seen=later, first_seen=later)) is (
        ListingChange.UNCHANGED
    )
    assert backend.upsert_listing(listing(content_hash="h2", last_seen=later)) is (
        ListingChange.CHANGED
    )
    got = backend.get_listing("L-1")
    assert got == listing(content_hash="h2", last_seen=later)
    assert got.first_seen == T0 and got.first_seen.tzinfo is not None
    assert backend.get_listing("nope") is None


def test_iter_listings_by_marketplace(backend):
    backend.upsert_listing(listing("L-2"))
    backend.upsert_listing(listing("L-1"))
    backend.upsert_listing(listing("L-3", marketplace="other"))
    assert [x.id for x in backend.iter_listings()] == ["L-1", "L-2", "L-3"]
    assert [x.id for x in backend.iter_listings("demo")] == ["L-1", "L-2"]


def test_finding_upsert_keeps_status_created_and_snapshot_ids(backend):
    assert backend.upsert_finding(finding("F-1", 0.8)) is True
    backend.set_status("F-1", FindingStatus.CONFIRMED, actor="alice", reason="clear copy")
    backend.add_snapshot(snapshot())
    later = T0 + timedelta(days=3)
    again = finding("F-1", 0.9, created=later, updated=later, snapshot_ids=[])
    assert backend.upsert_finding(again) is False
    got = backend.get_finding("F-1")
    assert got.status is FindingStatus.CONFIRMED
    assert got.created == T0
    assert got.updated == later
    assert got.risk == 0.9
    assert got.snapshot_ids == ["S-1"]
    assert got.signals == again.signals
    assert backend.get_finding("nope") is None


def test_list_findings_filters_sorting_and_paging(backend):
    backend.upsert_finding(finding("F-b", 0.9))
    backend.upsert_finding(finding("F-a", 0.9))
    backend.upsert_finding(finding("F-c", 0.3, asset_id="A-2"))
    backend.upsert_finding(
        finding("F-d", 0.7, marketplace="other", seller_id="s-2", seller_name="ÉLAN Shop")
    )
    backend.set_status("F-a", FindingStatus.IN_REVIEW, actor="bob")

    def ids(**kw):
        return [f.id for f in backend.list_findings(FindingQuery(**kw))]

    assert ids() == ["F-a", "F-b", "F-d", "F-c"]  # risk desc, then id
    assert ids(asset_id="A-2") == ["F-c"]
    assert ids(seller="s-2") == ["F-d"]
    assert ids(seller="élan shop") == ["F-d"]  # name, case-insensitive
    assert ids(marketplace="demo") == ["F-a", "F-b", "F-c"]
    assert ids(status=FindingStatus.IN_REVIEW) == ["F-a"]
    assert ids(flagged_only=True) == ["F-a", "F-b", "F-d"]
    assert ids(limit=2, offset=1) == ["F-b", "F-d"]
    assert ids(limit=0) == []
    assert ids(seller="x' OR '1'='1") == []
    with pytest.raises(ValueError, match="zero or more"):
        ids(offset=-1)


def test_set_status_appends_audit_events(backend):
    backend.upsert_finding(finding("F-1", 0.8))
    backend.set_status("F-1", FindingStatus.IN_REVIEW, actor="alice")
    backend.set_status("F-1", FindingStatus.DISMISSED, actor="bob", reason="authorised reseller")
    events = backend.list_events("F-1")
    assert [(e.from_status, e.to_status, e.actor, e.reason) for e in events] == [
        (FindingStatus.NEW, FindingStatus.IN_REVIEW, "alice", ""),
        (FindingStatus.IN_REVIEW, FindingStatus.DISMISSED, "bob", "authorised reseller"),
    ]
    assert events[0].at < events[1].at and events[0].at.tzinfo is not None
    got = backend.get_finding("F-1")
    assert got.status is FindingStatus.DISMISSED and got.updated == events[1].at
    assert backend.list_events("nope") == []
    with pytest.raises(RecordNotFoundError, match="no finding F-x"):
        backend.set_status("F-x", FindingStatus.CONFIRMED, actor="alice")
    with pytest.raises(ValueError):
        backend.set_status("F-1", "bogus", actor="alice")


def test_snapshots_are_stored_once_and_linked(backend):
    backend.upsert_finding(finding("F-1", 0.8))
    backend.add_snapshot(snapshot("S-2", finding_ids=("F-1", "F-unindexed")))
    backend.add_snapshot(snapshot("S-2", finding_ids=("F-1", "F-unindexed")))  # idempotent
    backend.add_snapshot(snapshot("S-1"))
    assert backend.get_finding("F-1").snapshot_ids == ["S-2", "S-1"]
    assert backend.get_snapshot("S-2") == snapshot("S-2", finding_ids=("F-1", "F-unindexed"))
    assert [s.id for s in backend.list_snapshots()] == ["S-1", "S-2"]
    assert backend.get_snapshot("nope") is None
    with pytest.raises(RecordConflictError, match="never rewritten"):
        backend.add_snapshot(replace(snapshot("S-1"), manifest_sha256="c" * 64))


def test_crawl_runs(backend):
    run = CrawlRunRecord(id="R-1", marketplace="demo", trigger="manual", started=T0)
    backend.start_run(run)
    backend.start_run(replace(run, id="R-2", started=T0 + timedelta(hours=1)))
    assert backend.get_run("R-1") == run
    with pytest.raises(RecordConflictError):
        backend.start_run(run)
    done = replace(
        run, finished=T0 + timedelta(minutes=5), counters={"pages": 3}, status="finished"
    )
    backend.finish_run(done)
    assert backend.get_run("R-1") == done
    assert [r.id for r in backend.list_runs()] == ["R-2", "R-1"]
    assert [r.id for r in backend.list_runs(limit=1)] == ["R-2"]
    with pytest.raises(RecordNotFoundError, match="start_run"):
        backend.finish_run(replace(run, id="R-9"))
    assert backend.get_run("nope") is None


def test_naive_datetimes_are_refused(backend):
    with pytest.raises(ValueError, match="naive"):
        backend.upsert_listing(listing(first_seen=datetime(2024, 1, 1)))


def test_concurrent_writers_from_threads(backend):
    def worker(k: int) -> None:
        for i in range(20):
            backend.upsert_finding(finding(f"F-{k}-{i}", (i % 10) / 10))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(backend.list_findings(FindingQuery(limit=1000))) == 60


# Backend selection by URL (STORE_SCHEMES)


def test_open_index_sqlite_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rel = open_index("sqlite:///rel.db")
    rel.upsert_listing(listing())
    rel.close()
    assert (tmp_path / "rel.db").exists()
    absolute = tmp_path / "sub" / "abs.db"
    index = open_index(f"sqlite:///{absolute}")  # sqlite:////abs/path: four slashes
    index.close()
    assert absolute.exists()
    based = open_index("sqlite:///based.db", base_dir=tmp_path / "ws")
    based.close()
    assert (tmp_path / "ws" / "based.db").exists()
    memory = open_index("sqlite://")
    assert memory.get_listing("x") is None
    memory.close()


def test_sqlite_file_is_in_wal_mode(tmp_path):
    import sqlite3

    SqliteIndex(tmp_path / "w.db").close()
    with sqlite3.connect(tmp_path / "w.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_open_index_errors():
    with pytest.raises(BackendNotInstalledError, match="not installed yet"):
        open_index("http://127.0.0.1:9200")
    with pytest.raises(NotImplementedError):
        open_index("https://127.0.0.1:9200")
    with pytest.raises(IndexConfigError, match="sqlite://, http://, https://"):
        open_index("mongodb://x")
    with pytest.raises(IndexConfigError, match="no supported scheme"):
        open_index("index.db")
    with pytest.raises(IndexConfigError, match="names a host"):
        open_index("sqlite://host/x.db")
