"""Each run's listing states on SQLite: one row per run and listing, a run's rows read by key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model import ListingState, RunListingState
from store.sqlite.base import SqliteBase
from store.sqlite.rows import dt, ts

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Iterator, Sequence

PAGE = 500
CHUNK = 500  # listing ids per IN (...) list, below SQLite's bound-parameter limit


def _state_from(row: sqlite3.Row) -> RunListingState:
    at = dt(row["at"])
    assert at is not None
    return RunListingState(
        row["run_id"],
        row["listing_id"],
        row["marketplace"],
        ListingState(row["state"]),
        at,
        row["reason"],
    )


class SqliteStates(SqliteBase):
    """Listing states per run; mixed into ``SqliteStore``."""

    def put_listing_states(self, states: Iterable[RunListingState]) -> None:
        rows = [
            (s.run_id, s.listing_id, s.marketplace, s.state.value, ts(s.at), s.reason)
            for s in states
        ]
        with self._writing() as db:
            db.executemany(
                "INSERT INTO listing_states (run_id, listing_id, marketplace, state, at, reason) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(run_id, listing_id) DO UPDATE SET "
                "marketplace = excluded.marketplace, state = excluded.state, at = excluded.at, "
                "reason = excluded.reason",
                rows,
            )

    def iter_listing_states(
        self, run_id: str, states: Sequence[ListingState] = ()
    ) -> Iterator[RunListingState]:
        wanted = [ListingState(s).value for s in states]
        where = f" AND state IN ({', '.join('?' * len(wanted))})" if wanted else ""
        after = ""
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT * FROM listing_states WHERE run_id = ? AND listing_id > ?"  # noqa: S608
                    f"{where} ORDER BY listing_id LIMIT ?",
                    (run_id, after, *wanted, PAGE),
                ).fetchall()
            yield from (_state_from(r) for r in rows)
            if len(rows) < PAGE:
                return
            after = rows[-1]["listing_id"]

    def latest_listing_states(self, listing_ids: Sequence[str]) -> dict[str, RunListingState]:
        ids = list(dict.fromkeys(listing_ids))
        latest: dict[str, RunListingState] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            with self._lock:
                rows = self._db.execute(
                    f"SELECT * FROM listing_states WHERE listing_id IN ({marks}) "  # noqa: S608
                    "ORDER BY listing_id, at, run_id",
                    chunk,
                ).fetchall()
            for row in rows:  # ascending: the last row of each listing wins
                latest[row["listing_id"]] = _state_from(row)
        return latest
