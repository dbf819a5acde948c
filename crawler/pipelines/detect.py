"""Score the listing against the registry with the detector library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.context import workspace_for

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.items import ListingItem
    from detector.engine import Detector


class DetectPipeline:
    def __init__(self, crawler: Crawler, detector: Detector):
        self.crawler = crawler
        self.detector = detector

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, workspace_for(crawler).detector)

    def process_item(self, item: ListingItem) -> ListingItem:
        assert item.listing is not None
        item.findings = self.detector.detect(item.listing)
        if any(finding.flagged for finding in item.findings):
            self.crawler.stats.inc_value("ipwatch/flagged")
        return item
