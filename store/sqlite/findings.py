"""Findings in SQLite: upserts that keep a finding's review state, lists, counts and review."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from model import FindingStatus, ReviewEvent
from store.exceptions import RecordConflictError, RecordNotFoundError
from store.sqlite.base import upsert_sql
from store.sqlite.query import RARE_KIND, RARE_KIND_SQL, count_findings_sql, list_findings_sql
from store.sqlite.rows import FINDING_COLS, finding_from, finding_row, seller_row, ts
from store.sqlite.sellers import SELLER_UPSERT, SqliteSellers

if TYPE_CHECKING:
    import sqlite3

    from model import CountBy, FindingQuery, FindingRecord


class SqliteFindings(SqliteSellers):
    """A finding's status changes only through ``set_status``, which logs a review event."""

    def upsert_finding(self, finding: FindingRecord) -> bool:
        row = finding_row(finding)
        sql = upsert_sql(
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

    def _findings(self, rows: list[sqlite3.Row]) -> list[FindingRecord]:
        sellers = self._sellers(r["seller_key"] for r in rows)
        return [finding_from(r, sellers.get(r["seller_key"])) for r in rows]

    def _rare_kind(self, query: FindingQuery) -> bool:
        """Whether few findings carry the query's signal kind (a bounded index count)."""
        if query.signal_kind is None:
            return True
        found = self._db.execute(RARE_KIND_SQL, (query.signal_kind, RARE_KIND)).fetchone()[0]
        return int(found) < RARE_KIND

    def list_findings(self, query: FindingQuery) -> list[FindingRecord]:
        with self._lock:
            sql, args = list_findings_sql(query, self._rare_kind(query))
            rows = self._db.execute(sql, args).fetchall()
            return self._findings(rows)

    def count_findings(self, by: CountBy, query: FindingQuery) -> dict[str, int]:
        with self._lock:
            sql, args = count_findings_sql(by, query, self._rare_kind(query))
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
