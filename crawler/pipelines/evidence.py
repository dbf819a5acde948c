"""Seal evidence for flagged listings: once per new or changed capture, never twice for the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.listing_id import content_hash
from crawler.services import workspace_for
from evidence.exceptions import IndexUnavailableError
from evidence.snapshot import CapturedImage, Citation, ListingInfo, seal

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.items import ListingItem
    from detector.model import Finding
    from ipwatch.workspace import Workspace


class EvidencePipeline:
    def __init__(self, crawler: Crawler, workspace: Workspace):
        self.crawler = crawler
        self.workspace = workspace

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, workspace_for(crawler))

    def process_item(self, item: ListingItem) -> ListingItem:
        assert item.listing is not None
        flagged = [finding for finding in item.findings if finding.flagged]
        item.extra["content_hash"] = content_hash(item)
        if not flagged or not self._needs_snapshot(item, flagged):
            return item
        sealed = seal(
            item.capture,
            ListingInfo.from_listing(item.listing, item_id=item.item_id),
            self._images(item),
            [self._citation(finding) for finding in flagged],
            store=self.workspace.blobs,
            sealer=self.workspace.sealer,
        )
        item.snapshot_id = sealed.id
        item.extra["snapshot"] = sealed.to_record(
            listing_id=item.listing.id, finding_ids=[finding.id for finding in flagged]
        )
        self.crawler.stats.inc_value("ipwatch/snapshots")
        return item

    def _needs_snapshot(self, item: ListingItem, flagged: list[Finding]) -> bool:
        """Fresh evidence when the listing is new or changed, or a finding has none yet."""
        index = self.workspace.index
        assert item.listing is not None
        try:
            previous = index.get_listing(item.listing.id)
            if previous is None or previous.content_hash != item.extra["content_hash"]:
                return True
            for finding in flagged:
                stored = index.get_finding(finding.id)
                if stored is None or not stored.snapshot_ids:
                    return True
        except IndexUnavailableError:
            # Evidence that might be a duplicate beats evidence never taken.
            self.crawler.stats.inc_value("ipwatch/index_unavailable")
            return True
        return False

    def _images(self, item: ListingItem) -> list[CapturedImage]:
        images = []
        for fetched in item.images:
            if fetched.sha256 is None:
                continue
            images.append(
                CapturedImage(
                    url=fetched.url,
                    data=self.workspace.blobs.get(fetched.sha256),
                    media_type=fetched.media_type or "application/octet-stream",
                )
            )
        return images

    def _citation(self, finding: Finding) -> Citation:
        asset = self.workspace.assets.get(finding.asset_id)
        return Citation(
            finding_id=finding.id,
            asset_id=finding.asset_id,
            registration_number=asset.registration_number if asset else None,
            owner=asset.owner if asset else "",
            risk=finding.risk,
            signals=finding.signals,
        )
