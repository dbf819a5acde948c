"""Conditional requests for listing photos: ask for a photo only if it changed (ETag, date).

A photo's bytes live in the blob store by SHA-256 already, so the HTTP cache
(``<home>/cache/http.sqlite``, beside the pages the conditional middleware keeps) holds only
its validators and digest. The next crawl asks with ``If-None-Match`` / ``If-Modified-Since``;
a ``304`` that repeats the validator asked with reuses the stored digest, without downloading
or decoding the photo again. A ``304`` that names no validator, or another one, is not
trusted (a server cannot make the crawler keep bytes it never re-described): the photo is
fetched again in full. Rows unused for the cache's age limit are deleted when a crawl starts.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.http import Response

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS photos (url TEXT PRIMARY KEY, etag TEXT, modified TEXT,"
    " sha256 TEXT NOT NULL, media_type TEXT, used INTEGER NOT NULL)"
)


@dataclass(frozen=True)
class StoredPhoto:
    """What the last crawl learnt about one photo URL."""

    url: str
    etag: str | None
    modified: str | None
    sha256: str
    media_type: str | None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.modified:
            headers["If-Modified-Since"] = self.modified
        return headers

    def confirmed_by(self, response: Response) -> bool:
        """Is this 304 about the version we hold? RFC 9110 15.4.5: a 304 carries the validators
        a 200 would have; one without them, or with another ETag, is not evidence of anything."""
        if response.status != 304:
            return False
        etag = _header(response, b"ETag")
        if self.etag:
            return etag is not None and _weakless(etag) == _weakless(self.etag)
        modified = _header(response, b"Last-Modified")
        return self.modified is not None and etag is None and modified == self.modified


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def _weakless(tag: str) -> str:
    return tag.strip().removeprefix("W/")


class PhotoValidators:
    """The ``photos`` table of the HTTP cache; a cache, so a broken file is started again."""

    def __init__(self, path: Path, max_age_s: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path, max_age_s)
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)
            self.db = self._open(path, max_age_s)

    @staticmethod
    def _open(path: Path, max_age_s: float) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        # A cache: a row lost to a power cut costs one full download, not worth an fsync each.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_SCHEMA)
        db.execute("DELETE FROM photos WHERE used < ?", (int(time.time() - max_age_s),))
        return db

    def get(self, url: str) -> StoredPhoto | None:
        row = self.db.execute(
            "SELECT etag, modified, sha256, media_type FROM photos WHERE url = ?", (url,)
        ).fetchone()
        return StoredPhoto(url, *row) if row is not None else None

    def remember(self, url: str, response: Response, sha256: str, media_type: str) -> None:
        """Keep the validators of a photo fetched in full; one without any is not kept."""
        etag, modified = _header(response, b"ETag"), _header(response, b"Last-Modified")
        if etag is None and modified is None:
            self.forget(url)
            return
        self.db.execute(
            "INSERT OR REPLACE INTO photos VALUES (?, ?, ?, ?, ?, ?)",
            (url, etag, modified, sha256, media_type, int(time.time())),
        )

    def touch(self, url: str) -> None:
        self.db.execute("UPDATE photos SET used = ? WHERE url = ?", (int(time.time()), url))

    def forget(self, url: str) -> None:
        self.db.execute("DELETE FROM photos WHERE url = ?", (url,))

    def close(self) -> None:
        self.db.close()
