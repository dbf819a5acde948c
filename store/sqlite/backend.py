"""``Store`` on SQLite: one file in WAL mode, JSON as TEXT, times as ISO UTC.

Built in layers, one job per module: ``base`` (the file and its write transactions),
``sellers``, ``findings`` (findings and their review); this module holds listings, snapshots
and runs, and the iterators that walk a whole table a page at a time. Full-text rules are in
``store.sqlite.text``; the table layout and upgrades in ``schema``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from typing import TYPE_CHECKING

from model import ListingChange
from store.exceptions import RecordConflictError, RecordNotFoundError
from store.sqlite.base import upsert_sql
from store.sqlite.findings import SqliteFindings
from store.sqlite.notices import SqliteNotices
from store.sqlite.query import search_listings_sql
from store.sqlite.rows import (
    LISTING_COLS,
    SELLER_COLS,
    listing_from,
    listing_row,
    run_from,
    run_row,
    seller_from,
    seller_row,
    snapshot_from,
    ts,
)
from store.sqlite.sellers import SELLER_UPSERT
from store.sqlite.states import SqliteStates

if TYPE_CHECKING:
    from collections.abc import Iterator

    from model import CrawlRun, ListingRecord, Seller, SnapshotRef


PAGE = 500  # rows per keyset page when an iterator walks a whole table


class SqliteStore(SqliteFindings, SqliteNotices, SqliteStates):
    """``Store`` on SQLite; safe to share between threads of one process."""

    # listings
    def upsert_listing(self, listing: ListingRecord) -> ListingChange:
        row = listing_row(listing)
        with self._writing() as db:
            if listing.seller is not None:
                db.execute(SELLER_UPSERT, seller_row(listing.seller))
            old = db.execute(
                "SELECT content_hash FROM listings WHERE id = ?", (listing.id,)
            ).fetchone()
            db.execute(upsert_sql("listings", row, keep=("first_seen",)), row)
        if old is None:
            return ListingChange.NEW
        if old["content_hash"] != listing.content_hash:
            return ListingChange.CHANGED
        return ListingChange.UNCHANGED

    def get_listing(self, listing_id: str) -> ListingRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {LISTING_COLS} FROM listings WHERE id = ?",  # noqa: S608
                (listing_id,),
            ).fetchone()
            return None if row is None else self._listings([row])[0]

    def iter_listings(self, marketplace: str | None = None) -> Iterator[ListingRecord]:
        """Every listing (of one marketplace), by id, read a page at a time."""
        where = "" if marketplace is None else " AND marketplace = ?"
        sql = (
            f"SELECT {LISTING_COLS} FROM listings WHERE id > ?{where} "  # noqa: S608
            "ORDER BY id LIMIT ?"
        )
        last = ""
        while True:
            args = (last,) if marketplace is None else (last, marketplace)
            with self._lock:
                rows = self._db.execute(sql, (*args, PAGE)).fetchall()
                page = self._listings(rows)
            yield from page
            if len(rows) < PAGE:
                return
            last = page[-1].id

    def count_listings(self, marketplace: str | None = None) -> int:
        sql, args = "SELECT COUNT(*) FROM listings", tuple[str, ...]()
        if marketplace is not None:
            sql, args = sql + " WHERE marketplace = ?", (marketplace,)
        with self._lock:
            return int(self._db.execute(sql, args).fetchone()[0])

    def _listings(self, rows: list[sqlite3.Row]) -> list[ListingRecord]:
        sellers = self._sellers(r["seller_key"] for r in rows)
        return [listing_from(r, sellers.get(r["seller_key"])) for r in rows]

    def search_listings(
        self,
        text: str,
        marketplace: str | None = None,
        limit: int = 100,
        search_after: str | None = None,
    ) -> list[ListingRecord]:
        built = search_listings_sql(text, marketplace, limit, search_after)
        if built is None:
            return []
        with self._lock:
            rows = self._db.execute(*built).fetchall()
            return self._listings(rows)

    # sellers (the rest in ``store.sqlite.sellers``; this pager shares ``PAGE``)
    def iter_sellers(self, marketplace: str | None = None) -> Iterator[Seller]:
        """Every seller (of one marketplace), by key, read a page at a time."""
        where = "" if marketplace is None else " AND marketplace = ?"
        sql = (
            f"SELECT {SELLER_COLS} FROM sellers WHERE key > ?{where} "  # noqa: S608
            "ORDER BY key LIMIT ?"
        )
        last = ""
        while True:
            args = (last,) if marketplace is None else (last, marketplace)
            with self._lock:
                rows = self._db.execute(sql, (*args, PAGE)).fetchall()
            yield from (seller_from(r) for r in rows)
            if len(rows) < PAGE:
                return
            last = rows[-1]["key"]

    # snapshots
    def add_snapshot(self, snapshot: SnapshotRef) -> None:
        """Store once; every call links the id to each cited finding already in the index."""
        row = asdict(snapshot)
        row.update(
            finding_ids=json.dumps(snapshot.finding_ids),
            captured_at=ts(snapshot.captured_at),
            artifacts=json.dumps(snapshot.artifacts, sort_keys=True),
        )
        with self._writing() as db:
            old = db.execute("SELECT * FROM snapshots WHERE id = ?", (snapshot.id,)).fetchone()
            if old is not None:
                if dict(old) != row:
                    raise RecordConflictError(
                        f"snapshot {snapshot.id} is already indexed with other content; sealed "
                        "evidence is never rewritten: seal a new snapshot instead"
                    )
            else:
                cols = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                db.execute(f"INSERT INTO snapshots ({cols}) VALUES ({marks})", row)  # noqa: S608
            # Link every time (idempotent, as the OpenSearch backend does): a snapshot indexed
            # before its finding (recovered after a kill) is linked when the finding arrives.
            for finding_id in snapshot.finding_ids:
                found = db.execute(
                    "SELECT snapshot_ids FROM findings WHERE id = ?", (finding_id,)
                ).fetchone()
                if found is None:
                    continue
                ids = json.loads(found["snapshot_ids"])
                if snapshot.id not in ids:
                    db.execute(
                        "UPDATE findings SET snapshot_ids = ?, revision = revision + 1 "
                        "WHERE id = ?",
                        (json.dumps([*ids, snapshot.id]), finding_id),
                    )

    def get_snapshot(self, snapshot_id: str) -> SnapshotRef | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM snapshots WHERE id = ?", (snapshot_id,)
            ).fetchone()
        return None if row is None else snapshot_from(row)

    def iter_snapshots(self) -> Iterator[SnapshotRef]:
        """Every snapshot, oldest capture first, read a page at a time."""
        after: tuple[str, str] = ("", "")
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT * FROM snapshots WHERE (captured_at, id) > (?, ?) "
                    "ORDER BY captured_at, id LIMIT ?",
                    (*after, PAGE),
                ).fetchall()
            yield from (snapshot_from(r) for r in rows)
            if len(rows) < PAGE:
                return
            after = (rows[-1]["captured_at"], rows[-1]["id"])

    # crawl runs
    def start_run(self, run: CrawlRun) -> None:
        try:
            with self._writing() as db:
                db.execute(
                    "INSERT INTO runs (id, marketplace, trigger, started, finished, counters, "
                    "status, resumed_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    run_row(run),
                )
        except sqlite3.IntegrityError:
            raise RecordConflictError(
                f"crawl run {run.id} was already started; give each run a new id"
            ) from None

    def finish_run(self, run: CrawlRun) -> None:
        row = run_row(run)
        with self._writing() as db:
            cur = db.execute(
                "UPDATE runs SET marketplace = ?, trigger = ?, started = ?, finished = ?, "
                "counters = ?, status = ?, resumed_from = ? WHERE id = ?",
                (*row[1:], run.id),
            )
            if cur.rowcount == 0:
                raise RecordNotFoundError(f"no crawl run {run.id}; call start_run first")

    def get_run(self, run_id: str) -> CrawlRun | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else run_from(row)

    def list_runs(self, limit: int = 20) -> list[CrawlRun]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM runs ORDER BY started DESC, id DESC LIMIT ?", (max(limit, 0),)
            ).fetchall()
        return [run_from(r) for r in rows]
