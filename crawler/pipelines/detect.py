"""Score the listing against the registry with the detector library; unchanged costs nothing.

A listing whose content hash and registry key (the assets and detection settings it was last
scored against) are what the index holds, and whose evidence is complete, is not scored again:
its stored findings stand. A changed listing, a changed registry, missing evidence or a
finding removed after a notice (the listing is back) re-scores.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from crawler.context import workspace_for
from crawler.listing_id import content_hash
from model import FindingQuery, FindingStatus
from store.exceptions import IndexUnavailableError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.context import CrawlContext
    from crawler.items import ListingItem
    from detector.engine import Detector
    from model import Asset, ListingRecord


def registry_key(assets: Iterable[Asset], settings: object) -> str:
    """What a stored score was computed against: every asset (images by digest) and settings."""

    def plain(asset: Asset) -> dict[str, Any]:
        data = {k: v for k, v in asdict(asset).items() if k != "images"}
        data["images"] = [(image.sha256, image.label) for image in asset.images]
        return data

    payload: dict[str, Any] = {
        "assets": sorted((plain(a) for a in assets), key=lambda d: str(d["id"])),
        "settings": repr(settings),
    }
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class DetectPipeline:
    def __init__(self, crawler: Crawler, workspace: CrawlContext, detector: Detector):
        self.crawler = crawler
        self.workspace = workspace
        self.detector = detector
        self.registry_key = registry_key(workspace.assets.values(), detector.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        workspace = workspace_for(crawler)
        return cls(crawler, workspace, workspace.detector)

    def process_item(self, item: ListingItem) -> ListingItem:
        assert item.listing is not None
        item.extra["content_hash"] = content_hash(item)
        item.extra["registry_key"] = self.registry_key
        previous = self._stored(item.listing.id)
        if previous is not None and self._unchanged(item, previous):
            item.extra["detect_skipped"] = True
            item.extra["evidence_complete"] = True
            item.extra["flagged"] = bool(previous.data.get("flagged"))
            self.crawler.stats.inc_value("ipwatch/detect_skipped")
        else:
            item.findings = self.detector.detect(item.listing)
            item.extra["flagged"] = any(finding.flagged for finding in item.findings)
        if item.extra["flagged"]:
            self.crawler.stats.inc_value("ipwatch/flagged")
        return item

    def _stored(self, listing_id: str) -> ListingRecord | None:
        try:
            return self.workspace.index.get_listing(listing_id)
        except IndexUnavailableError:
            return None  # cannot tell: score it

    def _unchanged(self, item: ListingItem, previous: ListingRecord) -> bool:
        return (
            previous.content_hash == item.extra["content_hash"]
            and previous.data.get("registry_key") == self.registry_key
            and previous.data.get("evidence_complete") is True
            and not self._taken_down(previous.id)
        )

    def _taken_down(self, listing_id: str) -> bool:
        """A finding of this listing was removed after a notice: the listing is back, and its
        reappearance needs fresh scoring and evidence of its own, however unchanged it is."""
        try:
            removed = self.workspace.index.list_findings(
                FindingQuery(listing_ids=(listing_id,), status=FindingStatus.REMOVED, limit=1)
            )
        except IndexUnavailableError:
            return True
        return bool(removed)
