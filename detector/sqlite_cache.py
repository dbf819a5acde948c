"""One SQLite file that detection processes share as a cache (findings, image signals).

A cache is never worth a listing: a file that cannot be opened (disk full, read-only, locked)
is skipped and kept, one that is not a database is cleared, and a write that fails is logged
and dropped. Rows carry a ``used`` time; those unused for ``max_age_days`` go when the file is
opened. WAL and a busy timeout let several worker processes write the same file; no fsync per
write (``synchronous=NORMAL``): a power cut costs one recomputation, a killed process nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from pathlib import Path

_log = logging.getLogger(__name__)
BUSY_SECONDS = 30.0  # several worker processes write the same file


class SqliteCache:
    """Opening, expiry, failure-tolerant writes and closing; subclasses name their table."""

    label: ClassVar[str] = "cache"  # for log lines: "findings cache", "image signal cache"
    without: ClassVar[str] = "working without it"  # what a missing cache means
    table: ClassVar[str]
    schema: ClassVar[tuple[str, ...]]
    off_after_failed_write: ClassVar[bool] = False  # a cache written once a page: stop, not spam

    def __init__(self, path: Path, max_age_days: float) -> None:
        self.path = path
        self.max_age = max_age_days * 86_400
        self._lock = threading.Lock()  # pool callbacks store from the executor's thread
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.OperationalError:
                raise  # disk full, read-only, locked: the file may be fine, keep it
            except sqlite3.DatabaseError as exc:  # not a database, malformed: clear it
                _log.warning("%s %s is unreadable (%s); clearing it", self.label, path, exc)
                path.unlink(missing_ok=True)
                self._db = self._open()
        except (OSError, sqlite3.Error) as exc:
            _log.warning("%s %s unavailable (%s); %s", self.label, path, exc, self.without)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=BUSY_SECONDS, check_same_thread=False, isolation_level=None
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for statement in self.schema:
                db.execute(statement)
            expired = f"DELETE FROM {self.table} WHERE used < ?"  # noqa: S608 - a class constant
            db.execute(expired, (time.time() - self.max_age,))
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        """A write that fails (disk full, locked) costs a later recomputation, never a listing;
        with ``off_after_failed_write`` the cache stops there (one warning, not one a row)."""
        if self._db is None:
            return
        try:
            with self._lock:
                self._db.execute(sql, params)
        except sqlite3.Error as exc:
            if not self.off_after_failed_write:
                _log.warning("%s %s not written (%s)", self.label, self.path, exc)
                return
            _log.warning("%s %s off from now on: not written (%s)", self.label, self.path, exc)
            self.close()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def trim_least_recently_used(db: sqlite3.Connection, table: str, key: str, max_bytes: int) -> None:
    """Delete the least recently used rows (by ``used``, then ``key``) until the ``size`` column
    sums to at most ``max_bytes``: just the oldest rows whose predecessors do not free enough."""
    total = db.execute(f"SELECT coalesce(sum(size), 0) FROM {table}").fetchone()[0]  # noqa: S608
    if total > max_bytes:
        db.execute(
            f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM (SELECT {key}, size,"  # noqa: S608
            f" sum(size) OVER (ORDER BY used, {key}) AS running FROM {table})"
            " WHERE running - size < ?)",
            (total - max_bytes,),
        )
