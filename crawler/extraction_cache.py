"""Extraction results kept by page content: a listing page whose bytes did not change is not
read again.

Reading a listing page (parsing it, running every extractor, combining) is most of what an
unchanged listing costs a re-crawl: about 7 ms for the demo shop's 3 KB pages, tens of ms for a
real marketplace's. The result depends only on the page's bytes, its URL, the HTTP charset, the
profile's selectors and the extraction code, so it is kept in ``<home>/cache/extracted.sqlite``
under a SHA-256 of all of them. The code's part is a digest of the extraction modules' source,
their lexicon, the parsing libraries' versions and Python's, so a changed extractor is a miss,
never a stale answer. A page rebuilt from the HTTP cache after a ``304`` has the same bytes, so
it hits too; so does a page a server sends again byte for byte without validators.

A cache (``detector.sqlite_cache``): a file that is not a database is started again, one that
cannot be opened now (locked, read-only) is kept and skipped, a row that cannot be read is a
miss, a disk that refuses writes turns the cache off for the rest of the crawl with one warning,
rows unused for the HTTP cache's age limit are deleted when a crawl starts, and past the size
cap the least recently used go, every 1,024 writes and when the crawl ends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import sys
import time
import zlib
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import config
import crawler.extraction
from crawler.extraction import extract_listing
from crawler.extraction.model import ExtractedListing, ExtractedSeller
from detector.sqlite_cache import SqliteCache, trim_least_recently_used

if TYPE_CHECKING:
    from config.profile import FieldSelectors

log = logging.getLogger(__name__)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS extracted (key BLOB PRIMARY KEY, listing BLOB NOT NULL,"
    " size INTEGER NOT NULL, used INTEGER NOT NULL)"
)
# Libraries whose behaviour the extractors' output depends on (parsing, decoding, microdata).
_LIBRARIES = ("lxml", "parsel", "w3lib", "extruct", "jstyleson", "cssselect")
_TOUCH_EVERY_S = 3600  # a hit refreshes its row's last use at most once an hour: fewer writes
_TRIM_EVERY = 1024  # writes between two checks of the size cap (a crawl may be killed, not closed)


def fingerprinted_files() -> list[Path]:
    """The source and data files whose content decides what extraction returns: the package,
    the project packages it imports, whole (a test keeps this closed under imports), and its
    lexicon. Any change to them is a miss, which costs one extraction per page once."""
    package = Path(crawler.extraction.__file__).resolve().parent
    settings = Path(config.__file__).resolve().parent
    project = settings.parent
    return [
        *sorted(package.glob("*.py")),
        package.parent / "selectors.py",
        Path(__file__).resolve(),  # how records are written and read back
        *sorted(settings.glob("**/*.py")),
        *sorted((project / "model").glob("**/*.py")),
        settings / "lexicons" / "extraction.yaml",
    ]


@cache
def code_fingerprint() -> bytes:
    """A digest of everything besides the page that decides what extraction returns."""
    digest = hashlib.sha256()
    for path in fingerprinted_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    digest.update(sys.version.encode())
    return digest.digest()


def _key(body: bytes, url: str, selectors: FieldSelectors | None, encoding: str | None) -> bytes:
    """SHA-256 over length-prefixed parts, so no two different inputs can run together."""
    digest = hashlib.sha256(code_fingerprint())
    chosen = selectors.model_dump_json() if selectors is not None else ""
    for part in (url.encode("utf-8", "surrogatepass"), (encoding or "").encode(), chosen.encode()):
        digest.update(len(part).to_bytes(8, "big") + part)
    digest.update(len(body).to_bytes(8, "big"))
    digest.update(body)
    return digest.digest()


def listing_record(listing: ExtractedListing) -> dict[str, Any]:
    """Everything an ExtractedListing holds (its documented JSON plus where each value came
    from and the seller's contacts), so a cached one is equal in every field."""
    record = listing.to_dict()
    record["category"] = listing.category
    record["sources"] = dict(listing.sources)
    if listing.seller is not None:
        record["seller"]["contacts"] = dict(listing.seller.contacts)
    return record


def listing_from_record(record: dict[str, Any]) -> ExtractedListing:
    seller = record.get("seller")
    return ExtractedListing(
        url=record["url"],
        title=record["title"],
        description=record["description"],
        brand=record["brand"],
        price=record["price"],
        currency=record["currency"],
        availability=record["availability"],
        sku=record["sku"],
        gtin=record["gtin"],
        mpn=record["mpn"],
        images=tuple(record["images"]),
        seller=(
            ExtractedSeller(
                name=seller["name"],
                id=seller["id"],
                url=seller["url"],
                contacts=dict(seller.get("contacts") or {}),
            )
            if seller is not None
            else None
        ),
        category=record["category"],
        sources=dict(record["sources"]),
    )


class ExtractionCache(SqliteCache):
    """``extract_listing`` with its results kept by content; counts its hits and misses."""

    label = "extraction cache"
    without = "reading every page"
    table = "extracted"
    schema = (_SCHEMA,)
    off_after_failed_write = True

    def __init__(self, path: Path, *, max_age_s: float, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._puts = 0
        super().__init__(path, max_age_s / 86_400)

    def extract(
        self,
        body: bytes,
        url: str,
        selectors: FieldSelectors | None = None,
        *,
        encoding: str | None = None,
    ) -> ExtractedListing:
        """What ``extract_listing`` returns for this page, from the cache when it has it."""
        if self._db is None:
            return extract_listing(body, url, selectors, encoding=encoding)
        key = _key(body, url, selectors, encoding)
        found = self._get(key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        listing = extract_listing(body, url, selectors, encoding=encoding)
        self._put(key, listing)
        return listing

    def _get(self, key: bytes) -> ExtractedListing | None:
        if self._db is None:
            return None
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT listing, used FROM extracted WHERE key = ?", (key,)
                ).fetchone()
        except sqlite3.Error as exc:
            log.warning("extraction cache %s unreadable (%s); reading the page", self.path, exc)
            return None
        if row is None:
            return None
        try:
            listing = listing_from_record(json.loads(zlib.decompress(row[0])))
        except (zlib.error, ValueError, KeyError, TypeError) as exc:  # a damaged row: a miss
            log.warning("extraction cache: unreadable row replaced (%s)", exc)
            return None
        now = int(time.time())
        if row[1] < now - _TOUCH_EVERY_S:
            self._write("UPDATE extracted SET used = ? WHERE key = ?", (now, key))
        return listing

    def _put(self, key: bytes, listing: ExtractedListing) -> None:
        # ASCII escapes: a lone surrogate in hostile text (a JSON-LD "\ud800") still stores.
        blob = zlib.compress(json.dumps(listing_record(listing)).encode())
        self._write(
            "INSERT OR REPLACE INTO extracted VALUES (?, ?, ?, ?)",
            (key, blob, len(blob), int(time.time())),
        )
        self._puts += 1
        if self._puts % _TRIM_EVERY == 0:
            self.trim()

    def trim(self) -> None:
        """Down to the size cap, least recently used first."""
        if self._db is None:
            return
        try:
            with self._lock:
                trim_least_recently_used(self._db, "extracted", "key", self.max_bytes)
        except sqlite3.Error as exc:
            log.warning("extraction cache %s not trimmed (%s)", self.path, exc)

    def close(self) -> None:
        """Trim to the size cap, then let go of the file."""
        self.trim()
        super().close()
