"""The crawl journal: every request a crawl queued and whether its work is finished, on disk.

Scrapy's JOBDIR writes its queue only on a clean close, so a crawl killed with SIGKILL loses
it. This journal is one SQLite file per job (a marketplace, its base URL and a keyword set) in
WAL mode, written as the crawl goes: a request is recorded before Scrapy queues it, and marked
done only once every item its response produced has left the item pipelines (detect, evidence,
index). A killed crawl leaves the file behind; the next crawl of the same job queues the
requests still pending and skips the done ones. A clean close removes the file.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.run_states import CHANGE_RANK

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

VERSION = 1
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS requests (
  fp TEXT PRIMARY KEY, n INTEGER NOT NULL, state TEXT NOT NULL, request TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS requests_pending ON requests(state, n)",
    """CREATE TABLE IF NOT EXISTS seen (
  listing_id TEXT PRIMARY KEY, change TEXT NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS job (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
PENDING, DONE = "pending", "done"
_RANK = "CASE {} " + " ".join(f"WHEN '{c.value}' THEN {r}" for c, r in CHANGE_RANK.items()) + " END"
_SAW = (
    "INSERT INTO seen (listing_id, change) VALUES (?, ?) ON CONFLICT (listing_id) DO UPDATE "  # noqa: S608 - ranks are constants
    f"SET change = excluded.change WHERE {_RANK.format('excluded.change')} > "
    f"{_RANK.format('seen.change')}"
)


class FrontierError(Exception):
    """The journal cannot be read or written; the message names the file and what to do."""


@dataclass(frozen=True)
class JournalEntry:
    """A request as the journal keeps it: its fingerprint and the spider's own description."""

    fp: str
    request: dict[str, Any]


class CrawlJournal:
    """One job's journal file; every write is committed at once (a kill may come any time)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: a process kill loses nothing committed in WAL mode; only a power cut could
            # lose the last commits, which the resumed crawl then simply does again.
            self._db.execute("PRAGMA synchronous=NORMAL")
            problem = self._db.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise sqlite3.DatabaseError(problem)
            for statement in _SCHEMA:
                self._db.execute(statement)
            version = self.get("version")
            if version is None:  # a new job
                self.put("version", str(VERSION))
                self.put("started", datetime.now(UTC).isoformat())
            elif version != str(VERSION):
                raise sqlite3.DatabaseError(f"journal version {version}, expected {VERSION}")
        except sqlite3.OperationalError as exc:  # cannot open or write: not damage
            raise FrontierError(self._unwritable(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise FrontierError(self._damaged(exc)) from None
        except OSError as exc:
            raise FrontierError(self._unwritable(exc)) from None

    def _damaged(self, exc: Exception) -> str:
        return (
            f"the crawl journal {self.path} is damaged or not a journal ({exc}); crawl again "
            "with --fresh to discard it and start the crawl over"
        )

    def _unwritable(self, exc: Exception) -> str:
        reason = getattr(exc, "strerror", None) or str(exc)
        return (
            f"cannot write the crawl journal {self.path} ({reason}); make its folder writable "
            "and free disk space, then crawl again"
        )

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        try:
            return self._db.execute(sql, params).rowcount
        except sqlite3.OperationalError as exc:  # full disk, read-only file: not damage
            raise FrontierError(self._unwritable(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise FrontierError(self._damaged(exc)) from None

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM job WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO job (key, value) VALUES (?, ?)", (key, value))

    def add(self, fp: str, request: dict[str, Any]) -> bool:
        """Record a request about to be queued; False when the journal already has it."""
        text = json.dumps(request, sort_keys=True, ensure_ascii=False)
        return bool(
            self._write(
                "INSERT OR IGNORE INTO requests (fp, n, state, request) "
                "VALUES (?, (SELECT COALESCE(MAX(n), 0) + 1 FROM requests), ?, ?)",
                (fp, PENDING, text),
            )
        )

    def done(self, fp: str) -> None:
        self._write("UPDATE requests SET state = ? WHERE fp = ?", (DONE, fp))

    def is_done(self, fp: str) -> bool:
        row = self._db.execute("SELECT state FROM requests WHERE fp = ?", (fp,)).fetchone()
        return row is not None and row[0] == DONE

    def pending(self) -> Iterator[JournalEntry]:
        """Requests not finished, in the order they were first queued."""
        rows = self._db.execute(
            "SELECT fp, request FROM requests WHERE state = ? ORDER BY n", (PENDING,)
        ).fetchall()
        for fp, text in rows:
            try:
                request = json.loads(text)
            except ValueError as exc:
                raise FrontierError(self._damaged(exc)) from None
            yield JournalEntry(fp, request)

    def counts(self) -> dict[str, int]:
        """Requests by state: what a resume will skip (done) and do again (pending)."""
        rows = self._db.execute("SELECT state, COUNT(*) FROM requests GROUP BY state")
        return {PENDING: 0, DONE: 0, **{state: int(count) for state, count in rows}}

    def saw(self, listing_id: str, change: str) -> None:
        """A listing the job recorded, with what its upsert did (new, changed, unchanged), or
        is about to: of two answers the stronger stays (``crawler.run_states.stronger``)."""
        self._write(_SAW, (listing_id, change))

    def seen(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT listing_id, change FROM seen").fetchall())

    def started(self) -> datetime | None:
        """When the job's first crawl began: what it sealed since may be its own."""
        value = self.get("started")
        return None if value is None else datetime.fromisoformat(value)

    def close(self) -> None:
        self._db.close()


def discard(path: Path) -> bool:
    """Remove a journal and its WAL files; True when there was one."""
    found = path.exists()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return found
