"""Takedown notices, their state events and webhook deliveries on SQLite.

A notice's state changes by compare-and-set on its integer ``revision``, in the same write
transaction as its event, exactly as a finding's review status does.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from model.notices import (
    NoticeEvent,
    NoticeFile,
    NoticeRecord,
    NoticeState,
    WebhookDelivery,
    delivery_from_json,
    delivery_json,
)
from store.exceptions import RecordConflictError, RecordNotFoundError
from store.sqlite.base import SqliteBase
from store.sqlite.rows import dt, ts

if TYPE_CHECKING:
    from model.notices import NoticeQuery

_LISTS = ("finding_ids", "urls", "evidence", "files")


def _notice_row(notice: NoticeRecord) -> dict[str, Any]:
    data = notice.to_dict()
    return {
        "id": notice.id,
        "owner": notice.owner,
        "marketplace": notice.marketplace,
        "template": notice.template,
        "state": notice.state.value,
        "created": ts(notice.created),
        "updated": ts(notice.updated),
        "created_by": notice.created_by,
        "sha256": notice.sha256,
        "data": json.dumps({k: data[k] for k in _LISTS}, sort_keys=True),
    }


def _notice_from(row: sqlite3.Row) -> NoticeRecord:
    data = json.loads(row["data"])
    created, updated = dt(row["created"]), dt(row["updated"])
    assert created is not None and updated is not None
    return NoticeRecord(
        id=row["id"],
        owner=row["owner"],
        marketplace=row["marketplace"],
        template=row["template"],
        state=NoticeState(row["state"]),
        created=created,
        updated=updated,
        created_by=row["created_by"],
        finding_ids=list(data["finding_ids"]),
        urls=list(data["urls"]),
        evidence=list(data["evidence"]),
        files=[NoticeFile(**f) for f in data["files"]],
        sha256=row["sha256"],
        revision=str(row["revision"]),
    )


class SqliteNotices(SqliteBase):
    """Notices and webhook deliveries; mixed into ``SqliteStore``."""

    def add_notice(self, notice: NoticeRecord) -> None:
        row = _notice_row(notice)
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        try:
            with self._writing() as db:
                db.execute(f"INSERT INTO notices ({cols}) VALUES ({marks})", row)  # noqa: S608
        except sqlite3.IntegrityError:
            raise RecordConflictError(
                f"notice {notice.id} is already stored; a notice is never rewritten"
            ) from None

    def get_notice(self, notice_id: str) -> NoticeRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM notices WHERE id = ?", (notice_id,)).fetchone()
        return None if row is None else _notice_from(row)

    def list_notices(self, query: NoticeQuery) -> list[NoticeRecord]:
        if query.owners is not None and not query.owners:
            return []
        where, args = ["1 = 1"], list[Any]()
        if query.owners is not None:
            where.append(f"owner IN ({', '.join('?' for _ in query.owners)})")
            args.extend(query.owners)
        if query.state is not None:
            where.append("state = ?")
            args.append(NoticeState(query.state).value)
        if query.marketplace is not None:
            where.append("marketplace = ?")
            args.append(query.marketplace)
        sql = (
            f"SELECT * FROM notices WHERE {' AND '.join(where)} "  # noqa: S608 (our names only)
            "ORDER BY created DESC, id LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, (*args, max(query.limit, 0))).fetchall()
        return [_notice_from(r) for r in rows]

    def set_notice_state(
        self,
        notice_id: str,
        state: NoticeState,
        actor: str,
        reason: str = "",
        expected_revision: str | None = None,
    ) -> NoticeEvent:
        at = self._clock()
        to_state = NoticeState(state)
        with self._writing() as db:
            row = db.execute(
                "SELECT state, revision FROM notices WHERE id = ?", (notice_id,)
            ).fetchone()
            if row is None:
                raise RecordNotFoundError(f"no notice {notice_id}; `ipwatch notices list`")
            if expected_revision is not None and str(row["revision"]) != expected_revision:
                raise RecordConflictError(
                    f"notice {notice_id} changed since revision {expected_revision}; reload it"
                )
            db.execute(
                "UPDATE notices SET state = ?, updated = ?, revision = revision + 1 WHERE id = ?",
                (to_state.value, ts(at), notice_id),
            )
            db.execute(
                "INSERT INTO notice_events (notice_id, at, actor, from_state, to_state, reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (notice_id, ts(at), actor, row["state"], to_state.value, reason),
            )
        return NoticeEvent(notice_id, at, actor, NoticeState(row["state"]), to_state, reason)

    def list_notice_events(self, notice_id: str) -> list[NoticeEvent]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM notice_events WHERE notice_id = ? ORDER BY n", (notice_id,)
            ).fetchall()
        out = []
        for r in rows:
            at = dt(r["at"])
            assert at is not None
            out.append(
                NoticeEvent(
                    r["notice_id"],
                    at,
                    r["actor"],
                    NoticeState(r["from_state"]),
                    NoticeState(r["to_state"]),
                    r["reason"],
                )
            )
        return out

    def put_delivery(self, delivery: WebhookDelivery) -> None:
        data = delivery_json(delivery)
        with self._writing() as db:
            db.execute(
                "INSERT INTO webhook_deliveries (id, created, data) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                (delivery.id, data["created"], json.dumps(data, sort_keys=True)),
            )

    def list_deliveries(self, limit: int = 100) -> list[WebhookDelivery]:
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM webhook_deliveries ORDER BY created DESC, n DESC LIMIT ?",
                (max(limit, 0),),
            ).fetchall()
        return [delivery_from_json(r["data"]) for r in rows]
