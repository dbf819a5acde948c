"""Score the listing against the registry with the detector library; unchanged costs nothing.

A listing whose content hash and registry key (the assets and detection settings it was last
scored against) are what the index holds, and whose evidence is complete, is not scored again:
its stored findings stand. A changed listing, a changed registry, missing evidence or a
finding removed after a notice (the listing is back) re-scores.

Scoring runs in the detection workers (``detection.workers``, or in a distributed run with
``--detect-workers`` the run's Redis detection queue; with ``workers: 0`` in this process, the
detector built off the reactor for the first listing to score) and ``process_item`` awaits it,
so the reactor keeps downloading meanwhile; Scrapy's scraper slot (``CONCURRENT_ITEMS``,
``SCRAPER_SLOT_MAX_ACTIVE_SIZE``) bounds how many listings wait. Findings are also cached by
listing content in ``<home>/cache/detect.sqlite`` (see ``detector.cache``).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from crawler.context import workspace_for
from crawler.distributed.detection_queue import DetectionTimeoutError, remote_detection
from crawler.listing_id import content_hash
from crawler.pipelines.media import ImageDecoder
from detector.cache import FindingsCache, registry_key
from detector.workers import InProcessDetection, open_detection
from model import FindingQuery, FindingStatus
from store.exceptions import IndexUnavailableError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.context import CrawlContext
    from crawler.items import ListingItem
    from detector.workers import Detection
    from model import Finding, Listing, ListingRecord

__all__ = ["DetectPipeline", "registry_key"]

_PAGE = 500  # removed findings read per query when a crawl starts


class DetectPipeline:
    def __init__(self, crawler: Crawler, workspace: CrawlContext):
        self.crawler = crawler
        self.workspace = workspace
        self.decoder = ImageDecoder(crawler, workspace.blobs)  # photos a 304 left undecoded
        settings = workspace.detection_settings
        self.registry_key = registry_key(workspace.assets.values(), settings)
        self._removed: dict[str, set[str] | None] = {}  # marketplace -> listing ids (None: unknown)
        cache = FindingsCache(workspace.home / "cache" / "detect.sqlite", self.registry_key)
        # With workers (local or the run's Redis queue) the crawl process loads no model.
        self.detection: Detection = remote_detection(
            crawler.settings, self.registry_key, cache
        ) or open_detection(
            list(workspace.assets.values()),
            settings,
            detector=lambda: workspace.detector,
            cache=cache,
            image_cache=workspace.home / "cache" / "images.sqlite",
        )
        if isinstance(self.detection, InProcessDetection) and crawler.settings.get(
            "IPWATCH_RUN_ID"
        ):
            # A distributed worker builds before its lease heartbeat starts: even off the
            # reactor, a build on two loaded cores held the GIL long enough for a 3 s lease to
            # lapse (tests/ipwatch/test_ipwatch_workers.py). A single-process crawl builds lazily.
            self.detection.ready().result()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, workspace_for(crawler))

    def close_spider(self) -> None:
        if isinstance(self.detection, InProcessDetection) and self.detection.built:
            # The in-process detector is built for the first listing that needs scoring, off
            # the reactor: a re-crawl of unchanged listings builds none (the run says which).
            self.crawler.stats.set_value("ipwatch/detector_built", 1)
        self.detection.close()

    async def process_item(self, item: ListingItem) -> ListingItem:
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
            item.listing = self.decoder.fill(item.listing, item.errors)
            item.findings = await self._score(item.listing)
            item.extra["flagged"] = any(finding.flagged for finding in item.findings)
        if item.extra["flagged"]:
            self.crawler.stats.inc_value("ipwatch/flagged")
        return item

    async def _score(self, listing: Listing) -> list[Finding]:
        """The findings, or the listing is dropped unscored and counted (``detect_failed``,
        ``errors/detect`` or ``errors/detect_timeout``), so the run's outcome says so: the same
        in process, in the local pool and through a distributed run's Redis queue."""
        try:
            if isinstance(self.detection, InProcessDetection):
                # Built off the reactor for the first listing; a detector that cannot be built
                # fails each listing here, counted, so the run is partial and declares nothing
                # gone (uncounted, a finished run storing nothing would call every listing gone).
                await asyncio.wrap_future(self.detection.ready())
            return await asyncio.wrap_future(self.detection.submit(listing))
        except Exception as exc:
            kind = "detect_timeout" if isinstance(exc, DetectionTimeoutError) else "detect"
            for name in ("detect_failed", "errors", f"errors/{kind}"):
                self.crawler.stats.inc_value(f"ipwatch/{name}")
            raise DropItem(f"listing {listing.id} not scored: {exc}") from exc

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
            and not self._taken_down(previous.marketplace, previous.id)
            and not self._evidence_missing(previous)
        )

    def _evidence_missing(self, previous: ListingRecord) -> bool:
        """A flagged listing whose finding has no snapshot in the index (its seal or the
        snapshot's indexing failed, e.g. on a full disk) is scored again so it gets sealed."""
        if not previous.data.get("flagged"):
            return False
        try:
            findings = self.workspace.index.list_findings(
                FindingQuery(listing_ids=(previous.id,), flagged_only=True, limit=_PAGE)
            )
        except IndexUnavailableError:
            return True  # cannot tell: score it
        return not findings or any(not finding.snapshot_ids for finding in findings)

    def _taken_down(self, marketplace: str, listing_id: str) -> bool:
        """A finding of this listing was removed after a notice: the listing is back, and its
        reappearance needs fresh scoring and evidence of its own, however unchanged it is."""
        if marketplace not in self._removed:
            self._removed[marketplace] = self._removed_listings(marketplace)
        removed = self._removed[marketplace]
        return removed is None or listing_id in removed

    def _removed_listings(self, marketplace: str) -> set[str] | None:
        """The marketplace's listings with a removed finding, read once per crawl (keyset
        pages); None when the index cannot say, so every listing is scored."""
        ids: set[str] = set()
        after: tuple[float, str] | None = None
        try:
            while True:
                page = self.workspace.index.list_findings(
                    FindingQuery(
                        marketplace=marketplace,
                        status=FindingStatus.REMOVED,
                        limit=_PAGE,
                        search_after=after,
                    )
                )
                ids.update(finding.listing_id for finding in page)
                if len(page) < _PAGE:
                    return ids
                after = (page[-1].risk, page[-1].id)
        except IndexUnavailableError:
            return None
