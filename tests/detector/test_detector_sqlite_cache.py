"""The least-recently-used trim the SQLite caches share: just enough of the oldest rows go."""

from __future__ import annotations

import sqlite3

from detector.sqlite_cache import trim_least_recently_used


def _table(rows: list[tuple[str, int, int]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE pages (url TEXT PRIMARY KEY, size INTEGER, used INTEGER)")
    db.executemany("INSERT INTO pages VALUES (?, ?, ?)", rows)
    return db


def _kept(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT url FROM pages ORDER BY url")]


def test_the_oldest_rows_go_until_the_rest_fit_and_no_more() -> None:
    db = _table([("a", 40, 3), ("b", 30, 1), ("c", 20, 2), ("d", 10, 4)])  # 100 bytes
    trim_least_recently_used(db, "pages", "url", 60)
    assert _kept(db) == ["a", "d"]  # b (used 1) and c (used 2) freed 50: 50 <= 60


def test_under_the_cap_nothing_goes_and_ties_on_use_go_by_key() -> None:
    db = _table([("a", 40, 1), ("b", 30, 1), ("c", 20, 1)])
    trim_least_recently_used(db, "pages", "url", 90)
    assert _kept(db) == ["a", "b", "c"]
    trim_least_recently_used(db, "pages", "url", 50)
    assert _kept(db) == ["b", "c"]
