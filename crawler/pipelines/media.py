"""Fetch a listing's images through Scrapy (robots, retries, SSRF guard) and decode them safely.

A photo the last crawl fetched with an ``ETag`` or ``Last-Modified`` is asked for
conditionally (``crawler.photo_validators``); a trusted ``304`` reuses the stored SHA-256 and
leaves the pixels undecoded (``ListingImage.image`` None): an unchanged listing is not scored
again, and one that is decodes them from the blob store first (``ImageDecoder.fill``).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict
from typing import TYPE_CHECKING

import scrapy
from scrapy.exceptions import IgnoreRequest
from twisted.internet.error import ConnectError, DNSLookupError, TimeoutError
from twisted.web.client import ResponseFailed

from config import limits
from crawler.context import workspace_for
from crawler.items import FetchedImage
from crawler.photo_validators import PhotoValidators
from detector.exceptions import UnsafeImageError
from detector.imagesafe import decode_image, sniff_format
from model import ListingImage

if TYPE_CHECKING:
    from typing import Self

    from PIL.Image import Image
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.items import ListingItem
    from crawler.photo_validators import StoredPhoto
    from evidence.storage.blobstore import BlobStore
    from model import Listing

# Image URLs whose fetch a crawl remembers (most recently used kept): a photo many listings
# share is fetched once, and a crawl of millions of pages does not keep every URL it saw.
SEEN_IMAGES = 50_000

FETCH_ERRORS = (IgnoreRequest, ConnectError, DNSLookupError, TimeoutError, ResponseFailed)


class ImageDecoder:
    """Safe decoding under the crawl's limits, eagerly on download or later from the blob store."""

    def __init__(self, crawler: Crawler, blobs: BlobStore) -> None:
        settings = crawler.settings
        self.blobs = blobs
        self.max_bytes = settings.getint("IPWATCH_IMAGE_MAX_BYTES", limits.IMAGE_MAX_BYTES)
        self.max_pixels = settings.getint("IPWATCH_IMAGE_MAX_PIXELS", limits.IMAGE_MAX_PIXELS)

    def decode(self, data: bytes) -> tuple[str | None, Image | None]:
        try:
            return None, decode_image(data, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        except UnsafeImageError as exc:
            return f"unsafe image: {exc}", None

    def fill(self, listing: Listing, errors: list[str]) -> Listing:
        """The listing with the pixels of images a 304 left undecoded; one that no longer
        decodes under the current limits is left out, with its error, as on download."""
        if all(image.image is not None or image.sha256 is None for image in listing.images):
            return listing
        kept: list[ListingImage] = []
        for image in listing.images:
            if image.image is not None or image.sha256 is None:
                kept.append(image)
                continue
            error, pixels = self.decode(self.blobs.get(image.sha256))
            if error:
                errors.append(f"image {image.url}: {error}")
            else:
                kept.append(dataclasses.replace(image, image=pixels))
        return dataclasses.replace(listing, images=tuple(kept))


class MediaPipeline:
    """One fetch per image URL per crawl (among the last ``IPWATCH_SEEN_IMAGES`` URLs; an older
    one is asked for again, conditionally when it was stored); bytes go to the blob store by
    SHA-256."""

    def __init__(self, crawler: Crawler, blobs: BlobStore, validators: PhotoValidators | None):
        self.crawler = crawler
        self.blobs = blobs
        self.validators = validators
        self.decoder = ImageDecoder(crawler, blobs)
        self.max_images = crawler.settings.getint(
            "IPWATCH_IMAGES_PER_LISTING", limits.IMAGES_PER_LISTING
        )
        self.max_bytes = self.decoder.max_bytes
        self.seen_limit = max(crawler.settings.getint("IPWATCH_SEEN_IMAGES", SEEN_IMAGES), 1)
        self._seen: OrderedDict[str, FetchedImage] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        workspace = workspace_for(crawler)
        settings = crawler.settings
        validators = None
        if settings.getbool("IPWATCH_HTTP_CACHE", True):
            max_age_s = settings.getfloat("IPWATCH_HTTP_CACHE_MAX_AGE_DAYS", 14) * 86_400
            validators = PhotoValidators(workspace.home / "cache" / "http.sqlite", max_age_s)
        return cls(crawler, workspace.blobs, validators)

    def close_spider(self) -> None:
        if self.validators is not None:
            self.validators.close()

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
            self._seen.move_to_end(url)
            if known.error or known.sha256 is None or known.not_modified:
                return known, None  # pixels, when needed, come from the blob store
            return known, self.decoder.decode(self.blobs.get(known.sha256))[1]
        fetched, pixels = await self._download(url)
        self._seen[url] = fetched
        if len(self._seen) > self.seen_limit:
            self._seen.popitem(last=False)
        stats = self.crawler.stats
        if fetched.error:
            stats.inc_value("ipwatch/image_errors")
        else:
            stats.inc_value("ipwatch/images")
        if fetched.not_modified:
            stats.inc_value("ipwatch/images_not_modified")
        return fetched, pixels

    async def _download(self, url: str) -> tuple[FetchedImage, Image | None]:
        stored = self._stored(url)
        try:
            response = await self._get(url, stored.request_headers() if stored else {})
            if response.status == 304 and stored is not None and stored.confirmed_by(response):
                assert self.validators is not None
                self.validators.touch(url)
                return self._not_modified(stored), None
            if response.status == 304:
                # Not about a version we hold: it answers a request without validators, or
                # does not repeat the one asked with. Never trusted; if we asked with
                # validators, the bytes are fetched again, unconditionally.
                self.crawler.stats.inc_value("ipwatch/images_304_untrusted")
                if stored is not None:
                    response = await self._get(url, {})
        except FETCH_ERRORS as exc:
            return FetchedImage(url=url, error=f"download failed: {exc}"), None
        if response.status != 200:
            return FetchedImage(url=url, error=f"HTTP {response.status}"), None
        # Decoding and the blob's fsync wait on the CPU and the disk with the GIL released: on
        # the reactor they stalled every download for tens of milliseconds per photo.
        error, pixels, sha256 = await asyncio.to_thread(self._keep, response.body)
        if error:
            if self.validators is not None:
                self.validators.forget(url)
            return FetchedImage(url=url, error=error), None
        assert sha256 is not None
        # The bytes say what they are; the server's Content-Type is only a claim.
        media_type = f"image/{(sniff_format(response.body) or 'octet-stream').lower()}"
        if self.validators is not None:
            self.validators.remember(url, response, sha256, media_type)
        return FetchedImage(url=url, sha256=sha256, media_type=media_type), pixels

    def _keep(self, body: bytes) -> tuple[str | None, Image | None, str | None]:
        """Decode under the limits, then store the bytes durably (a photo that does not decode
        is not kept); runs on a thread, so it touches nothing the reactor shares."""
        error, pixels = self.decoder.decode(body)
        if error:
            return error, None, None
        return None, pixels, self.blobs.put(body)

    def _stored(self, url: str) -> StoredPhoto | None:
        """The photo's validators, if its bytes are still in the blob store to be reused."""
        stored = self.validators.get(url) if self.validators is not None else None
        return stored if stored is not None and self.blobs.exists(stored.sha256) else None

    async def _get(self, url: str, headers: dict[str, str]) -> Response:
        request = scrapy.Request(
            url,
            headers=headers,
            # dont_cache: pages' conditional middleware leaves photos to this pipeline
            meta={"download_maxsize": self.max_bytes, "download_warnsize": 0, "dont_cache": True},
            priority=10,
            dont_filter=True,
        )
        engine = self.crawler.engine
        assert engine is not None
        return await engine.download_async(request)

    @staticmethod
    def _not_modified(stored: StoredPhoto) -> FetchedImage:
        return FetchedImage(
            url=stored.url,
            sha256=stored.sha256,
            media_type=stored.media_type,
            not_modified=True,
        )
