"""The embedded store: one SQLite file in WAL mode, JSON as TEXT, times as ISO UTC.

Writes run in ``BEGIN IMMEDIATE`` transactions, so a read-modify-write (keep ``first_seen``, keep a
finding's status, check a revision) is atomic between threads and between processes sharing the
file. A finding's revision is an integer bumped by every write of it, handed out as text.
Full-text rules are in ``store.sqlite.text``; the table layout and upgrades in ``schema``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from model import (
    CrawlRun,
    FindingQuery,
    FindingRecord,
    FindingStatus,
    ListingChange,
    ListingRecord,
    ReviewEvent,
    Seller,
    SnapshotRef,
)
from store.exceptions import RecordConflictError, RecordNotFoundError
from store.sqlite.query import (
    count_findings_sql,
    list_findings_sql,
    search_listings_sql,
)
from store.sqlite.rows import (
    FINDING_COLS,
    LISTING_COLS,
    SELLER_COLS,
    finding_from,
    finding_row,
    listing_from,
    listing_row,
    run_from,
    run_row,
    seller_from,
    seller_row,
    snapshot_from,
    ts,
)
from store.sqlite.schema import prepare

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from model import CountBy


PAGE = 500  # rows per keyset page when an iterator walks a whole table

# A seller seen again keeps what is known (id, name, URL, contacts) and widens first/last seen.
SELLER_UPSERT = (
    "INSERT INTO sellers (key, marketplace, id, name, name_folded, url, contacts, first_seen, "
    "last_seen) VALUES (:key, :marketplace, :id, :name, :name_folded, :url, :contacts, "
    ":first_seen, :last_seen) ON CONFLICT(key) DO UPDATE SET "
    "id = COALESCE(excluded.id, id), name = COALESCE(excluded.name, name), "
    "name_folded = COALESCE(excluded.name_folded, name_folded), "
    "url = COALESCE(excluded.url, url), contacts = json_patch(contacts, excluded.contacts), "
    "first_seen = MIN(COALESCE(first_seen, excluded.first_seen), "
    "COALESCE(excluded.first_seen, first_seen)), "
    "last_seen = MAX(COALESCE(last_seen, excluded.last_seen), "
    "COALESCE(excluded.last_seen, last_seen))"
)


def _upsert(table: str, row: dict[str, object], keep: tuple[str, ...], extra: str = "") -> str:
    """INSERT ... ON CONFLICT DO UPDATE: keeps the rowid the full-text index points at."""
    cols = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    sets = ", ".join(f"{k} = excluded.{k}" for k in row if k != "id" and k not in keep)
    return (
        f"INSERT INTO {table} ({cols}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT(id) DO UPDATE SET {sets}{extra}"
    )


class SqliteStore:
    """``Store`` on SQLite; safe to share between threads of one process."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = str(path)
        self._clock = clock or (lambda: datetime.now(UTC))
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        # Autocommit mode: reads see the latest commit; writes open their own transaction.
        self._db = sqlite3.connect(
            self.path, timeout=30, check_same_thread=False, isolation_level=None
        )
        self._db.row_factory = sqlite3.Row
        try:
            prepare(self._db, self.path)
        except BaseException:
            self._db.close()
            raise

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the file's write lock from its first read."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.rollback()
                raise
            self._db.commit()

    # listings
    def upsert_listing(self, listing: ListingRecord) -> ListingChange:
        row = listing_row(listing)
        with self._writing() as db:
            if listing.seller is not None:
                db.execute(SELLER_UPSERT, seller_row(listing.seller))
            old = db.execute(
                "SELECT content_hash FROM listings WHERE id = ?", (listing.id,)
            ).fetchone()
            db.execute(_upsert("listings", row, keep=("first_seen",)), row)
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

    # sellers
    def _sellers(self, keys: Iterable[str | None]) -> dict[str, Seller]:
        """The stored sellers of these keys (callers hold the lock)."""
        wanted = sorted({k for k in keys if k})
        found: dict[str, Seller] = {}
        for start in range(0, len(wanted), PAGE):
            chunk = wanted[start : start + PAGE]
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT {SELLER_COLS} FROM sellers WHERE key IN ({marks})",  # noqa: S608
                chunk,
            ).fetchall()
            found.update((r["key"], seller_from(r)) for r in rows)
        return found

    def _listings(self, rows: list[sqlite3.Row]) -> list[ListingRecord]:
        sellers = self._sellers(r["seller_key"] for r in rows)
        return [listing_from(r, sellers.get(r["seller_key"])) for r in rows]

    def _findings(self, rows: list[sqlite3.Row]) -> list[FindingRecord]:
        sellers = self._sellers(r["seller_key"] for r in rows)
        return [finding_from(r, sellers.get(r["seller_key"])) for r in rows]

    def upsert_seller(self, seller: Seller) -> None:
        """Insert or merge by key: known fields kept, contacts merged, seen times widened."""
        with self._writing() as db:
            db.execute(SELLER_UPSERT, seller_row(seller))

    def get_seller(self, key: str) -> Seller | None:
        with self._lock:
            return self._sellers([key]).get(key)

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

    # findings
    def upsert_finding(self, finding: FindingRecord) -> bool:
        row = finding_row(finding)
        sql = _upsert(
            "findings",
            row,
            keep=("created", "status", "snapshot_ids"),
            extra=", revision = findings.revision + 1",
        )
        with self._writing() as db:
            if finding.seller is not None:
                db.execute(SELLER_UPSERT, seller_row(finding.seller))
            old = db.execute("SELECT 1 FROM findings WHERE id = ?", (finding.id,)).fetchone()
            db.execute(sql, row)
        return old is None

    def get_finding(self, finding_id: str) -> FindingRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {FINDING_COLS} FROM findings WHERE id = ?",  # noqa: S608
                (finding_id,),
            ).fetchone()
            return None if row is None else self._findings([row])[0]

    def list_findings(self, query: FindingQuery) -> list[FindingRecord]:
        sql, args = list_findings_sql(query)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
            return self._findings(rows)

    def count_findings(self, by: CountBy, query: FindingQuery) -> dict[str, int]:
        sql, args = count_findings_sql(by, query)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return {r["k"]: r["c"] for r in rows}

    def set_status(
        self,
        finding_id: str,
        status: FindingStatus,
        actor: str,
        reason: str = "",
        expected_revision: str | None = None,
    ) -> None:
        new = FindingStatus(status)
        at = ts(self._clock())
        with self._writing() as db:
            row = db.execute(
                "SELECT status, revision FROM findings WHERE id = ?", (finding_id,)
            ).fetchone()
            if row is None:
                raise RecordNotFoundError(
                    f"no finding {finding_id}; list ids with `ipwatch findings list`"
                )
            current = str(row["revision"])
            if expected_revision is not None and expected_revision != current:
                raise RecordConflictError(
                    f"finding {finding_id} changed since it was loaded (revision "
                    f"{expected_revision}, now {current}); whoever set {new.value!r} should "
                    f"reload it (`ipwatch findings show {finding_id}`) and decide again"
                )
            db.execute(
                "UPDATE findings SET status = ?, updated = ?, revision = revision + 1 WHERE id = ?",
                (new.value, at, finding_id),
            )
            db.execute(
                "INSERT INTO finding_events (finding_id, at, actor, from_status, to_status, "
                "reason) VALUES (?, ?, ?, ?, ?, ?)",
                (finding_id, at, actor, row["status"], new.value, reason),
            )

    def list_events(self, finding_id: str) -> list[ReviewEvent]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM finding_events WHERE finding_id = ? ORDER BY n", (finding_id,)
            ).fetchall()
        return [
            ReviewEvent(
                finding_id=r["finding_id"],
                at=datetime.fromisoformat(r["at"]),
                actor=r["actor"],
                from_status=FindingStatus(r["from_status"]),
                to_status=FindingStatus(r["to_status"]),
                reason=r["reason"],
            )
            for r in rows
        ]

    # snapshots
    def add_snapshot(self, snapshot: SnapshotRef) -> None:
        """Store once; linking adds the id to each cited finding already in the index."""
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
                return
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            db.execute(f"INSERT INTO snapshots ({cols}) VALUES ({marks})", row)  # noqa: S608
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
                db.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)", run_row(run))
        except sqlite3.IntegrityError:
            raise RecordConflictError(
                f"crawl run {run.id} was already started; give each run a new id"
            ) from None

    def finish_run(self, run: CrawlRun) -> None:
        row = run_row(run)
        with self._writing() as db:
            cur = db.execute(
                "UPDATE runs SET marketplace = ?, trigger = ?, started = ?, finished = ?, "
                "counters = ?, status = ? WHERE id = ?",
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

    # the spool: SQLite is local, so a write either reaches the file or raises
    def pending(self) -> int:
        return 0

    def flush(self) -> int:
        return 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
