"""Stable ids and change hashes for listings, so a re-crawl updates instead of duplicating."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from crawler.items import ListingItem


def listing_id(marketplace: str, item_id: str | None, url: str) -> str:
    if item_id:
        return f"{marketplace}:{item_id}"
    digest = hashlib.sha256(canonicalize_url(url).encode()).hexdigest()
    return f"{marketplace}:url-{digest[:16]}"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def content_hash(item: ListingItem) -> str:
    """Hash of what a reviewer calls 'the listing changed': text, price, seller, image bytes.

    URLs are left out (a CDN host or a tracking parameter changing is not a new listing);
    images count by the digest of their bytes, or by URL path when they could not be fetched.
    """
    data = item.extracted.to_dict()
    for field in ("url", "images"):
        data.pop(field, None)
    if data.get("seller"):
        data["seller"] = {k: v for k, v in data["seller"].items() if k != "url"}
    data["images"] = [image.sha256 or f"unfetched:{_path(image.url)}" for image in item.images]
    data["category"] = item.extracted.category
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
