"""Conditional requests: ask for a page only if it changed since the last crawl (ETag, date).

Each HTML page a server gave with an ``ETag`` or ``Last-Modified`` is kept in
``<home>/cache/http.sqlite``; the next request for it carries ``If-None-Match`` /
``If-Modified-Since``, and a ``304 Not Modified`` is answered from the copy, flagged
``not_modified`` so the evidence pipeline fetches the page again in full before sealing it
(evidence is the bytes the server sends now, never a stored copy). The cache is bounded: pages
unused for ``IPWATCH_HTTP_CACHE_MAX_AGE_DAYS`` are deleted when a crawl starts, and when the
bodies pass ``IPWATCH_HTTP_CACHE_MAX_MB`` the least recently used go first when it ends.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse

from crawler.context import workspace_for
from detector.sqlite_cache import trim_least_recently_used

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

NOT_MODIFIED = "not_modified"  # the flag of a response rebuilt from the cache after a 304
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, etag TEXT, modified TEXT,"
    " headers TEXT NOT NULL, body BLOB NOT NULL, size INTEGER NOT NULL, used INTEGER NOT NULL)"
)


class ConditionalRequestMiddleware:
    """Adds validators to GETs of known pages and answers their 304s from the stored copy."""

    def __init__(self, crawler: Crawler, path: Path, max_bytes: int, max_age_s: float) -> None:
        self.crawler = crawler
        self.max_bytes = max_bytes
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path, max_age_s)
        except sqlite3.DatabaseError:  # not an SQLite file: a cache, so start it again
            path.unlink(missing_ok=True)
            self.db = self._open(path, max_age_s)

    @staticmethod
    def _open(path: Path, max_age_s: float) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        # A cache: a row lost to a power cut costs one full download, not worth an fsync each.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_SCHEMA)
        db.execute("DELETE FROM pages WHERE used < ?", (int(time.time() - max_age_s),))
        return db

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("IPWATCH_HTTP_CACHE", True):
            raise NotConfigured("IPWATCH_HTTP_CACHE is off")
        home = workspace_for(crawler).home
        middleware = cls(
            crawler,
            home / "cache" / "http.sqlite",
            max_bytes=int(settings.getfloat("IPWATCH_HTTP_CACHE_MAX_MB", 256) * 1024 * 1024),
            max_age_s=settings.getfloat("IPWATCH_HTTP_CACHE_MAX_AGE_DAYS", 14) * 86_400,
        )
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if not self._cacheable(request):
            return
        row = self.db.execute(
            "SELECT etag, modified FROM pages WHERE url = ?", (request.url,)
        ).fetchone()
        if row is None:
            return
        if row[0]:
            request.headers[b"If-None-Match"] = row[0]
        if row[1]:
            request.headers[b"If-Modified-Since"] = row[1]

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if not self._cacheable(request):
            return response
        if response.status == 304:
            return self._from_cache(request, response)
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        if response.status == 200 and "html" in content_type and (etag or modified):
            headers = {
                key.decode("latin-1"): [v.decode("latin-1") for v in values]
                for key, values in response.headers.items()
            }
            body = zlib.compress(response.body)
            self.db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    request.url,
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                    json.dumps(headers),
                    body,
                    len(body),
                    int(time.time()),
                ),
            )
        return response

    def _from_cache(self, request: Request, response: Response) -> Response:
        row = self.db.execute(
            "SELECT headers, body FROM pages WHERE url = ?", (request.url,)
        ).fetchone()
        if row is None:  # a 304 to a request we did not make conditional: nothing to show
            return response
        self.db.execute("UPDATE pages SET used = ? WHERE url = ?", (int(time.time()), request.url))
        self.crawler.stats.inc_value("ipwatch/http_not_modified")
        return HtmlResponse(
            url=response.url,
            status=200,
            headers=json.loads(row[0]),
            body=zlib.decompress(row[1]),
            request=request,
            flags=[*response.flags, NOT_MODIFIED],
            ip_address=response.ip_address,
        )

    @staticmethod
    def _cacheable(request: Request) -> bool:
        """Plain GETs only: rendered pages, evidence re-fetches and opt-outs go as they are."""
        meta = request.meta
        return request.method == "GET" and not meta.get("dont_cache") and not meta.get("playwright")

    def spider_closed(self) -> None:
        """Trim to the size cap, least recently used first, then let go of the file."""
        trim_least_recently_used(self.db, "pages", "url", self.max_bytes)
        self.db.close()
