"""Listings and findings as JSON for the detection queue: what crosses Redis is data, not code.

Anything read from Redis may have been written by someone else, so it is parsed as JSON and
checked field by field, never unpickled. A listing's images travel by digest: the crawl worker
has stored their bytes in the shared blob store, and the detection worker decodes them again
with the same safe decoder (so no pixels, and no Pillow objects, are ever serialised).
Findings reuse the findings cache's JSON (``detector.cache``).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from detector.cache import findings_from_json, findings_json
from model import Listing, ListingImage, Seller

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image

__all__ = ["MAX_ENTRY_BYTES", "findings_from_json", "findings_json", "listing_from_json"]

_FORMAT = 1  # bump when the listing JSON changes shape
MAX_ENTRY_BYTES = 4 * 1024 * 1024  # a listing is text and digests: more than this is not one
_SHA256 = re.compile(r"[0-9a-f]{64}")


def listing_to_json(listing: Listing) -> str:
    """The listing as JSON; images as (url, sha256), the pixels left behind."""
    seller = listing.seller
    data: dict[str, Any] = {
        "format": _FORMAT,
        "id": listing.id,
        "marketplace": listing.marketplace,
        "url": listing.url,
        "title": listing.title,
        "description": listing.description,
        "brand": listing.brand,
        "price": str(listing.price) if listing.price is not None else None,
        "currency": listing.currency,
        "seller": None
        if seller is None
        else {
            "id": seller.id,
            "name": seller.name,
            "url": seller.url,
            "marketplace": seller.marketplace,
            "contacts": dict(seller.contacts),
            "first_seen": seller.first_seen.isoformat() if seller.first_seen else None,
            "last_seen": seller.last_seen.isoformat() if seller.last_seen else None,
        },
        "images": [{"url": image.url, "sha256": image.sha256} for image in listing.images],
        "category": listing.category,
        "attributes": dict(listing.attributes),
    }
    # ASCII escapes (the default): a lone surrogate in hostile text still encodes.
    return json.dumps(data, sort_keys=True)


def listing_from_json(
    text: str | bytes, load_pixels: Callable[[str], Image | None] | None = None
) -> Listing:
    """The listing back from ``listing_to_json``; ValueError naming the field that is wrong.

    ``load_pixels(sha256)`` gives an image's decoded pixels (None: not available, and the image
    is scored without them, as a crawl scores an image it could not fetch).
    """
    if len(text) > MAX_ENTRY_BYTES:
        raise ValueError(f"listing entry is {len(text)} bytes, over {MAX_ENTRY_BYTES}")
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ValueError("not a listing of this queue format")
    price = _opt_str(data, "price")
    try:
        parsed_price = Decimal(price) if price is not None else None
    except InvalidOperation:
        parsed_price = Decimal("NaN")
    if parsed_price is not None and not (parsed_price.is_finite() and parsed_price >= 0):
        raise ValueError(f"price {(price or '')[:40]!r} is not a decimal number >= 0")
    images = []
    for raw in _list(data, "images"):
        if not isinstance(raw, dict):
            raise ValueError("images: each image must be an object")
        sha256 = _opt_str(raw, "sha256")
        if sha256 is not None and not _SHA256.fullmatch(sha256):
            raise ValueError("images: sha256 must be 64 lower-case hex digits")
        pixels = load_pixels(sha256) if load_pixels is not None and sha256 else None
        images.append(ListingImage(url=_str(raw, "url"), sha256=sha256, image=pixels))
    return Listing(
        id=_str(data, "id"),
        marketplace=_str(data, "marketplace"),
        url=_str(data, "url"),
        title=_str(data, "title"),
        description=_str(data, "description"),
        brand=_opt_str(data, "brand"),
        price=parsed_price,
        currency=_opt_str(data, "currency"),
        seller=_seller(data.get("seller")),
        images=tuple(images),
        category=_opt_str(data, "category"),
        attributes=_str_map(data, "attributes"),
    )


def _seller(raw: object) -> Seller | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("seller must be an object or null")
    return Seller(
        id=_opt_str(raw, "id"),
        name=_opt_str(raw, "name"),
        url=_opt_str(raw, "url"),
        marketplace=_str(raw, "marketplace"),
        contacts=_str_map(raw, "contacts"),
        first_seen=_opt_time(raw, "first_seen"),
        last_seen=_opt_time(raw, "last_seen"),
    )


def _str(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    return value


def _opt_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string or null")
    return value


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value


def _str_map(data: dict[str, Any], name: str) -> dict[str, str]:
    value = data.get(name)
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f"{name} must be an object of strings")
    return dict(value)


def _opt_time(data: dict[str, Any], name: str) -> datetime | None:
    value = _opt_str(data, name)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} is not an ISO 8601 time") from None
