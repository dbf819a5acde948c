"""Conversions between the detector's objects and the store's records, in one place.

The crawl's index pipeline and ``ipwatch rescan`` both write records through these, so a finding
found by either is the same record (same id, same fields).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from model.findings import FindingRecord
from model.listings import MAX_TITLE, Listing, ListingRecord, clean_text, parse_price
from model.sellers import Seller

if TYPE_CHECKING:
    from datetime import datetime

    from model.assets import Asset
    from model.findings import Finding
    from model.listings import ListingImage


def stored_seller(listing: Listing, now: datetime) -> Seller | None:
    """The listing's seller as the store keeps it: tied to the marketplace, seen ``now``."""
    seller = listing.seller
    if seller is None:
        return None
    return dataclasses.replace(
        seller,
        marketplace=seller.marketplace or listing.marketplace,
        first_seen=seller.first_seen or now,
        last_seen=seller.last_seen or now,  # a rescan reads the stored seller: not seen again
    )


def listing_record(
    listing: Listing,
    *,
    content_hash: str,
    now: datetime,
    item_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> ListingRecord:
    """A listing as the store keeps it; ``data`` is the full extracted page (for rescans)."""
    return ListingRecord(
        id=listing.id,
        marketplace=listing.marketplace,
        url=listing.url,
        title=listing.title,
        content_hash=content_hash,
        first_seen=now,
        last_seen=now,
        description=listing.description,
        price=str(listing.price) if listing.price is not None else None,
        currency=listing.currency,
        seller=stored_seller(listing, now),
        item_id=item_id,
        data=data or {},
    )


def signal_dicts(finding: Finding) -> list[dict[str, Any]]:
    return [dataclasses.asdict(signal) for signal in finding.signals]


def finding_record(
    listing: Listing, finding: Finding, asset: Asset | None, now: datetime
) -> FindingRecord:
    """A finding as the store keeps it; the crawl and ``ipwatch rescan`` both write this."""
    return FindingRecord(
        id=finding.id,
        listing_id=listing.id,
        asset_id=finding.asset_id,
        owner=asset.owner if asset else "",
        marketplace=listing.marketplace,
        risk=finding.risk,
        flagged=finding.flagged,
        signals=signal_dicts(finding),
        created=now,
        updated=now,
        seller=stored_seller(listing, now),
        title=listing.title,
        url=listing.url,
        registration_number=asset.registration_number if asset else None,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def listing_from_record(record: ListingRecord, images: tuple[ListingImage, ...] = ()) -> Listing:
    """The detector's Listing as the crawl built it: the record holds the normalised fields."""
    data = record.data
    seller = record.seller
    if seller is None and data.get("seller") is not None:
        seller = Seller(marketplace=record.marketplace)  # the page named one we could not keep
    return Listing(
        id=record.id,
        marketplace=record.marketplace,
        url=record.url,
        title=record.title,
        description=record.description,
        brand=clean_text(_text(data.get("brand")), MAX_TITLE) or None,
        price=parse_price(record.price),
        currency=record.currency,
        seller=seller,
        images=images,
        category=clean_text(_text(data.get("category")), MAX_TITLE) or None,
    )
