"""Seal evidence for flagged listings: once per new or changed capture, never twice for the same.

Each is first captured in a real browser (``IPWATCH_BROWSER_CAPTURE``). A browser capture that
still fails after its retries is sealed anyway, as the crawler's own exchange plus what the
browser got and every attempt's error; the run counts it (``capture_failed``) and logs it,
and the next crawl that finds the listing still online captures and seals it again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NoReturn

from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.capture import browser_settings
from crawler.context import workspace_for
from crawler.listing_id import content_hash
from crawler.pipelines.media import FETCH_ERRORS
from crawler.recovered import RecoveredSnapshots
from crawler.spiders.marketplace import header_pairs
from detector.imagesafe import sniff_format
from evidence.capture.browser import BrowserCapturer
from evidence.seal.custody import current_operator
from evidence.seal.snapshot import SCREENSHOT_NAME, CapturedImage, Citation, ListingInfo, seal
from model import FindingStatus
from netguard.policy import AddressPolicy
from store.exceptions import IndexUnavailableError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.context import CrawlContext
    from crawler.items import ListingItem
    from evidence.capture.browser_record import BrowserCapture
    from model import Finding, SnapshotRef

logger = logging.getLogger(__name__)


class EvidencePipeline:
    def __init__(
        self, crawler: Crawler, workspace: CrawlContext, capturer: BrowserCapturer | None = None
    ):
        self.crawler = crawler
        self.workspace = workspace
        self.capturer = capturer
        self.operator = current_operator()
        self.disk_full = False  # once set, no more captures: their evidence cannot be written
        self._closing: asyncio.Future[None] | None = None
        self._slots = asyncio.Semaphore(capturer.settings.concurrency if capturer else 4)
        self.recovered: RecoveredSnapshots | None = None  # resuming a killed crawl: its seals

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        capturer = None
        if settings.getbool("IPWATCH_BROWSER_CAPTURE", True):
            capturer = BrowserCapturer(
                browser_settings(settings),
                policy=AddressPolicy.from_hosts(settings.getlist("IPWATCH_ALLOWED_PRIVATE_HOSTS")),
            )
        pipeline = cls(crawler, workspace_for(crawler), capturer)
        since = settings.get("IPWATCH_RESUMED_SINCE")  # the killed job's start
        if since is not None:
            pipeline.recovered = RecoveredSnapshots(pipeline.workspace, since)
        return pipeline

    async def close_spider(self) -> None:
        if self.capturer is not None:
            await self.capturer.close()

    async def process_item(self, item: ListingItem) -> ListingItem:
        assert item.listing is not None
        flagged = [finding for finding in item.findings if finding.flagged]
        item.extra["content_hash"] = content_hash(item)
        if not flagged or not self._needs_snapshot(item, flagged):
            item.extra.setdefault("evidence_complete", True)
            return item
        if self.recovered is not None and (sealed := self.recovered.take(item, flagged)):
            return self._reuse(item, sealed)
        async with self._slots:  # waiting items see a full disk before their capture starts
            return await self._capture_and_seal(item, flagged)

    async def _capture_and_seal(self, item: ListingItem, flagged: list[Finding]) -> ListingItem:
        assert item.listing is not None
        if self.disk_full:
            self.crawler.stats.inc_value("ipwatch/seal_failed")
            raise DropItem("flagged listing not sealed: the disk is full")
        if item.extra.get("not_modified"):
            await self._fetch_in_full(item)
        if any(image.not_modified for image in item.images):
            await self._photos_in_full(item)
        browser = await self._browser_capture(item)
        try:
            sealed = seal(
                item.capture,
                ListingInfo.from_listing(item.listing, item_id=item.item_id),
                self._images(item),
                [self._citation(finding) for finding in flagged],
                store=self.workspace.blobs,
                sealer=self.workspace.sealer,
                browser=browser,
            )
        except OSError as exc:
            self._not_sealed(item, exc)
        item.snapshot_id = sealed.id
        # a failed browser capture is sealed, and taken again by the next crawl (not skipped)
        item.extra["evidence_complete"] = browser is None or browser.outcome != "failed"
        item.extra["snapshot"] = sealed.to_record(
            listing_id=item.listing.id, finding_ids=[finding.id for finding in flagged]
        )
        self.crawler.stats.inc_value("ipwatch/snapshots")
        return item

    def _reuse(self, item: ListingItem, sealed: SnapshotRef) -> ListingItem:
        """The killed crawl sealed this listing but did not index it: index that snapshot."""
        item.snapshot_id = sealed.id
        has_view = any(a.get("name") == SCREENSHOT_NAME for a in sealed.artifacts)
        item.extra["evidence_complete"] = self.capturer is None or has_view
        item.extra["snapshot"] = sealed
        self.crawler.stats.inc_value("ipwatch/snapshots_reused")
        logger.warning(
            "reusing snapshot %s, sealed by the interrupted run",
            sealed.id,
            extra={"listing_id": item.listing.id if item.listing else None},
        )
        return item

    async def _fetch_in_full(self, item: ListingItem) -> None:
        """The page came from the HTTP cache after a 304: evidence is the bytes the server
        sends now, so the crawler's exchange is made again, unconditionally."""
        request = Request(item.capture.final_url, dont_filter=True, meta={"dont_cache": True})
        response = await maybe_deferred_to_future(self.crawler.engine.download(request))
        self.crawler.stats.inc_value("ipwatch/refetched_for_evidence")
        sent = response.request.headers if response.request is not None else request.headers
        item.capture = dataclasses.replace(
            item.capture,
            final_url=response.url,
            status=response.status,
            request_headers=header_pairs(sent),
            response_headers=header_pairs(response.headers),
            body=response.body,
            captured_at=datetime.now(UTC),
            server_ip=str(response.ip_address) if response.ip_address else None,
        )
        item.extra.pop("not_modified")

    async def _photos_in_full(self, item: ListingItem) -> None:
        """Photos a 304 let the crawl reuse are fetched again, unconditionally, for the same
        reason as the page: what is sealed is what the server sends now. One that cannot be
        fetched now is left out of the seal, with the error on the item."""
        engine = self.crawler.engine
        assert engine is not None
        photos = []
        for image in item.images:
            if not image.not_modified:
                photos.append(image)
                continue
            request = Request(image.url, dont_filter=True, meta={"dont_cache": True})
            self.crawler.stats.inc_value("ipwatch/refetched_for_evidence")
            error: str | None
            try:
                response = await engine.download_async(request)
            except FETCH_ERRORS as exc:
                error = f"download failed: {exc}"
            else:
                error = None if response.status == 200 else f"HTTP {response.status}"
            if error is not None:
                item.errors.append(f"image {image.url}: {error} (evidence re-fetch)")
                photos.append(dataclasses.replace(image, sha256=None, error=error))
                continue
            sha256 = self.workspace.blobs.put(response.body)
            media_type = f"image/{(sniff_format(response.body) or 'octet-stream').lower()}"
            photos.append(
                dataclasses.replace(image, sha256=sha256, media_type=media_type, not_modified=False)
            )
        item.images = photos

    def _not_sealed(self, item: ListingItem, exc: OSError) -> NoReturn:
        """One line, no page content; the item is dropped, so nothing records it as sealed and
        the next crawl that finds it seals it; the crawl command exits non-zero."""
        self.crawler.stats.inc_value("ipwatch/seal_failed")
        reason = exc.strerror or type(exc).__name__
        logger.error(
            "could not seal %s: %s",
            item.capture.final_url[:2000],
            reason,
            extra={"listing_id": item.listing.id if item.listing else None},
        )
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            self.crawler.stats.inc_value("ipwatch/disk_full")
            if not self.disk_full:  # stop crawling pages whose evidence cannot be written
                self.disk_full = True
                logger.error("the disk is full: stopping the crawl")
                if self.crawler.engine is not None:  # not awaited here: closing waits for us
                    self._closing = asyncio.ensure_future(
                        self.crawler.engine.close_spider_async(reason="disk_full")
                    )
        raise DropItem(f"flagged listing not sealed: {reason}")

    async def _browser_capture(self, item: ListingItem) -> BrowserCapture | None:
        if self.capturer is None:
            return None
        stats = self.crawler.stats
        browser = await self.capturer.capture(
            item.capture.final_url, operator=self.operator, job_id=item.crawl_run_id
        )
        stats.inc_value("ipwatch/captures")
        for url, reason in browser.blocked:  # also listed in the snapshot's manifest
            stats.inc_value("ipwatch/blocked")
            logger.warning("capture browser: blocked %s: %s", url, reason)
        stats.inc_value("ipwatch/capture_retries", len(browser.attempts) - 1)
        if browser.outcome == "failed":
            stats.inc_value("ipwatch/capture_failed")
            error = browser.attempts[-1].error
            item.errors.append(f"browser capture failed: {error}")
            logger.warning(
                "browser capture of %s failed after %d attempt(s): %s; sealing the crawler's "
                "own exchange with this error recorded in the manifest",
                item.capture.final_url,
                len(browser.attempts),
                error,
                extra={"listing_id": item.listing.id if item.listing else None},
            )
        return browser

    def _needs_snapshot(self, item: ListingItem, flagged: list[Finding]) -> bool:
        """Fresh evidence when the listing is new or changed, a finding has none yet, or a
        finding was removed after a notice and the listing is back."""
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
                if stored.status == FindingStatus.REMOVED:
                    return True  # back after a takedown: the reappearance needs its own proof
                if self.capturer is not None and not self._has_browser_view(stored.snapshot_ids):
                    return True  # the last browser capture failed (or predates it): try again
        except IndexUnavailableError:
            # Evidence that might be a duplicate beats evidence never taken.
            self.crawler.stats.inc_value("ipwatch/index_unavailable")
            return True
        return False

    def _has_browser_view(self, snapshot_ids: list[str]) -> bool:
        """Does any sealed snapshot of this finding hold a screenshot (a complete capture)?"""
        for snapshot_id in reversed(snapshot_ids):
            record = self.workspace.index.get_snapshot(snapshot_id)
            if record and any(a.get("name") == SCREENSHOT_NAME for a in record.artifacts):
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
