"""The Elasticsearch/OpenSearch backend against a real node: contract behaviours, spool, migrate."""

from __future__ import annotations

import socket
import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from model import (
    CrawlRun,
    FindingQuery,
    FindingRecord,
    FindingStatus,
    ListingChange,
    ListingRecord,
    Seller,
    SnapshotRef,
)
from store.elastic import ElasticStore, connect, migrate, templates
from store.exceptions import (
    IndexConfigError,
    IndexUnavailableError,
    RecordConflictError,
    RecordNotFoundError,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def es_url(opensearch_url: str) -> str:
    """The suite-wide real node (tests/conftest.py); never skipped."""
    return opensearch_url


class StepClock:
    def __init__(self) -> None:
        self.now = T0 + timedelta(days=1)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def prefix() -> str:
    return "t" + uuid.uuid4().hex[:10]


@pytest.fixture
def index(es_url, prefix, tmp_path):
    ix = ElasticStore(
        f"{es_url}/?prefix={prefix}", spool_path=tmp_path / "spool.db", clock=StepClock()
    )
    yield ix
    ix.adapter.delete_indices(f"{prefix}-*")
    ix.adapter.delete_index_templates(f"{prefix}-*")
    ix.close()


def dead_url(prefix: str) -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/?prefix={prefix}"


def listing(i: str = "L-1", **kw) -> ListingRecord:
    base = dict(
        id=i,
        marketplace="demo",
        url=f"http://127.0.0.1/{i}",
        title="Nikee Air",
        content_hash="h1",
        first_seen=T0,
        last_seen=T0,
        price="19.90",
        currency="EUR",
        seller=Seller(id="s-1", name="Cheap Kicks"),
        data={"attributes": {"size": "42"}, "weird key.with dots": [1, {"x": None}]},
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
        signals=[{"kind": "text", "score": risk, "detail": "é <b>x</b>", "evidence": {"s": 1}}],
        created=T0,
        updated=T0,
        seller=Seller(id="s-1", name="Cheap Kicks"),
        title="Nikee Air shoes",
        url="http://127.0.0.1/L-1",
        registration_number="US 1",
    )
    base.update(kw)
    return FindingRecord(**base)


def snapshot(i: str = "S-1", finding_ids=("F-1",)) -> SnapshotRef:
    return SnapshotRef(
        id=i,
        finding_ids=list(finding_ids),
        listing_id="L-1",
        manifest_sha256="a" * 64,
        ledger_seq=0,
        captured_at=T0,
        url="http://127.0.0.1/L-1",
        artifacts=[{"name": "r.warc", "sha256": "b" * 64, "size": 10, "media_type": "x/y"}],
    )


def ids(index, **kw) -> list[str]:
    return [f.id for f in index.list_findings(FindingQuery(**kw))]


def test_listing_upsert_new_unchanged_changed_in_one_request_each(index):
    assert index.upsert_listing(listing()) is ListingChange.NEW
    later = T0 + timedelta(hours=5)
    assert index.upsert_listing(listing(last_seen=later, first_seen=later)) is (
        ListingChange.UNCHANGED
    )
    assert index.get_listing("L-1").last_seen == later  # last_seen moves even when unchanged
    assert index.upsert_listing(listing(last_seen=later)) is ListingChange.UNCHANGED  # replay
    assert index.upsert_listing(listing(content_hash="h2", last_seen=later)) is (
        ListingChange.CHANGED
    )
    assert index.get_listing("L-1") == listing(content_hash="h2", last_seen=later)
    assert index.get_listing("nope") is None
    assert index.bulk_upsert_listings(
        [listing("L-2"), listing(content_hash="h3"), listing(content_hash="h3")]
    ) == [ListingChange.NEW, ListingChange.CHANGED, ListingChange.UNCHANGED]
    assert [x.id for x in index.iter_listings()] == ["L-1", "L-2"]
    assert index.get_listing("L-1").first_seen == T0


def test_text_search_english_and_chinese(index):
    index.upsert_listing(listing("L-1", title="雷霆充电宝 Power Bank", description="fast"))
    index.upsert_listing(listing("L-2", title="Élan sneakers", description="雷 霆 apart"))
    index.upsert_listing(
        listing("L-3", title="Nothing", description="雷霆 inside", marketplace="x")
    )

    def found(text, **kw):
        return [x.id for x in index.search_listings(text, **kw)]

    assert found("雷霆") == ["L-1", "L-3"]  # the bigram, not the two characters apart
    assert found("充电宝") == ["L-1"]
    assert found("power BANK") == ["L-1"]
    assert found("elan") == ["L-2"]
    assert found("power fast") == ["L-1"]  # title word + description word
    assert found("power adidas") == []
    assert found("雷霆", marketplace="x") == ["L-3"]
    assert found("雷霆", limit=1) == ["L-1"]
    assert found("雷霆", search_after="L-1") == ["L-3"]
    index.upsert_finding(finding("F-1", 0.9, title="雷霆 power bank"))
    index.upsert_finding(finding("F-2", 0.8, title="Nikee AIR"))
    assert ids(index, text="雷霆") == ["F-1"]
    assert ids(index, text="air") == ["F-2"]
    assert ids(index, text="air 雷霆") == []


def test_findings_filters_order_paging_and_revisions(index):
    index.upsert_finding(finding("F-b", 0.9))
    index.upsert_finding(finding("F-a", 0.9))
    index.upsert_finding(finding("F-c", 0.3, asset_id="A-2", seller=None))
    index.upsert_finding(
        finding("F-d", 0.7, marketplace="other", seller=Seller(id="s-2", name="ÉLAN Shop"))
    )
    index.set_status("F-a", FindingStatus.IN_REVIEW, actor="bob")
    assert ids(index) == ["F-a", "F-b", "F-d", "F-c"]
    assert ids(index, asset_id="A-2") == ["F-c"]
    assert ids(index, seller="s-2") == ["F-d"]
    assert ids(index, seller="élan shop") == ["F-d"]
    assert ids(index, marketplace="demo") == ["F-a", "F-b", "F-c"]
    assert ids(index, status=FindingStatus.IN_REVIEW) == ["F-a"]
    assert ids(index, flagged_only=True) == ["F-a", "F-b", "F-d"]
    assert ids(index, limit=2, offset=1) == ["F-b", "F-d"]
    assert ids(index, limit=0) == []
    assert ids(index, search_after=(0.9, "F-a")) == ["F-b", "F-d", "F-c"]
    assert ids(index, search_after=(0.7, "F-d"), offset=3) == ["F-c"]
    with pytest.raises(ValueError, match="zero or more"):
        ids(index, offset=-1)
    listed = {f.id: f.revision for f in index.list_findings(FindingQuery())}
    assert listed["F-a"] == index.get_finding("F-a").revision
    assert index.count_findings("marketplace", FindingQuery()) == {"demo": 3, "other": 1}
    assert index.count_findings("asset", FindingQuery(flagged_only=True)) == {"A-1": 3}
    assert index.count_findings("seller", FindingQuery()) == {"s-1": 2, "s-2": 1, "": 1}
    index.upsert_finding(finding("F-e", 0.1, created=T0 + timedelta(hours=13)))
    assert index.count_findings("day", FindingQuery()) == {"2024-05-01": 4, "2024-05-02": 1}


def test_finding_upsert_keeps_review_state_and_revision_moves(index):
    assert index.upsert_finding(finding("F-1", 0.8)) is True
    r1 = index.get_finding("F-1").revision
    index.set_status("F-1", FindingStatus.CONFIRMED, actor="alice", reason="copy")
    r2 = index.get_finding("F-1").revision
    index.add_snapshot(snapshot())
    r3 = index.get_finding("F-1").revision
    later = T0 + timedelta(days=3)
    assert index.upsert_finding(finding("F-1", 0.9, created=later, updated=later)) is False
    got = index.get_finding("F-1")
    assert len({r1, r2, r3, got.revision}) == 4
    assert (got.status, got.created, got.updated, got.risk) == (
        FindingStatus.CONFIRMED,
        T0,
        later,
        0.9,
    )
    assert got.snapshot_ids == ["S-1"]
    with pytest.raises(RecordConflictError, match="reload"):
        index.set_status("F-1", FindingStatus.DISMISSED, actor="bob", expected_revision=r1)
    assert index.get_finding("F-1").status is FindingStatus.CONFIRMED
    index.set_status("F-1", FindingStatus.NOTICE_SENT, "bob", expected_revision=got.revision)
    events = index.list_events("F-1")
    assert [(e.from_status, e.to_status, e.actor) for e in events] == [
        (FindingStatus.NEW, FindingStatus.CONFIRMED, "alice"),
        (FindingStatus.CONFIRMED, FindingStatus.NOTICE_SENT, "bob"),
    ]
    assert index.get_finding("F-1").updated == events[1].at
    with pytest.raises(RecordNotFoundError, match="no finding F-x"):
        index.set_status("F-x", FindingStatus.CONFIRMED, actor="alice")
    with pytest.raises(ValueError):
        index.set_status("F-1", "bogus", actor="alice")


def test_concurrent_status_changes_exactly_one_wins(index):
    index.upsert_finding(finding("F-1", 0.8))
    rev = index.get_finding("F-1").revision
    outcomes: list[str] = []

    def review(actor: str) -> None:
        try:
            index.set_status("F-1", FindingStatus.CONFIRMED, actor, expected_revision=rev)
            outcomes.append("won")
        except RecordConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=review, args=(f"r{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "won"]
    assert len(index.list_events("F-1")) == 1


def test_snapshots_once_and_linked_and_runs(index):
    index.upsert_finding(finding("F-1", 0.8))
    index.add_snapshot(snapshot("S-2", finding_ids=("F-1", "F-unindexed")))
    index.add_snapshot(snapshot("S-2", finding_ids=("F-1", "F-unindexed")))
    index.add_snapshot(snapshot("S-1"))
    assert index.get_finding("F-1").snapshot_ids == ["S-2", "S-1"]
    assert index.get_snapshot("S-2") == snapshot("S-2", finding_ids=("F-1", "F-unindexed"))
    assert [s.id for s in index.iter_snapshots()] == ["S-1", "S-2"]
    with pytest.raises(RecordConflictError, match="never rewritten"):
        index.add_snapshot(replace(snapshot("S-1"), manifest_sha256="c" * 64))
    run = CrawlRun(id="R-1", marketplace="demo", trigger="manual", started=T0)
    index.start_run(run)
    index.start_run(replace(run, id="R-2", started=T0 + timedelta(hours=1)))
    with pytest.raises(RecordConflictError, match="new id"):
        index.start_run(run)
    done = replace(run, finished=T0 + timedelta(minutes=5), counters={"pages": 3}, status="ok")
    index.finish_run(done)
    assert index.get_run("R-1") == done
    assert [r.id for r in index.list_runs()] == ["R-2", "R-1"]
    assert [r.id for r in index.list_runs(limit=1)] == ["R-2"]
    with pytest.raises(RecordNotFoundError, match="start_run"):
        index.finish_run(replace(run, id="R-9"))


def test_writes_spool_while_cluster_is_away_and_flush_replays_them(index, prefix, tmp_path):
    index.upsert_finding(finding("F-0", 0.5))
    rev = index.get_finding("F-0").revision
    away = ElasticStore(dead_url(prefix), spool_path=tmp_path / "spool.db", clock=StepClock())
    assert away.upsert_listing(listing()) is ListingChange.SPOOLED
    assert away.upsert_listing(listing(content_hash="h2")) is ListingChange.SPOOLED
    assert away.bulk_upsert_listings([listing("L-2")]) == [ListingChange.SPOOLED]
    assert away.upsert_finding(finding("F-1", 0.9)) is False
    away.set_status("F-0", FindingStatus.IN_REVIEW, actor="alice")
    away.add_snapshot(snapshot(finding_ids=("F-1",)))
    away.start_run(CrawlRun(id="R-1", marketplace="demo", trigger="manual", started=T0))
    with pytest.raises(IndexUnavailableError, match="flush"):
        away.set_status("F-0", FindingStatus.CONFIRMED, "bob", expected_revision=rev)
    with pytest.raises(IndexUnavailableError, match=r"127\.0\.0\.1"):
        away.get_listing("L-1")
    with pytest.raises(IndexUnavailableError):
        away.list_findings(FindingQuery())
    assert away.pending() == 7
    assert away.flush() == 0 and away.pending() == 7
    away.close()
    # The same spool file, opened by an index that can reach the cluster (the next crawl).
    assert index.pending() == 7
    assert index.flush() == 7 and index.pending() == 0
    assert index.get_listing("L-1").content_hash == "h2"  # replayed in order
    assert index.get_finding("F-1").snapshot_ids == ["S-1"]
    assert index.get_finding("F-0").status is FindingStatus.IN_REVIEW
    assert [e.actor for e in index.list_events("F-0")] == ["alice"]
    assert index.get_run("R-1").status == "running"
    assert index.flush() == 0


def test_blocked_index_write_is_spooled_then_replayed(index, prefix):
    index.upsert_listing(listing())
    current = index.adapter.alias_indices(f"{prefix}-listings")[0]
    index.adapter.put_settings(current, {"index.blocks.write": True})
    try:
        assert index.upsert_listing(listing(content_hash="h2")) is ListingChange.SPOOLED
        assert index.pending() == 1
    finally:
        index.adapter.put_settings(current, {"index.blocks.write": False})
    assert index.flush() == 1
    assert index.get_listing("L-1").content_hash == "h2"


def test_migrate_moves_alias_keeps_old_index_and_is_idempotent(index, prefix, monkeypatch, es_url):
    index.upsert_listing(listing())
    index.upsert_listing(listing("L-2", title="雷霆"))
    assert [s.action for s in migrate(index.adapter, prefix)] == ["current"] * len(templates.KINDS)
    now = templates.VERSIONS["listings"]  # 2 since sellers are stored once
    monkeypatch.setitem(templates.VERSIONS, "listings", now + 1)
    steps = migrate(index.adapter, prefix, "listings")
    assert [(s.action, s.previous, s.index, s.documents) for s in steps] == [
        ("migrated", f"{prefix}-listings-v{now}", f"{prefix}-listings-v{now + 1}", 2)
    ]
    assert "kept" in steps[0].describe()
    assert index.adapter.alias_indices(f"{prefix}-listings") == [f"{prefix}-listings-v{now + 1}"]
    assert index.adapter.index_exists(f"{prefix}-listings-v{now}")
    assert [x.id for x in index.search_listings("雷霆")] == ["L-2"]
    assert index.upsert_listing(listing(content_hash="h9")) is ListingChange.CHANGED
    assert migrate(connect(f"{es_url}/?prefix={prefix}"), prefix, "listings")[0].action == (
        "current"
    )


def test_migrate_carries_v1_documents_over_and_backfills_sellers(es_url, prefix, tmp_path):
    """Mapping v1 copied the seller into every listing and finding; v2 stores it once."""
    url = f"{es_url}/?prefix={prefix}"
    saved = dict(templates.VERSIONS)
    templates.VERSIONS.update(listings=1, findings=1)
    try:
        old = ElasticStore(url, spool_path=tmp_path / "old.db")
        old._ensure()
        v1 = {"marketplace": "demo", "url": "http://127.0.0.1/L-1", "title": "Nikee Air"}
        old.adapter.index(
            f"{prefix}-listings",
            "L-1",
            {
                **v1,
                "id": "L-1",
                "content_hash": "h1",
                "first_seen": "2024-05-01T12:00:00.000000Z",
                "last_seen": "2024-05-02T12:00:00.000000Z",
                "description": "",
                "price": "19.90",
                "currency": "EUR",
                "seller_id": "s-1",
                "seller_name": "Cheap Kicks",
                "seller_url": "https://www.shop.example/s-1/",
                "item_id": "1",
                "data": {},
                "last_change": "new",
            },
        )
        old.adapter.index(
            f"{prefix}-findings",
            "F-1",
            {
                "id": "F-1",
                "listing_id": "L-1",
                "asset_id": "A-1",
                "owner": "Nike",
                "marketplace": "demo",
                "risk": 0.9,
                "flagged": True,
                "signals": [],
                "created": "2024-05-01T12:00:00.000000Z",
                "updated": "2024-05-01T12:00:00.000000Z",
                "status": "confirmed",
                "seller_id": "s-1",
                "seller_name": "Cheap Kicks",
                "seller_key": "cheap kicks",
                "title": "Nikee Air",
                "url": "http://127.0.0.1/L-1",
                "registration_number": None,
                "snapshot_ids": ["S-1"],
            },
        )
        old.close()
    finally:
        templates.VERSIONS.clear()
        templates.VERSIONS.update(saved)
    store = ElasticStore(url, spool_path=tmp_path / "new.db")
    try:
        with pytest.raises(IndexConfigError, match="ipwatch index migrate"):
            store.get_listing("L-1")  # old documents are not read as if they were new
        lines = store.migrate()  # what `ipwatch index migrate` runs
        assert any(x.startswith("listings: copied 1 documents") for x in lines), lines
        assert any(x.startswith("findings: copied 1 documents") for x in lines), lines
        seller = store.get_listing("L-1").seller
        assert (seller.id, seller.name, seller.marketplace) == ("s-1", "Cheap Kicks", "demo")
        assert seller.contacts == {"store_url": "shop.example/s-1"}
        assert seller.first_seen == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
        assert [s.key for s in store.iter_sellers()] == [seller.key]
        finding = store.get_finding("F-1")
        assert finding.seller_key == seller.key and finding.status is FindingStatus.CONFIRMED
        assert finding.seller_name == "Cheap Kicks" and finding.snapshot_ids == ["S-1"]
        for name in ("s-1", "CHEAP KICKS", seller.key):
            assert [f.id for f in store.list_findings(FindingQuery(seller=name))] == ["F-1"]
        assert store.count_findings("seller", FindingQuery()) == {"s-1": 1}
    finally:
        store.adapter.delete_indices(f"{prefix}-*")
        store.adapter.delete_index_templates(f"{prefix}-*")
        store.close()
