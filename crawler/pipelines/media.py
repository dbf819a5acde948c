"""Fetch a listing's images through Scrapy (robots, retries, SSRF guard) and decode them safely."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import scrapy
from scrapy.exceptions import IgnoreRequest
from twisted.internet.error import ConnectError, DNSLookupError, TimeoutError
from twisted.web.client import ResponseFailed

from config import limits
from crawler.context import workspace_for
from crawler.items import FetchedImage
from detector.exceptions import UnsafeImageError
from detector.imagesafe import decode_image, sniff_format
from model import ListingImage

if TYPE_CHECKING:
    from typing import Self

    from PIL.Image import Image
    from scrapy.crawler import Crawler

    from crawler.items import ListingItem
    from evidence.storage.blobstore import BlobStore

FETCH_ERRORS = (IgnoreRequest, ConnectError, DNSLookupError, TimeoutError, ResponseFailed)


class MediaPipeline:
    """One fetch per image URL per crawl; bytes go to the blob store by SHA-256."""

    def __init__(self, crawler: Crawler, blobs: BlobStore):
        self.crawler = crawler
        self.blobs = blobs
        settings = crawler.settings
        self.max_images = settings.getint("IPWATCH_IMAGES_PER_LISTING", limits.IMAGES_PER_LISTING)
        self.max_bytes = settings.getint("IPWATCH_IMAGE_MAX_BYTES", limits.IMAGE_MAX_BYTES)
        self.max_pixels = settings.getint("IPWATCH_IMAGE_MAX_PIXELS", limits.IMAGE_MAX_PIXELS)
        self._seen: dict[str, FetchedImage] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, workspace_for(crawler).blobs)

    async def process_item(self, item: ListingItem) -> ListingItem:
        assert item.listing is not None
        decoded: list[ListingImage] = []
        for image in item.listing.images[: self.max_images]:
            fetched, pixels = await self._fetch(image.url)
            item.images.append(fetched)
            if fetched.error:
                item.errors.append(f"image {fetched.url}: {fetched.error}")
            else:
                decoded.append(ListingImage(url=image.url, sha256=fetched.sha256, image=pixels))
        item.listing = dataclasses.replace(item.listing, images=tuple(decoded))
        return item

    async def _fetch(self, url: str) -> tuple[FetchedImage, Image | None]:
        known = self._seen.get(url)
        if known is not None:
            if known.error or known.sha256 is None:
                return known, None
            return known, self._decode(self.blobs.get(known.sha256))[1]
        fetched, pixels = await self._download(url)
        self._seen[url] = fetched
        if fetched.error:
            self.crawler.stats.inc_value("ipwatch/image_errors")
        else:
            self.crawler.stats.inc_value("ipwatch/images")
        return fetched, pixels

    async def _download(self, url: str) -> tuple[FetchedImage, Image | None]:
        request = scrapy.Request(
            url, meta={"download_maxsize": self.max_bytes, "download_warnsize": 0}, priority=10
        )
        engine = self.crawler.engine
        assert engine is not None
        try:
            response = await engine.download_async(request)
        except FETCH_ERRORS as exc:
            return FetchedImage(url=url, error=f"download failed: {exc}"), None
        if response.status != 200:
            return FetchedImage(url=url, error=f"HTTP {response.status}"), None
        error, pixels = self._decode(response.body)
        if error:
            return FetchedImage(url=url, error=error), None
        sha256 = self.blobs.put(response.body)
        # The bytes say what they are; the server's Content-Type is only a claim.
        media_type = f"image/{(sniff_format(response.body) or 'octet-stream').lower()}"
        return FetchedImage(url=url, sha256=sha256, media_type=media_type), pixels

    def _decode(self, data: bytes) -> tuple[str | None, Image | None]:
        try:
            return None, decode_image(data, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        except UnsafeImageError as exc:
            return f"unsafe image: {exc}", None
