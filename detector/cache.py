"""Findings cached by what they were computed from, so an unchanged listing is never scored twice.

The key is the listing's content (text, seller, price, image digests), the registry key (every
asset and the scoring settings) and the detector's code version; change any one and the entry
is simply never asked for again. Values are JSON, never pickle: a cache file is data another
process wrote, and unpickling it would run whatever code it names. A file SQLite cannot read is
cleared with a warning, and so is a row that is not the JSON this module writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from dataclasses import asdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detector.sqlite_cache import SqliteCache
from model import Finding, Signal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from model import Asset, Listing

_log = logging.getLogger(__name__)
_FORMAT = 1  # bump when the stored JSON changes shape
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS findings"
    " (key TEXT PRIMARY KEY, findings TEXT NOT NULL, used INTEGER NOT NULL)"
)
MAX_AGE_DAYS = 30  # entries neither written nor read for this long are deleted on open


def _canonical(payload: object) -> str:
    return json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))


def registry_key(assets: Iterable[Asset], settings: object) -> str:
    """What a score was computed against: every asset (images by digest) and the settings that
    change findings (not how many workers computed them)."""

    def plain(asset: Asset) -> dict[str, Any]:
        data = {k: v for k, v in asdict(asset).items() if k != "images"}
        data["images"] = [(image.sha256, image.label) for image in asset.images]
        return data

    scoring = getattr(settings, "scoring_repr", None)
    payload: dict[str, Any] = {
        "assets": sorted((plain(a) for a in assets), key=lambda d: str(d["id"])),
        "settings": scoring() if callable(scoring) else repr(settings),
    }
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the detector's own source: new matching code never reuses old findings."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def listing_digest(listing: Listing) -> str:
    """Everything about a listing the detector reads; images by SHA-256 (pixels if none)."""
    images = []
    for image in listing.images:
        sha256 = image.sha256
        if sha256 is None and image.image is not None:
            sha256 = "pixels:" + hashlib.sha256(image.image.tobytes()).hexdigest()
        images.append((image.url, sha256))
    payload = {
        "id": listing.id,
        "marketplace": listing.marketplace,
        "url": listing.url,
        "title": listing.title,
        "description": listing.description,
        "brand": listing.brand,
        "price": str(listing.price) if isinstance(listing.price, Decimal) else listing.price,
        "currency": listing.currency,
        "seller": asdict(listing.seller) if listing.seller is not None else None,
        "images": images,
        "category": listing.category,
        "attributes": listing.attributes,
    }
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def findings_json(findings: list[Finding]) -> str:
    """The findings as plain JSON (tuples become lists, as in the store)."""
    return json.dumps(
        {"format": _FORMAT, "findings": [asdict(f) for f in findings]},
        default=str,  # ASCII escapes: a lone surrogate in hostile text still stores
    )


def findings_from_json(text: str) -> list[Finding]:
    """Findings back from ``findings_json``; ValueError when the text is anything else."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ValueError("not a findings cache entry of this version")
    return [
        Finding(
            listing_id=str(f["listing_id"]),
            asset_id=str(f["asset_id"]),
            risk=float(f["risk"]),
            flagged=bool(f["flagged"]),
            signals=tuple(
                Signal(str(s["kind"]), float(s["score"]), str(s["detail"]), dict(s["evidence"]))
                for s in f["signals"]
            ),
        )
        for f in data["findings"]
    ]


class FindingsCache(SqliteCache):
    """``<home>/cache/detect.sqlite``: findings JSON by (listing, registry, code) digest."""

    label = "findings cache"
    without = "detecting without it"
    table = "findings"
    schema = (_SCHEMA,)

    def __init__(self, path: Path, registry: str, max_age_days: float = MAX_AGE_DAYS) -> None:
        self.prefix = hashlib.sha256(f"{registry}\0{code_version()}".encode()).hexdigest()
        self.hits = 0
        self.misses = 0
        super().__init__(path, max_age_days)

    def key(self, listing: Listing) -> str:
        return hashlib.sha256(f"{self.prefix}\0{listing_digest(listing)}".encode()).hexdigest()

    def get(self, listing: Listing) -> list[Finding] | None:
        """The cached findings of this exact listing content, or None (also when the file
        cannot be read now: the listing is then simply scored)."""
        key = self.key(listing)
        if self._db is None:
            self.misses += 1
            return None
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT findings FROM findings WHERE key = ?", (key,)
                ).fetchone()
        except sqlite3.Error as exc:
            _log.warning(
                "findings cache %s unreadable (%s); scoring %s", self.path, exc, listing.id
            )
            row = None
        if row is None:
            self.misses += 1
            return None
        try:
            found = findings_from_json(row[0] if isinstance(row[0], str) else "")
        except (ValueError, KeyError, TypeError) as exc:
            _log.warning("findings cache entry for %s is unreadable (%s); dropped", listing.id, exc)
            self._write("DELETE FROM findings WHERE key = ?", (key,))
            self.misses += 1
            return None
        self._write("UPDATE findings SET used = ? WHERE key = ?", (int(time.time()), key))
        self.hits += 1
        return found

    def put(self, listing: Listing, findings: list[Finding]) -> None:
        self._write(
            "INSERT OR REPLACE INTO findings (key, findings, used) VALUES (?, ?, ?)",
            (self.key(listing), findings_json(findings), int(time.time())),
        )
