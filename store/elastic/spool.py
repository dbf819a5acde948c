"""A local durable queue of index writes that could not reach the cluster (SQLite, WAL)."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS ops (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, doc_key TEXT NOT NULL,
  payload TEXT NOT NULL, first_failed_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
  last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS ops_doc ON ops(doc_key);
"""


@dataclass(frozen=True)
class SpooledOp:
    """One write as the backend would have sent it; ``doc_key`` is ``<kind-index>/<id>``."""

    seq: int
    kind: str
    doc_key: str
    payload: dict[str, Any]
    first_failed_at: datetime
    attempts: int
    last_error: str


class Spool:
    """Append-only until acknowledged: a committed row survives a crash (synchronous=FULL)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if self.path.exists():
            self._open()

    def _open(self) -> sqlite3.Connection:
        """Create the file on the first spooled op, so a healthy cluster leaves no file behind."""
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # WAL's default NORMAL may lose a commit
            with db:
                db.executescript(SCHEMA)
            self._conn = db
        return self._conn

    @property
    def _db(self) -> sqlite3.Connection:
        return self._open()

    def _empty(self) -> bool:
        """Nothing was ever spooled here: answer reads without creating the file."""
        return self._conn is None and not self.path.exists()

    def append(
        self, kind: str, doc_key: str, payload: dict[str, Any], error: str, at: datetime
    ) -> int:
        """Store the op durably (committed before returning) and give its sequence number."""
        text = json.dumps(payload, sort_keys=True, default=str)
        with self._lock, self._db as db:
            cur = db.execute(
                "INSERT INTO ops (kind, doc_key, payload, first_failed_at, last_error) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, doc_key, text, at.astimezone(UTC).isoformat(), error[:2000]),
            )
        return int(cur.lastrowid or 0)

    def ops(self, after: int = 0, limit: int = -1) -> list[SpooledOp]:
        """Spooled ops past ``after``, oldest first: replay keeps this order for each document."""
        with self._lock:
            if self._empty():
                return []
            rows = self._db.execute(
                "SELECT * FROM ops WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit)
            ).fetchall()
        return [
            SpooledOp(
                seq=r[0],
                kind=r[1],
                doc_key=r[2],
                payload=json.loads(r[3]),
                first_failed_at=datetime.fromisoformat(r[4]),
                attempts=r[5],
                last_error=r[6],
            )
            for r in rows
        ]

    def holds(self, doc_key: str) -> bool:
        """Whether a write to this document waits here (a newer one must queue behind it)."""
        with self._lock:
            if self._empty():
                return False
            row = self._db.execute("SELECT 1 FROM ops WHERE doc_key = ? LIMIT 1", (doc_key,))
            return row.fetchone() is not None

    def done(self, seq: int) -> None:
        """Forget an op once the cluster acknowledged it."""
        with self._lock, self._db as db:
            db.execute("DELETE FROM ops WHERE seq = ?", (seq,))

    def failed_again(self, seq: int, error: str) -> None:
        with self._lock, self._db as db:
            db.execute(
                "UPDATE ops SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
                (error[:2000], seq),
            )

    def __len__(self) -> int:
        with self._lock:
            if self._empty():
                return 0
            return int(self._db.execute("SELECT COUNT(*) FROM ops").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
