"""What only the SQLite backend promises: WAL, in-place upgrades, one file shared by processes."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime

import pytest

from model import (
    CrawlRun,
    FindingQuery,
    FindingRecord,
    FindingStatus,
    ListingChange,
    ListingRecord,
    Seller,
)
from store import SqliteStore
from store.exceptions import IndexConfigError, RecordConflictError
from store.sqlite.schema import SCHEMA_VERSION

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
STAMP = "2024-05-01T12:00:00.000000Z"

# The schema ipwatch wrote before full-text search and revisions (user_version 1), verbatim.
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS listings (
  id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL,
  content_hash TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  description TEXT NOT NULL, price TEXT, currency TEXT, seller_id TEXT, seller_name TEXT,
  seller_url TEXT, item_id TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS listings_marketplace ON listings(marketplace);
CREATE TABLE IF NOT EXISTS findings (
  id TEXT PRIMARY KEY, listing_id TEXT NOT NULL, asset_id TEXT NOT NULL, owner TEXT NOT NULL,
  marketplace TEXT NOT NULL, risk REAL NOT NULL, flagged INTEGER NOT NULL, signals TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, status TEXT NOT NULL, seller_id TEXT,
  seller_name TEXT, seller_key TEXT, title TEXT NOT NULL, url TEXT NOT NULL,
  registration_number TEXT, snapshot_ids TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_risk ON findings(risk DESC, id);
CREATE INDEX IF NOT EXISTS findings_asset ON findings(asset_id);
CREATE INDEX IF NOT EXISTS findings_listing ON findings(listing_id);
CREATE TABLE IF NOT EXISTS finding_events (
  n INTEGER PRIMARY KEY AUTOINCREMENT, finding_id TEXT NOT NULL, at TEXT NOT NULL,
  actor TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS finding_events_finding ON finding_events(finding_id, n);
CREATE TABLE IF NOT EXISTS snapshots (
  id TEXT PRIMARY KEY, finding_ids TEXT NOT NULL, listing_id TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL, ledger_seq INTEGER NOT NULL, captured_at TEXT NOT NULL,
  url TEXT NOT NULL, artifacts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, trigger TEXT NOT NULL, started TEXT NOT NULL,
  finished TEXT, counters TEXT NOT NULL, status TEXT NOT NULL);
"""


def write_v1_file(path, user_version: int) -> None:
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.execute(
        "INSERT INTO listings VALUES ('L-1', 'demo', 'http://127.0.0.1/L-1', '耐克雷霆 Nike Air', "
        "'h1', ?, ?, 'cheap copy', '19.99', 'EUR', 's-1', 'Cheap Kicks', NULL, 'i-1', ?)",
        (STAMP, STAMP, json.dumps({"size": "42"})),
    )
    for fid, risk, status, snaps in (("F-1", 0.9, "confirmed", ["S-1"]), ("F-2", 0.4, "new", [])):
        db.execute(
            "INSERT INTO findings VALUES (?, 'L-1', 'A-1', 'Nike', 'demo', ?, ?, '[]', ?, ?, ?, "
            "'s-1', 'Cheap Kicks', 'cheap kicks', ?, 'http://127.0.0.1/L-1', 'US 1', ?)",
            (fid, risk, int(risk >= 0.5), STAMP, STAMP, status, f"Nike {fid}", json.dumps(snaps)),
        )
    db.execute(
        "INSERT INTO finding_events (finding_id, at, actor, from_status, to_status, reason) "
        "VALUES ('F-1', ?, 'alice', 'new', 'confirmed', 'clear copy')",
        (STAMP,),
    )
    db.execute(f"PRAGMA user_version = {user_version}")
    db.commit()
    db.close()


@pytest.mark.parametrize("user_version", [1, 0])
def test_a_version_1_file_is_upgraded_in_place(tmp_path, user_version):
    path = tmp_path / "old.db"
    write_v1_file(path, user_version)
    index = SqliteStore(path)
    expected = FindingRecord(
        id="F-1",
        listing_id="L-1",
        asset_id="A-1",
        owner="Nike",
        marketplace="demo",
        risk=0.9,
        flagged=True,
        signals=[],
        created=T0,
        updated=T0,
        status=FindingStatus.CONFIRMED,
        seller=Seller(id="s-1", name="Cheap Kicks"),
        title="Nike F-1",
        url="http://127.0.0.1/L-1",
        registration_number="US 1",
        snapshot_ids=["S-1"],
        revision="1",
    )
    assert index.get_finding("F-1") == expected
    assert [e.reason for e in index.list_events("F-1")] == ["clear copy"]
    assert [f.id for f in index.list_findings(FindingQuery(text="f-2"))] == ["F-2"]
    assert [x.id for x in index.search_listings("雷霆")] == ["L-1"]
    assert [x.id for x in index.search_listings("copy")] == ["L-1"]
    assert index.get_listing("L-1").data == {"size": "42"}
    index.set_status("F-2", FindingStatus.IN_REVIEW, actor="bob", expected_revision="1")
    with pytest.raises(RecordConflictError):
        index.set_status("F-2", FindingStatus.DISMISSED, actor="eve", expected_revision="1")
    changed = ListingRecord(
        id="L-1",
        marketplace="demo",
        url="http://127.0.0.1/L-1",
        title="Adidas",
        content_hash="h2",
        first_seen=T0,
        last_seen=T0,
    )
    assert index.upsert_listing(changed) is ListingChange.CHANGED
    assert index.search_listings("雷霆") == []
    index.close()

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # 4: signal kinds
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert not {"listings_v1", "findings_v1"} & tables
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    reopened = SqliteStore(path)  # a second open changes nothing
    assert reopened.get_finding("F-2").status is FindingStatus.IN_REVIEW
    assert [x.id for x in reopened.search_listings("adidas")] == ["L-1"]
    reopened.close()


def test_a_file_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(IndexConfigError, match=r"newer ipwatch.*upgrade ipwatch"):
        SqliteStore(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


def test_sqlite_file_is_in_wal_mode(tmp_path):
    SqliteStore(tmp_path / "w.db").close()
    with sqlite3.connect(tmp_path / "w.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_two_connections_to_one_file_have_one_winner(tmp_path):
    """Two processes (here: two connections) reviewing the same finding from one revision."""
    path = tmp_path / "shared.db"
    first, second = SqliteStore(path), SqliteStore(path)
    first.upsert_finding(
        FindingRecord(
            id="F-1",
            listing_id="L-1",
            asset_id="A-1",
            owner="Nike",
            marketplace="demo",
            risk=0.8,
            flagged=True,
            signals=[],
            created=T0,
            updated=T0,
        )
    )
    revision = second.get_finding("F-1").revision
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def review(index: SqliteStore, actor: str) -> None:
        start.wait()
        try:
            index.set_status("F-1", FindingStatus.CONFIRMED, actor, expected_revision=revision)
            outcomes.append("won")
        except RecordConflictError:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=review, args=(first, "alice")),
        threading.Thread(target=review, args=(second, "bob")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert len(first.list_events("F-1")) == 1
    first.close()
    second.close()


def test_full_text_index_survives_vacuum(tmp_path):
    path = tmp_path / "v.db"
    index = SqliteStore(path)
    for n, title in enumerate(["Nike Air", "Puma", "雷霆 Nike"]):
        index.upsert_listing(
            ListingRecord(
                id=f"L-{n}",
                marketplace="demo",
                url=f"http://127.0.0.1/{n}",
                title=title,
                content_hash="h",
                first_seen=T0,
                last_seen=T0,
            )
        )
    index.close()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM listings WHERE id = 'L-0'")
    db.execute("VACUUM")
    db.close()
    index = SqliteStore(path)
    assert [x.id for x in index.search_listings("nike")] == ["L-2"]
    assert [x.id for x in index.search_listings("puma")] == ["L-1"]
    index.close()


def write_v3_file(path) -> None:
    """A schema 3 file: today's layout without what version 4 added, with findings in it."""
    index = SqliteStore(path)
    for n, kinds in enumerate((["text", "image", "text"], ["image"], [])):
        index.upsert_finding(
            FindingRecord(
                id=f"F-{n}",
                listing_id="L-1",
                asset_id="A-1",
                owner="Nike",
                marketplace="demo",
                risk=0.9 - n / 10,
                flagged=True,
                signals=[{"kind": k, "score": 0.5, "detail": "d", "evidence": {}} for k in kinds],
                created=T0,
                updated=T0,
            )
        )
    index.close()
    with sqlite3.connect(path) as db:
        for kind, name in db.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE 'finding_signals%' "
            "OR name IN ('findings_owner', 'findings_owner_status', 'findings_status', "
            "'findings_created')"
        ).fetchall():
            if kind != "table":
                db.execute(f"DROP {kind} {name}")
        db.execute("DROP TABLE finding_signals")
        # rows an older or foreign writer may have left: none may stop the upgrade
        for n, signals in enumerate(
            ('{"kind": "text"}', '["text", 3]', '[{"kind": 7}, {"kind": "price"}]', "not json")
        ):
            db.execute(
                "INSERT INTO findings (id, listing_id, asset_id, owner, marketplace, risk, "
                "flagged, signals, created, updated, status, title, url, snapshot_ids) VALUES "
                "(?, 'L-2', 'A-1', 'Nike', 'demo', 0.1, 0, ?, ?, ?, 'new', '', '', '[]')",
                (f"F-odd-{n}", signals, STAMP, STAMP),
            )
        db.execute("PRAGMA user_version = 3")
    db.close()


def test_a_version_3_file_gets_signal_kinds_backfilled_in_place(tmp_path):
    path = tmp_path / "v3.db"
    write_v3_file(path)
    index = SqliteStore(path)
    assert index.count_findings("signal_kind", FindingQuery()) == {
        "text": 1,
        "image": 2,
        "price": 1,
    }
    assert [f.id for f in index.list_findings(FindingQuery(signal_kind="image"))] == ["F-0", "F-1"]
    assert [f.id for f in index.list_findings(FindingQuery(signal_kind="price"))] == ["F-odd-2"]
    index.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # the triggers keep the kinds in step with writes from any connection
        db.execute("""UPDATE findings SET signals = '[{"kind": "patent"}]' WHERE id = 'F-1'""")
        db.execute("DELETE FROM findings WHERE id = 'F-0'")
        kinds = db.execute("SELECT kind, count(*) FROM finding_signals GROUP BY kind").fetchall()
        assert dict(kinds) == {"patent": 1, "price": 1}
    db.close()


def test_search_reads_through_a_zero_width_space_inside_a_word() -> None:
    """A title kept as captured ("Quv\u200baro") is still found by the word a reviewer types."""
    from store.sqlite.text import match_expression, terms

    assert terms("Quv\u200baro earbuds") == "quvaro earbuds"
    assert match_expression("quv\u200baro") == '"quvaro"'


def test_a_version_4_file_gets_the_notice_tables_in_place(tmp_path):
    """Version 5 (issue 13) adds notices, their events and webhook deliveries; the findings a
    version 4 file holds stay as they were."""
    from model.notices import NoticeFile, NoticeQuery, NoticeRecord, NoticeState

    path = tmp_path / "v4.db"
    write_v3_file(path)
    SqliteStore(path).close()  # now a version 5 file; take version 5's tables away again
    with sqlite3.connect(path) as db:
        for table in ("notices", "notice_events", "webhook_deliveries"):
            db.execute(f"DROP TABLE {table}")
        db.execute("PRAGMA user_version = 4")
    db.close()
    index = SqliteStore(path)
    assert index.count_findings("status", FindingQuery()) == {"new": 7}
    index.add_notice(
        NoticeRecord(
            id="N-1",
            owner="Nike",
            marketplace="demo",
            template="generic",
            state=NoticeState.DRAFT,
            created=T0,
            updated=T0,
            created_by="ana",
            finding_ids=["F-0"],
            urls=["http://127.0.0.1/1"],
            files=[NoticeFile("N-1.txt", "ab" * 32, 1, "text/plain")],
        )
    )
    assert [n.id for n in index.list_notices(NoticeQuery())] == ["N-1"]
    index.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_a_version_5_file_gets_the_listing_states_table_in_place(tmp_path):
    """Version 6 (issue 14) adds each run's listing states; what a version 5 file holds stays."""
    from model import ListingState, RunListingState

    path = tmp_path / "v5.db"
    write_v3_file(path)
    SqliteStore(path).close()  # now a version 6 file; take version 6's table away again
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE listing_states")
        db.execute("PRAGMA user_version = 5")
    db.close()
    index = SqliteStore(path)
    assert index.count_findings("status", FindingQuery()) == {"new": 7}
    state = RunListingState("R-1", "demo:1", "demo", ListingState.GONE, T0, "absent")
    index.put_listing_states([state])
    assert list(index.iter_listing_states("R-1")) == [state]
    index.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_a_version_6_file_gets_the_resumed_from_column_in_place(tmp_path):
    """Version 7 (issue 14) names the run a resumed crawl carried on; older runs stay readable."""
    path = tmp_path / "v6.db"
    index = SqliteStore(path)
    index.start_run(CrawlRun(id="R-1", marketplace="demo", trigger="manual", started=T0))
    index.close()
    with sqlite3.connect(path) as db:  # take version 7's column away again
        db.execute("ALTER TABLE runs DROP COLUMN resumed_from")
        db.execute("PRAGMA user_version = 6")
    db.close()
    index = SqliteStore(path)
    assert index.get_run("R-1").resumed_from is None
    resumed = CrawlRun(
        id="R-2", marketplace="demo", trigger="manual", started=T0, resumed_from="R-1"
    )
    index.start_run(resumed)
    assert index.get_run("R-2") == resumed
    index.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
    db.close()
