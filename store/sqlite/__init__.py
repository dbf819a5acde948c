"""The embedded store: one SQLite file (the default backend)."""

from __future__ import annotations

from store.sqlite.backend import SqliteStore

__all__ = ["SqliteStore"]
