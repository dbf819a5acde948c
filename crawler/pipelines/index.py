"""Record the listing, its findings and any sealed snapshot in the evidence index."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from crawler.context import workspace_for
from crawler.signals import listing_recording
from model.convert import finding_record, listing_record
from store.exceptions import StoreFullError

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.context import CrawlContext
    from crawler.items import ListingItem
    from model import Finding


class IndexPipeline:
    def __init__(self, crawler: Crawler, workspace: CrawlContext):
        self.crawler = crawler
        self.workspace = workspace
        self._closing: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, workspace_for(crawler))

    def process_item(self, item: ListingItem) -> ListingItem:
        try:
            return self._record(item)
        except StoreFullError:
            # One line, no page content; the crawl stops as when sealing hits a full disk, and
            # the next crawl (with space) records the listing and seals it again if needed.
            stats = self.crawler.stats
            stats.inc_value("ipwatch/index_failed")
            if not stats.get_value("ipwatch/disk_full"):
                logger.error("the disk holding the index is full: stopping the crawl")
                if self.crawler.engine is not None:
                    self._closing = asyncio.ensure_future(
                        self.crawler.engine.close_spider_async(reason="disk_full")
                    )
            stats.inc_value("ipwatch/disk_full")
            raise DropItem("listing not recorded: the disk holding the index is full") from None

    def _record(self, item: ListingItem) -> ListingItem:
        listing = item.listing
        assert listing is not None
        index = self.workspace.index
        now = datetime.now(UTC)
        record = listing_record(
            listing,
            content_hash=item.extra["content_hash"],
            now=now,
            item_id=item.item_id,
            data={
                **item.extracted.to_dict(),
                "category": item.extracted.category,  # rescan needs it for class relevance
                "images_fetched": [dataclasses.asdict(image) for image in item.images],
                "crawl_run_id": item.crawl_run_id,
                # what the next crawl needs to skip scoring it again (pipelines.detect)
                "registry_key": item.extra.get("registry_key"),
                "evidence_complete": item.extra.get("evidence_complete", False),
                "flagged": item.extra.get("flagged", False),
            },
        )
        self.crawler.signals.send_catch_log(listing_recording, item=item)
        item.change = index.upsert_listing(record)
        self.crawler.stats.inc_value(f"ipwatch/listings_{item.change.value}")
        logger.info(  # repr: a title's newlines and terminal escapes cannot forge log lines
            "listing %s: %r, %d finding(s), %d flagged",
            item.change.value,
            listing.title[:120],
            len(item.findings),
            sum(1 for finding in item.findings if finding.flagged),
            extra={"listing_id": listing.id},
        )
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
