"""Record the listing, its findings and any sealed snapshot in the evidence index."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.context import workspace_for
from evidence.index.records import FindingRecord, ListingRecord

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.context import CrawlContext
    from crawler.items import ListingItem
    from detector.model import Asset, Finding, Listing


def signal_dicts(finding: Finding) -> list[dict[str, object]]:
    return [dataclasses.asdict(signal) for signal in finding.signals]


def finding_record(
    listing: Listing, finding: Finding, asset: Asset | None, now: datetime
) -> FindingRecord:
    """A finding as the index stores it; the crawl and ``ipwatch rescan`` both write this."""
    seller = listing.seller
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
        seller_id=seller.id if seller else None,
        seller_name=seller.name if seller else None,
        title=listing.title,
        url=listing.url,
        registration_number=asset.registration_number if asset else None,
    )


class IndexPipeline:
    def __init__(self, crawler: Crawler, workspace: CrawlContext):
        self.crawler = crawler
        self.workspace = workspace

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, workspace_for(crawler))

    def process_item(self, item: ListingItem) -> ListingItem:
        listing = item.listing
        assert listing is not None
        index = self.workspace.index
        now = datetime.now(UTC)
        seller = listing.seller
        record = ListingRecord(
            id=listing.id,
            marketplace=listing.marketplace,
            url=listing.url,
            title=listing.title,
            content_hash=item.extra["content_hash"],
            first_seen=now,
            last_seen=now,
            description=listing.description,
            price=str(listing.price) if listing.price is not None else None,
            currency=listing.currency,
            seller_id=seller.id if seller else None,
            seller_name=seller.name if seller else None,
            seller_url=seller.url if seller else None,
            item_id=item.item_id,
            data={
                **item.extracted.to_dict(),
                "category": item.extracted.category,  # rescan needs it for class relevance
                "images_fetched": [dataclasses.asdict(image) for image in item.images],
                "crawl_run_id": item.crawl_run_id,
            },
        )
        item.change = index.upsert_listing(record)
        self.crawler.stats.inc_value(f"ipwatch/listings_{item.change.value}")
        for finding in item.findings:
            self._upsert_finding(item, finding, now)
        snapshot = item.extra.get("snapshot")
        if snapshot is not None:
            index.add_snapshot(snapshot)
        return item

    def _upsert_finding(self, item: ListingItem, finding: Finding, now: datetime) -> None:
        listing = item.listing
        assert listing is not None
        asset = self.workspace.assets.get(finding.asset_id)
        created = self.workspace.index.upsert_finding(finding_record(listing, finding, asset, now))
        if created:
            self.crawler.stats.inc_value("ipwatch/findings_new")
