"""The domain model every package shares: assets, sellers, listings, findings, reviews, runs.

The bottom layer: imports nothing from the project but ``config``. The detector reads and
returns these classes; the store keeps the ``*Record``/``*Ref`` ones; ``model.convert`` turns
one into the other.
"""

from __future__ import annotations

from model.assets import Asset, AssetKind, ReferenceImage
from model.findings import (
    CountBy,
    Finding,
    FindingQuery,
    FindingRecord,
    FindingStatus,
    Signal,
    finding_id,
)
from model.listing_states import ListingState, RunListingState
from model.listings import Listing, ListingChange, ListingImage, ListingRecord
from model.reviews import ReviewEvent
from model.runs import CrawlRun
from model.sellers import Seller, seller_key
from model.snapshots import SnapshotRef

__all__ = [
    "Asset",
    "AssetKind",
    "CountBy",
    "CrawlRun",
    "Finding",
    "FindingQuery",
    "FindingRecord",
    "FindingStatus",
    "Listing",
    "ListingChange",
    "ListingImage",
    "ListingRecord",
    "ListingState",
    "ReferenceImage",
    "ReviewEvent",
    "RunListingState",
    "Seller",
    "Signal",
    "SnapshotRef",
    "finding_id",
    "seller_key",
]
