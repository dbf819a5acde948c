"""The embedded evidence index: one SQLite file in WAL mode, JSON as TEXT, times as ISO UTC."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.exceptions import IndexConfigError, RecordConflictError, RecordNotFoundError
from evidence.index.records import (
    AuditEventRecord,
    CrawlRunRecord,
    FindingQuery,
    FindingRecord,
    FindingStatus,
    ListingChange,
    ListingRecord,
    SnapshotRecord,
)
from evidence.index.sqlite_rows import (
    FINDING_COLS,
    SCHEMA,
    SCHEMA_VERSION,
    finding_from,
    listing_from,
    run_from,
    run_row,
    seller_key,
    snapshot_from,
    ts,
)

if TYPE_CHECKING:
    from collections.abc import Callable


class SqliteIndex:
    """``EvidenceIndex`` on SQLite; safe to share between threads of one process."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = str(path)
        self._clock = clock or (lambda: datetime.now(UTC))
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise IndexConfigError(
                f"{self.path} was written by a newer ipwatch (schema {version}); upgrade ipwatch"
            )
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.executescript(SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # listings
    def upsert_listing(self, listing: ListingRecord) -> ListingChange:
        with self._lock, self._db as db:
            old = db.execute(
                "SELECT content_hash, first_seen FROM listings WHERE id = ?", (listing.id,)
            ).fetchone()
            row = asdict(listing)
            row["first_seen"] = old["first_seen"] if old else ts(listing.first_seen)
            row["last_seen"] = ts(listing.last_seen)
            row["data"] = json.dumps(listing.data, sort_keys=True, default=str)
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            db.execute(f"INSERT OR REPLACE INTO listings ({cols}) VALUES ({marks})", row)  # noqa: S608
        if old is None:
            return ListingChange.NEW
        if old["content_hash"] != listing.content_hash:
            return ListingChange.CHANGED
        return ListingChange.UNCHANGED

    def get_listing(self, listing_id: str) -> ListingRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM listings WHERE id = ?", (listing_id,)).fetchone()
        return None if row is None else listing_from(row)

    def iter_listings(self, marketplace: str | None = None) -> list[ListingRecord]:
        sql = "SELECT * FROM listings"
        args: tuple[str, ...] = ()
        if marketplace is not None:
            sql, args = sql + " WHERE marketplace = ?", (marketplace,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [listing_from(r) for r in rows]

    # findings
    def upsert_finding(self, finding: FindingRecord) -> bool:
        with self._lock, self._db as db:
            old = db.execute(
                "SELECT status, created, snapshot_ids FROM findings WHERE id = ?", (finding.id,)
            ).fetchone()
            row = asdict(finding)
            row.update(
                risk=float(finding.risk),
                flagged=int(bool(finding.flagged)),
                signals=json.dumps(finding.signals, sort_keys=True, default=str),
                created=old["created"] if old else ts(finding.created),
                updated=ts(finding.updated),
                status=old["status"] if old else FindingStatus(finding.status).value,
                snapshot_ids=old["snapshot_ids"] if old else json.dumps(finding.snapshot_ids),
                seller_key=seller_key(finding.seller_name),
            )
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            db.execute(f"INSERT OR REPLACE INTO findings ({cols}) VALUES ({marks})", row)  # noqa: S608
        return old is None

    def get_finding(self, finding_id: str) -> FindingRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {FINDING_COLS} FROM findings WHERE id = ?",  # noqa: S608
                (finding_id,),
            ).fetchone()
        return None if row is None else finding_from(row)

    def list_findings(self, query: FindingQuery) -> list[FindingRecord]:
        if query.limit < 0 or query.offset < 0:
            raise ValueError("limit and offset must be zero or more")
        where: list[str] = ["1 = 1"]
        args: list[str | int | None] = []
        if query.asset_id is not None:
            where.append("asset_id = ?")
            args.append(query.asset_id)
        if query.seller is not None:
            where.append("(seller_id = ? OR seller_key = ?)")
            args += [query.seller, seller_key(query.seller)]
        if query.marketplace is not None:
            where.append("marketplace = ?")
            args.append(query.marketplace)
        if query.status is not None:
            where.append("status = ?")
            args.append(FindingStatus(query.status).value)
        if query.flagged_only:
            where.append("flagged = 1")
        sql = (
            f"SELECT {FINDING_COLS} FROM findings WHERE {' AND '.join(where)} "  # noqa: S608
            "ORDER BY risk DESC, id ASC LIMIT ? OFFSET ?"
        )
        with self._lock:
            rows = self._db.execute(sql, [*args, query.limit, query.offset]).fetchall()
        return [finding_from(r) for r in rows]

    def set_status(
        self, finding_id: str, status: FindingStatus, actor: str, reason: str = ""
    ) -> None:
        new = FindingStatus(status)
        at = ts(self._clock())
        with self._lock, self._db as db:
            row = db.execute("SELECT status FROM findings WHERE id = ?", (finding_id,)).fetchone()
            if row is None:
                raise RecordNotFoundError(
                    f"no finding {finding_id}; list ids with `ipwatch findings list`"
                )
            db.execute(
                "UPDATE findings SET status = ?, updated = ? WHERE id = ?",
                (new.value, at, finding_id),
            )
            db.execute(
                "INSERT INTO finding_events (finding_id, at, actor, from_status, to_status, "
                "reason) VALUES (?, ?, ?, ?, ?, ?)",
                (finding_id, at, actor, row["status"], new.value, reason),
            )

    def list_events(self, finding_id: str) -> list[AuditEventRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM finding_events WHERE finding_id = ? ORDER BY n", (finding_id,)
            ).fetchall()
        return [
            AuditEventRecord(
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
    def add_snapshot(self, snapshot: SnapshotRecord) -> None:
        """Store once; linking adds the id to each cited finding already in the index."""
        row = asdict(snapshot)
        row.update(
            finding_ids=json.dumps(snapshot.finding_ids),
            captured_at=ts(snapshot.captured_at),
            artifacts=json.dumps(snapshot.artifacts, sort_keys=True),
        )
        with self._lock, self._db as db:
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
                        "UPDATE findings SET snapshot_ids = ? WHERE id = ?",
                        (json.dumps([*ids, snapshot.id]), finding_id),
                    )

    def get_snapshot(self, snapshot_id: str) -> SnapshotRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM snapshots WHERE id = ?", (snapshot_id,)
            ).fetchone()
        return None if row is None else snapshot_from(row)

    def list_snapshots(self) -> list[SnapshotRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM snapshots ORDER BY captured_at, id").fetchall()
        return [snapshot_from(r) for r in rows]

    # crawl runs
    def start_run(self, run: CrawlRunRecord) -> None:
        try:
            with self._lock, self._db as db:
                db.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)", run_row(run))
        except sqlite3.IntegrityError:
            raise RecordConflictError(
                f"crawl run {run.id} was already started; give each run a new id"
            ) from None

    def finish_run(self, run: CrawlRunRecord) -> None:
        row = run_row(run)
        with self._lock, self._db as db:
            cur = db.execute(
                "UPDATE runs SET marketplace = ?, trigger = ?, started = ?, finished = ?, "
                "counters = ?, status = ? WHERE id = ?",
                (*row[1:], run.id),
            )
            if cur.rowcount == 0:
                raise RecordNotFoundError(f"no crawl run {run.id}; call start_run first")

    def get_run(self, run_id: str) -> CrawlRunRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else run_from(row)

    def list_runs(self, limit: int = 20) -> list[CrawlRunRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM runs ORDER BY started DESC, id DESC LIMIT ?", (max(limit, 0),)
            ).fetchall()
        return [run_from(r) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
