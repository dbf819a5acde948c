"""What the spider hands to the pipelines: the extracted listing plus the raw capture behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.extraction import ExtractedListing
    from evidence.seal.snapshot import Capture
    from model import Finding, Listing, ListingChange


@dataclass
class FetchedImage:
    url: str
    sha256: str | None = None
    media_type: str | None = None
    error: str | None = None
    not_modified: bool = False  # a trusted 304: the stored bytes, not fetched this time


@dataclass(repr=False)
class ListingItem:
    """Filled in stages: the spider sets the first block, each pipeline adds its part."""

    marketplace: str
    crawl_run_id: str
    item_id: str | None
    extracted: ExtractedListing
    capture: Capture  # the raw HTTP exchange, sealed as a WARC if the listing is flagged
    listing: Listing | None = None
    images: list[FetchedImage] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    change: ListingChange | None = None
    snapshot_id: str | None = None
    errors: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """What identifies the item, never its content: Scrapy logs items it drops or fails on,
        and a page body (hostile, and possibly large or personal) must not reach the log."""
        return (
            f"<ListingItem {self.marketplace}:{self.item_id} {self.capture.final_url[:300]!r} "
            f"snapshot={self.snapshot_id}>"
        )
