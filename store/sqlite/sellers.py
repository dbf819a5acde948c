"""Sellers in SQLite: merged by key on every write that names one, looked up by key on reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.sqlite.base import SqliteBase
from store.sqlite.rows import SELLER_COLS, seller_from, seller_row

if TYPE_CHECKING:
    from collections.abc import Iterable

    from model import Seller

KEYS_PER_QUERY = 500  # seller keys per ``IN (...)`` lookup

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


class SqliteSellers(SqliteBase):
    """Listings and findings store a seller key; their readers attach the seller from here."""

    def _sellers(self, keys: Iterable[str | None]) -> dict[str, Seller]:
        """The stored sellers of these keys (callers hold the lock)."""
        wanted = sorted({k for k in keys if k})
        found: dict[str, Seller] = {}
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            chunk = wanted[start : start + KEYS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT {SELLER_COLS} FROM sellers WHERE key IN ({marks})",  # noqa: S608
                chunk,
            ).fetchall()
            found.update((r["key"], seller_from(r)) for r in rows)
        return found

    def upsert_seller(self, seller: Seller) -> None:
        """Insert or merge by key: known fields kept, contacts merged, seen times widened."""
        with self._writing() as db:
            db.execute(SELLER_UPSERT, seller_row(seller))

    def get_seller(self, key: str) -> Seller | None:
        with self._lock:
            return self._sellers([key]).get(key)
