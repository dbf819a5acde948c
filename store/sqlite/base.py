"""The SQLite file every part of ``SqliteStore`` shares, and its write transactions.

Writes run in ``BEGIN IMMEDIATE`` transactions, so a read-modify-write (keep ``first_seen``, keep a
finding's status, check a revision) is atomic between threads and between processes sharing the
file. A finding's revision is an integer bumped by every write of it, handed out as text.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store.exceptions import IndexConfigError, IndexReadOnlyError, StoreFullError
from store.sqlite.schema import check_readable, prepare

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


def upsert_sql(table: str, row: dict[str, object], keep: tuple[str, ...], extra: str = "") -> str:
    """INSERT ... ON CONFLICT DO UPDATE: keeps the rowid the full-text index points at."""
    cols = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    sets = ", ".join(f"{k} = excluded.{k}" for k in row if k != "id" and k not in keep)
    return (
        f"INSERT INTO {table} ({cols}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT(id) DO UPDATE SET {sets}{extra}"
    )


def read_only_uri(path: Path) -> str:
    """``mode=ro`` never writes; ``immutable=1`` also skips locks and the ``-shm`` file, which
    write-once media cannot hold. Not when a write-ahead log is left over: immutable reads
    would ignore the commits in it."""
    wal = path.with_name(path.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    return f"{path.resolve().as_uri()}?mode=ro" + ("" if pending else "&immutable=1")


class SqliteBase:
    """One connection shared by threads under a lock; safe to share between threads.

    ``read_only`` opens an existing file for reading only (a data folder on read-only or
    write-once media): nothing is created, upgraded, locked or written, and writes are refused.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Callable[[], datetime] | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only and self.path != ":memory:"
        self._clock = clock or (lambda: datetime.now(UTC))
        if self.path != ":memory:" and not self.read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        # Autocommit mode: reads see the latest commit; writes open their own transaction.
        self._db = self._connect()
        self._db.row_factory = sqlite3.Row
        try:
            if self.read_only:
                check_readable(self._db, self.path)
            else:
                prepare(self._db, self.path)
        except BaseException as exc:
            self._db.close()
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                raise StoreFullError(
                    errno.ENOSPC,
                    f"the disk holding {self.path} is full, so its index cannot be created or "
                    "upgraded; free space and run again",
                ) from None
            raise

    def _connect(self) -> sqlite3.Connection:
        if not self.read_only:
            return sqlite3.connect(
                self.path, timeout=30, check_same_thread=False, isolation_level=None
            )
        path = Path(self.path)
        if not path.is_file():
            raise IndexConfigError(
                f"{path} does not exist, and the data folder is read-only, so it cannot be made; "
                "point --home at the folder that holds the index"
            )
        return sqlite3.connect(
            read_only_uri(path), timeout=30, check_same_thread=False, isolation_level=None, uri=True
        )

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the file's write lock from its first read."""
        if self.read_only:
            raise IndexReadOnlyError(
                f"{self.path} is open read-only (its data folder is not writable); reading, "
                "listing and verifying work, but changes need a writable copy of the folder"
            )
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.commit()
            except BaseException as exc:
                self._db.rollback()
                if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                    raise StoreFullError(
                        errno.ENOSPC, f"the disk holding {self.path} is full; free space"
                    ) from None
                raise

    # the spool: SQLite is local, so a write either reaches the file or raises
    def pending(self) -> int:
        return 0

    def flush(self) -> int:
        return 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
