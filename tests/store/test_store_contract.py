"""The contract every Store backend meets, through the Protocol only.

Add a backend by adding a factory to ``FACTORIES``: it takes ``(request, tmp_path)`` and returns
an open index whose clock is ``StepClock()`` (tests compare times only from that clock). A
server-backed factory takes its URL from a session fixture, e.g.
``request.getfixturevalue("opensearch_url")``, and a prefix unique to the test.
Times in records are whole milliseconds, the finest a date field of every backend keeps.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

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
from store import SqliteStore
from store.elastic.backend import ElasticStore
from store.exceptions import RecordConflictError, RecordNotFoundError

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class StepClock:
    """A clock one minute further on at every call, so event times are distinct and ordered."""

    def __init__(self) -> None:
        self.now = T0 + timedelta(days=1)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def make_sqlite(request: pytest.FixtureRequest, tmp_path):
    return SqliteStore(tmp_path / "index.db", clock=StepClock())


def make_opensearch(request: pytest.FixtureRequest, tmp_path):
    """A real OpenSearch node (session fixture), indices under a prefix unique to the test."""
    url = request.getfixturevalue("opensearch_url")
    prefix = "c" + uuid.uuid4().hex[:12]
    index = ElasticStore(
        f"{url}/?prefix={prefix}", spool_path=tmp_path / "spool.db", clock=StepClock()
    )
    request.addfinalizer(lambda: _drop(index, prefix))
    return index


def _drop(index: ElasticStore, prefix: str) -> None:
    """Remove what the test created; a test that never wrote created nothing."""
    index.adapter.delete_indices(f"{prefix}-*")
    with contextlib.suppress(RecordNotFoundError):
        index.adapter.delete_index_templates(f"{prefix}-*")


FACTORIES = {"sqlite": make_sqlite, "opensearch": make_opensearch}
BACKENDS = ["sqlite", "opensearch"]


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    index = FACTORIES[request.param](request, tmp_path)
    yield index
    assert index.pending() == 0, "a contract test left writes in the spool"
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
        seller=Seller(id="s-1", name="Cheap Kicks"),
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
        seller=Seller(id="s-1", name="Cheap Kicks"),
        title="t",
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
        artifacts=[
            {
                "name": "response.warc",
                "sha256": "b" * 64,
                "size": 10,
                "media_type": "application/warc",
            }
        ],
    )


def ids(backend, **kw) -> list[str]:
    return [f.id for f in backend.list_findings(FindingQuery(**kw))]


# Listings


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


def test_search_listings_matches_title_or_description(backend):
    backend.upsert_listing(listing("L-1", title="NIKE Air Max 90", description="size 42"))
    backend.upsert_listing(listing("L-2", title="Running shoe", description="like nike, cheap"))
    backend.upsert_listing(listing("L-3", title="Nikee Air", description="Novaflex sole"))
    backend.upsert_listing(listing("L-4", title="耐克雷霆跑鞋 正品", description="全新"))
    backend.upsert_listing(listing("L-5", title="手表", description="雷霆系列 Nike 同款"))
    backend.upsert_listing(listing("L-6", title="nike", marketplace="other"))

    def found(text, **kw):
        return [x.id for x in backend.search_listings(text, **kw)]

    assert found("nike") == ["L-1", "L-2", "L-5", "L-6"]  # whole word, any case
    assert found("Nike", marketplace="demo") == ["L-1", "L-2", "L-5"]
    assert found("nova") == []  # "novaflex" is another word
    assert found("novaflex") == ["L-3"]
    assert found("雷霆") == ["L-4", "L-5"]  # Chinese: substring of title or description
    assert found("跑鞋") == ["L-4"]
    assert found("雷电") == []
    assert found("雷霆 nike") == ["L-5"]  # every part must match
    assert found("air max") == ["L-1"]
    assert found("air sole") == ["L-3"]  # one word in the title, the other in the description
    assert found("adidas") == []
    assert found("!!! ...") == []  # no words: nothing matches
    assert found('nike" OR "x') == []  # query syntax is just text ("or", "x" are absent)
    assert found("NEAR(nike*") == []


def test_search_listings_follows_title_changes_and_pages_by_id(backend):
    for n in range(25):
        backend.upsert_listing(listing(f"L-{n:02}", title=f"Air {n}", description="nike"))
    backend.upsert_listing(listing("L-00", title="Air", description="plain", content_hash="h2"))
    assert [x.id for x in backend.search_listings("nike", limit=3)] == ["L-01", "L-02", "L-03"]
    pages, after = [], None
    while True:
        page = backend.search_listings("nike", limit=10, search_after=after)
        if not page:
            break
        pages.append([x.id for x in page])
        after = page[-1].id
    assert pages == [
        [f"L-{n:02}" for n in range(1, 11)],
        [f"L-{n:02}" for n in range(11, 21)],
        [f"L-{n:02}" for n in range(21, 25)],
    ]
    assert backend.search_listings("plain") == [
        listing("L-00", title="Air", description="plain", content_hash="h2")
    ]
    with pytest.raises(ValueError, match="zero or more"):
        backend.search_listings("nike", limit=-1)


def test_search_listings_hostile_text(backend):
    long = "x " * 20_000 + "counterfeit"
    backend.upsert_listing(listing("L-1", title="a\x00b <script>", description=long))
    assert [x.id for x in backend.search_listings("counterfeit")] == ["L-1"]
    assert [x.id for x in backend.search_listings("script")] == ["L-1"]
    assert backend.get_listing("L-1").title == "a\x00b <script>"


# Findings


def test_finding_upsert_keeps_status_created_and_snapshot_ids(backend):
    assert backend.upsert_finding(finding("F-1", 0.8)) is True
    backend.set_status("F-1", FindingStatus.CONFIRMED, actor="alice", reason="clear copy")
    backend.add_snapshot(snapshot())
    later = T0 + timedelta(days=3)
    again = finding("F-1", 0.9, created=later, updated=later, snapshot_ids=[], title="new")
    assert backend.upsert_finding(again) is False
    got = backend.get_finding("F-1")
    assert got.status is FindingStatus.CONFIRMED
    assert got.created == T0
    assert got.updated == later
    assert got.risk == 0.9
    assert got.title == "new"
    assert got.snapshot_ids == ["S-1"]
    assert got.signals == again.signals
    assert replace(got, revision=None) == replace(
        again, created=T0, status=FindingStatus.CONFIRMED, snapshot_ids=["S-1"]
    )
    assert backend.get_finding("nope") is None


def test_an_empty_id_is_not_found_on_every_backend(backend):
    """Hostile or fuzzed ids (the desk's API takes them from requests) never crash a read."""
    assert backend.get_finding("") is None
    assert backend.get_listing("") is None
    assert backend.get_snapshot("") is None
    assert backend.get_seller("") is None
    assert backend.get_run("") is None


def test_list_findings_filters_sorting_and_paging(backend):
    backend.upsert_finding(finding("F-b", 0.9))
    backend.upsert_finding(finding("F-a", 0.9))
    backend.upsert_finding(finding("F-c", 0.3, asset_id="A-2"))
    backend.upsert_finding(
        finding("F-d", 0.7, marketplace="other", seller=Seller(id="s-2", name="ÉLAN Shop"))
    )
    backend.upsert_finding(finding("F-e", 0.1, seller=None))
    backend.set_status("F-a", FindingStatus.IN_REVIEW, actor="bob")

    assert ids(backend) == ["F-a", "F-b", "F-d", "F-c", "F-e"]  # risk desc, then id
    assert ids(backend, asset_id="A-2") == ["F-c"]
    assert ids(backend, seller="s-2") == ["F-d"]
    assert ids(backend, seller="élan shop") == ["F-d"]  # name, case-insensitive
    assert ids(backend, seller="Cheap Kicks") == ["F-a", "F-b", "F-c"]
    assert ids(backend, marketplace="demo") == ["F-a", "F-b", "F-c", "F-e"]
    assert ids(backend, status=FindingStatus.IN_REVIEW) == ["F-a"]
    assert ids(backend, status=FindingStatus.NEW) == ["F-b", "F-d", "F-c", "F-e"]
    assert ids(backend, flagged_only=True) == ["F-a", "F-b", "F-d"]
    assert ids(backend, limit=2, offset=1) == ["F-b", "F-d"]
    assert ids(backend, limit=0) == []
    assert ids(backend, seller="x' OR '1'='1") == []
    with pytest.raises(ValueError, match="zero or more"):
        ids(backend, offset=-1)


def test_list_findings_combined_filters(backend):
    backend.upsert_finding(finding("F-1", 0.9, title="Nike Air"))
    backend.upsert_finding(finding("F-2", 0.8, title="Nike Air", asset_id="A-2"))
    backend.upsert_finding(finding("F-3", 0.7, title="Nike Air", marketplace="other"))
    backend.upsert_finding(finding("F-4", 0.2, title="Nike Air"))
    backend.upsert_finding(finding("F-5", 0.6, title="Adidas"))
    backend.upsert_finding(finding("F-6", 0.95, title="Nike Air", seller=Seller(id="s-9")))
    backend.set_status("F-1", FindingStatus.CONFIRMED, actor="alice")
    query = dict(asset_id="A-1", marketplace="demo", seller="s-1", text="nike", flagged_only=True)
    assert ids(backend, **query) == ["F-1"]
    assert ids(backend, **query, status=FindingStatus.NEW) == []
    assert ids(backend, **{**query, "flagged_only": False}) == ["F-1", "F-4"]


def test_list_findings_text_search(backend):
    backend.upsert_finding(finding("F-1", 0.9, title="NIKE Air Max"))
    backend.upsert_finding(finding("F-2", 0.8, title="Nikee Air"))
    backend.upsert_finding(finding("F-3", 0.7, title="nova runner"))
    backend.upsert_finding(finding("F-4", 0.6, title="Novaflex runner"))
    backend.upsert_finding(finding("F-5", 0.5, title="耐克雷霆跑鞋"))
    backend.upsert_finding(finding("F-6", 0.4, title="雷 霆"))
    backend.upsert_finding(finding("F-7", 0.3, title="雷a霆"))
    backend.upsert_finding(finding("F-8", 0.2, title="ＮＩＫＥ Élan"))  # full-width, accent

    assert ids(backend, text="nike") == ["F-1", "F-8"]
    assert ids(backend, text="AIR") == ["F-1", "F-2"]
    assert ids(backend, text="elan") == ["F-8"]
    assert ids(backend, text="ÉLAN nike") == ["F-8"]
    assert ids(backend, text="nova") == ["F-3"]
    assert ids(backend, text="runner") == ["F-3", "F-4"]
    assert ids(backend, text="air max") == ["F-1"]
    # a Chinese query matches inside one run of CJK characters, not across a space or a word
    assert ids(backend, text="雷霆") == ["F-5"]
    assert ids(backend, text="跑鞋") == ["F-5"]
    assert ids(backend, text="雷") == ["F-5", "F-6", "F-7"]
    assert ids(backend, text="霆雷") == []
    assert ids(backend, text="puma") == []
    assert ids(backend, text="  ") == []
    backend.upsert_finding(finding("F-5", 0.5, title="Puma 跑鞋"))
    assert ids(backend, text="跑鞋 雷霆") == []  # the old title is no longer searched
    assert ids(backend, text="puma") == ["F-5"]


def test_search_after_pages_equal_one_big_list(backend):
    for n in range(250):
        backend.upsert_finding(finding(f"F-{n:03}", (n * 37 % 11) / 10))
    everything = backend.list_findings(FindingQuery(limit=1000))
    assert len(everything) == 250
    assert [(f.risk, f.id) for f in everything] == sorted(
        ((f.risk, f.id) for f in everything), key=lambda k: (-k[0], k[1])
    )
    paged = backend.list_findings(FindingQuery(limit=40))
    while True:
        after = (paged[-1].risk, paged[-1].id)
        # offset is ignored once search_after is given
        page = backend.list_findings(FindingQuery(limit=40, offset=7, search_after=after))
        if not page:
            break
        paged += page
    assert [f.id for f in paged] == [f.id for f in everything]
    by_offset = [
        f.id
        for k in range(0, 250, 60)
        for f in backend.list_findings(FindingQuery(limit=60, offset=k))
    ]
    assert by_offset == [f.id for f in everything]
    flagged = [f.id for f in everything if f.flagged]
    first = backend.list_findings(FindingQuery(flagged_only=True, limit=30))
    rest = backend.list_findings(
        FindingQuery(flagged_only=True, limit=1000, search_after=(first[-1].risk, first[-1].id))
    )
    assert [f.id for f in first + rest] == flagged


def test_count_findings_by_each_key(backend):
    plus8 = timezone(timedelta(hours=8))
    backend.upsert_finding(finding("F-1", 0.9))
    backend.upsert_finding(finding("F-2", 0.8, asset_id="A-2", created=T0 + timedelta(days=1)))
    backend.upsert_finding(
        finding("F-3", 0.7, marketplace="other", seller=Seller(id="s-2"), title="Nike 雷霆")
    )
    backend.upsert_finding(
        # 01:00 on May 2nd in UTC+8 is still May 1st in UTC
        finding("F-4", 0.2, seller=None, created=datetime(2024, 5, 2, 1, 0, tzinfo=plus8))
    )
    everything = FindingQuery()
    assert backend.count_findings("marketplace", everything) == {"demo": 3, "other": 1}
    assert backend.count_findings("asset", everything) == {"A-1": 3, "A-2": 1}
    assert backend.count_findings("seller", everything) == {"s-1": 2, "s-2": 1, "": 1}
    assert backend.count_findings("day", everything) == {"2024-05-01": 3, "2024-05-02": 1}
    assert backend.count_findings("asset", FindingQuery(flagged_only=True)) == {"A-1": 2, "A-2": 1}
    assert backend.count_findings("day", FindingQuery(text="雷霆")) == {"2024-05-01": 1}
    assert backend.count_findings("seller", FindingQuery(marketplace="none")) == {}
    assert backend.count_findings("marketplace", FindingQuery(limit=1)) == {"demo": 3, "other": 1}
    with pytest.raises(ValueError, match="marketplace, asset, seller, day, status, owner"):
        backend.count_findings("colour", everything)


# Revisions and status changes


def test_revision_changes_on_every_write(backend):
    backend.upsert_finding(finding("F-1", 0.8))
    seen = [backend.get_finding("F-1").revision]
    backend.upsert_finding(finding("F-1", 0.8))  # even an identical write
    seen.append(backend.get_finding("F-1").revision)
    backend.set_status("F-1", FindingStatus.IN_REVIEW, actor="alice")
    seen.append(backend.get_finding("F-1").revision)
    backend.add_snapshot(snapshot())
    seen.append(backend.get_finding("F-1").revision)
    assert all(isinstance(r, str) and r for r in seen)
    assert len(set(seen)) == 4
    assert [f.revision for f in backend.list_findings(FindingQuery())] == [seen[-1]]
    backend.upsert_finding(finding("F-1", 0.8, revision="bogus"))  # the caller's is ignored
    assert backend.get_finding("F-1").revision not in {*seen, "bogus"}


def test_stale_revision_is_refused_and_writes_nothing(backend):
    backend.upsert_finding(finding("F-1", 0.8))
    loaded = backend.get_finding("F-1")
    backend.set_status(
        "F-1", FindingStatus.IN_REVIEW, actor="alice", expected_revision=loaded.revision
    )
    after_alice = backend.get_finding("F-1")
    with pytest.raises(RecordConflictError, match="reload"):
        backend.set_status(
            "F-1", FindingStatus.DISMISSED, actor="bob", expected_revision=loaded.revision
        )
    assert backend.get_finding("F-1") == after_alice
    assert [e.actor for e in backend.list_events("F-1")] == ["alice"]
    backend.set_status(
        "F-1", FindingStatus.CONFIRMED, actor="bob", expected_revision=after_alice.revision
    )
    backend.set_status("F-1", FindingStatus.NOTICE_SENT, actor="carol")  # last writer wins
    assert backend.get_finding("F-1").status is FindingStatus.NOTICE_SENT
    with pytest.raises(RecordNotFoundError, match="no finding F-x"):
        backend.set_status("F-x", FindingStatus.CONFIRMED, actor="a", expected_revision="1")


def test_concurrent_set_status_with_one_revision_has_one_winner(backend):
    backend.upsert_finding(finding("F-1", 0.8))
    revision = backend.get_finding("F-1").revision
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def review(actor: str, status: FindingStatus) -> None:
        start.wait()
        try:
            backend.set_status("F-1", status, actor=actor, expected_revision=revision)
            outcomes[actor] = "won"
        except RecordConflictError:
            outcomes[actor] = "conflict"

    threads = [
        threading.Thread(target=review, args=("alice", FindingStatus.CONFIRMED)),
        threading.Thread(target=review, args=("bob", FindingStatus.DISMISSED)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["conflict", "won"]
    winner = next(a for a, o in outcomes.items() if o == "won")
    events = backend.list_events("F-1")
    assert [e.actor for e in events] == [winner]
    assert backend.get_finding("F-1").status is events[0].to_status


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
    assert len(backend.list_events("F-1")) == 2


# Snapshots, runs, spool


def test_snapshots_are_stored_once_and_linked(backend):
    backend.upsert_finding(finding("F-1", 0.8))
    backend.add_snapshot(snapshot("S-2", finding_ids=("F-1", "F-unindexed")))
    backend.add_snapshot(snapshot("S-2", finding_ids=("F-1", "F-unindexed")))  # idempotent
    backend.add_snapshot(snapshot("S-1"))
    assert backend.get_finding("F-1").snapshot_ids == ["S-2", "S-1"]
    assert backend.get_snapshot("S-2") == snapshot("S-2", finding_ids=("F-1", "F-unindexed"))
    assert [s.id for s in backend.iter_snapshots()] == ["S-1", "S-2"]
    assert backend.get_snapshot("nope") is None
    with pytest.raises(RecordConflictError, match="never rewritten"):
        backend.add_snapshot(replace(snapshot("S-1"), manifest_sha256="c" * 64))


def test_crawl_runs(backend):
    run = CrawlRun(id="R-1", marketplace="demo", trigger="manual", started=T0)
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


def test_a_run_names_the_interrupted_run_it_resumed(backend):
    run = CrawlRun(id="R-2", marketplace="demo", trigger="manual", started=T0, resumed_from="R-1")
    backend.start_run(run)
    assert backend.get_run("R-2").resumed_from == "R-1"
    backend.finish_run(replace(run, status="finished", finished=T0 + timedelta(minutes=1)))
    assert backend.list_runs()[0].resumed_from == "R-1"


def test_a_snapshot_indexed_before_its_finding_is_linked_when_added_again(backend):
    backend.add_snapshot(snapshot("S-1"))  # recovered from the log after a kill
    backend.upsert_finding(finding("F-1", 0.8))
    backend.add_snapshot(snapshot("S-1"))
    assert backend.get_finding("F-1").snapshot_ids == ["S-1"]


def test_nothing_is_pending_while_the_index_is_reachable(backend):
    assert backend.pending() == 0
    backend.upsert_listing(listing())
    backend.upsert_finding(finding("F-1", 0.8))
    backend.add_snapshot(snapshot())
    backend.start_run(CrawlRun(id="R-1", marketplace="demo", trigger="manual", started=T0))
    assert backend.pending() == 0
    assert backend.flush() == 0
    assert backend.get_finding("F-1").snapshot_ids == ["S-1"]


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


def test_a_seller_is_stored_once_and_hydrated_on_read(backend):
    kicks = Seller(
        id="s-1",
        name="Cheap Kicks",
        url="https://www.shop.example/s-1/",
        marketplace="demo",
        contacts={"store_url": "shop.example/s-1"},
        first_seen=T0,
        last_seen=T0,
    )
    backend.upsert_listing(listing("L-1", seller=kicks))
    later = T0 + timedelta(days=3)
    again = Seller(
        id="s-1",
        marketplace="demo",
        contacts={"email": "kicks@mail.example"},
        first_seen=later,
        last_seen=later,
    )
    backend.upsert_listing(listing("L-2", seller=again))
    backend.upsert_finding(finding("F-1", 0.8, seller=again))
    stored = backend.get_seller(kicks.key)
    assert stored is not None and stored.key == kicks.key
    # Known fields are kept, contacts merged, the seen times widened.
    assert (stored.id, stored.name, stored.url) == ("s-1", "Cheap Kicks", kicks.url)
    assert stored.contacts == {"store_url": "shop.example/s-1", "email": "kicks@mail.example"}
    assert (stored.first_seen, stored.last_seen) == (T0, later)
    assert [s.key for s in backend.iter_sellers()] == [kicks.key]
    for record in (backend.get_listing("L-2"), backend.get_finding("F-1")):
        assert record.seller_key == kicks.key and record.seller == stored
        assert (record.seller_id, record.seller_name) == ("s-1", "Cheap Kicks")
    assert backend.get_listing("L-1").seller_url == kicks.url
    assert [x.seller_name for x in backend.iter_listings()] == ["Cheap Kicks", "Cheap Kicks"]
    assert backend.get_seller("S-nope") is None


def test_a_seller_filter_resolves_id_name_or_key(backend):
    elan = Seller(id="s-2", name="ÉLAN Shop", marketplace="other")
    backend.upsert_finding(finding("F-1", 0.8, marketplace="other", seller=elan))
    backend.upsert_finding(finding("F-2", 0.6))
    backend.upsert_finding(finding("F-3", 0.4, seller=None))
    for name in ("s-2", "élan shop", "ÉLAN SHOP", elan.key):
        assert ids(backend, seller=name) == ["F-1"], name
    assert ids(backend, seller="nobody") == []
    assert backend.count_findings("seller", FindingQuery()) == {"s-2": 1, "s-1": 1, "": 1}
    assert backend.count_findings("seller", FindingQuery(seller="cheap kicks")) == {"s-1": 1}


def test_lists_that_grow_are_keyset_paged_iterators(backend, monkeypatch):
    import store.elastic.base
    import store.sqlite.backend

    monkeypatch.setattr(store.sqlite.backend, "PAGE", 2)
    monkeypatch.setattr(store.elastic.base, "PAGE", 2)
    for i, market in enumerate(["demo", "other", "demo", "demo", "other"]):
        seller = Seller(id=f"s-{i}", name=f"Seller {i}", marketplace=market)
        backend.upsert_listing(listing(f"L-{i}", marketplace=market, seller=seller))
    for i in range(5):
        backend.add_snapshot(snapshot(f"S-{i}"))
    listings = backend.iter_listings()
    assert not isinstance(listings, list) and iter(listings) is listings
    assert [x.id for x in listings] == [f"L-{i}" for i in range(5)]
    assert [x.id for x in backend.iter_listings("demo")] == ["L-0", "L-2", "L-3"]
    assert [x.seller_id for x in backend.iter_listings("other")] == ["s-1", "s-4"]
    assert backend.count_listings() == 5 and backend.count_listings("other") == 2
    snapshots = backend.iter_snapshots()
    assert not isinstance(snapshots, list)
    assert [s.id for s in snapshots] == [f"S-{i}" for i in range(5)]
    sellers = list(backend.iter_sellers())
    assert [s.key for s in sellers] == sorted(s.key for s in sellers) and len(sellers) == 5
    assert {s.id for s in backend.iter_sellers("other")} == {"s-1", "s-4"}
