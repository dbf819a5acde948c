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

A cache: a broken file is started again, a row that cannot be read is a miss, a disk that
refuses writes (full, read-only) turns the cache off for the rest of the crawl with one warning,
rows unused for the HTTP cache's age limit are deleted when a crawl starts, and past the size
cap the least recently used go when it ends.
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


def fingerprinted_files() -> list[Path]:
    """The source and data files whose content decides what extraction returns."""
    package = Path(crawler.extraction.__file__).resolve().parent
    settings = Path(config.__file__).resolve().parent
    return [
        *sorted(package.glob("*.py")),
        package.parent / "selectors.py",
        Path(__file__).resolve(),  # how records are written and read back
        settings / "limits.py",
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


class ExtractionCache:
    """``extract_listing`` with its results kept by content; counts its hits and misses."""

    def __init__(self, path: Path, *, max_age_s: float, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self.db: sqlite3.Connection | None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.db = self._open(path, max_age_s)
            except sqlite3.DatabaseError:  # not an SQLite file: a cache, so start it again
                path.unlink(missing_ok=True)
                self.db = self._open(path, max_age_s)
        except (OSError, sqlite3.Error) as exc:
            log.warning("extraction cache off: cannot open %s (%s)", path, exc)
            self.db = None

    @staticmethod
    def _open(path: Path, max_age_s: float) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        # A cache: a row lost to a power cut costs one extraction, not worth an fsync each.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_SCHEMA)
        db.execute("DELETE FROM extracted WHERE used < ?", (int(time.time() - max_age_s),))
        return db

    def extract(
        self,
        body: bytes,
        url: str,
        selectors: FieldSelectors | None = None,
        *,
        encoding: str | None = None,
    ) -> ExtractedListing:
        """What ``extract_listing`` returns for this page, from the cache when it has it."""
        if self.db is None:
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
        assert self.db is not None
        try:
            row = self.db.execute(
                "SELECT listing, used FROM extracted WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error as exc:
            self._give_up("read", exc)
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
        blob = zlib.compress(json.dumps(listing_record(listing), ensure_ascii=False).encode())
        self._write(
            "INSERT OR REPLACE INTO extracted VALUES (?, ?, ?, ?)",
            (key, blob, len(blob), int(time.time())),
        )

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        if self.db is None:
            return
        try:
            self.db.execute(sql, params)
        except sqlite3.Error as exc:
            self._give_up("write", exc)

    def _give_up(self, what: str, exc: sqlite3.Error) -> None:
        """A cache that cannot read or write (disk full, read-only, locked) costs speed only."""
        log.warning("extraction cache off for this crawl: cannot %s %s (%s)", what, self.path, exc)
        self.close()

    def close(self) -> None:
        """Trim to the size cap, least recently used first, then let go of the file."""
        if self.db is None:
            return
        db, self.db = self.db, None
        try:
            total = db.execute("SELECT coalesce(sum(size), 0) FROM extracted").fetchone()[0]
            if total > self.max_bytes:
                db.execute(
                    "DELETE FROM extracted WHERE key IN (SELECT key FROM (SELECT key, size,"
                    " sum(size) OVER (ORDER BY used, key) AS running FROM extracted)"
                    " WHERE running - size < ?)",
                    (total - self.max_bytes,),
                )
        except sqlite3.Error as exc:
            log.warning("extraction cache: could not trim %s (%s)", self.path, exc)
        finally:
            db.close()
