"""The media pipeline's memo of fetched image URLs: one fetch per URL while it is remembered,
bounded so a crawl of millions of pages does not keep every URL it saw."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy.utils.test import get_crawler

from crawler.items import FetchedImage
from crawler.pipelines.media import SEEN_IMAGES, MediaPipeline
from evidence.storage.blobstore import BlobStore

if TYPE_CHECKING:
    from pathlib import Path

    from PIL.Image import Image


class CountingPipeline(MediaPipeline):
    """The download itself stands in for the network (tested by the crawl tests): a 404 each."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.downloads: list[str] = []

    async def _download(self, url: str) -> tuple[FetchedImage, Image | None]:
        self.downloads.append(url)
        return FetchedImage(url=url, error="HTTP 404"), None


def pipeline(tmp_path: Path, **settings: object) -> CountingPipeline:
    crawler = get_crawler(settings_dict=settings)
    return CountingPipeline(crawler, BlobStore(tmp_path / "blobs"), None)


def fetch_all(media: MediaPipeline, urls: list[str]) -> None:
    async def run() -> None:
        for url in urls:
            await media._fetch(url)

    asyncio.run(run())


def test_a_photo_many_listings_share_is_fetched_once(tmp_path: Path) -> None:
    media = pipeline(tmp_path)
    fetch_all(media, ["https://shop.test/a.jpg"] * 5 + ["https://shop.test/b.jpg"] * 3)
    assert media.downloads == ["https://shop.test/a.jpg", "https://shop.test/b.jpg"]
    assert media.seen_limit == SEEN_IMAGES


def test_memo_keeps_the_most_recently_used_urls_within_its_bound(tmp_path: Path) -> None:
    media = pipeline(tmp_path, IPWATCH_SEEN_IMAGES=2)
    a, b, c = (f"https://shop.test/{n}.jpg" for n in "abc")
    fetch_all(media, [a, b, a, c])  # a was used after b: b is the one dropped for c
    assert len(media._seen) == 2
    fetch_all(media, [a, c, b])
    assert media.downloads == [a, b, c, b]


def test_a_crawl_of_many_urls_keeps_only_the_bound(tmp_path: Path) -> None:
    media = pipeline(tmp_path, IPWATCH_SEEN_IMAGES=100)
    fetch_all(media, [f"https://shop.test/{n}.jpg" for n in range(1_000)])
    assert len(media._seen) == 100 and len(media.downloads) == 1_000


def test_nonsense_bound_keeps_at_least_one(tmp_path: Path) -> None:
    assert pipeline(tmp_path, IPWATCH_SEEN_IMAGES=0).seen_limit == 1
