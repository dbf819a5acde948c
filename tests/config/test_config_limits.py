"""Each size limit is defined once, in config/limits.py; every default reads it from there."""

from __future__ import annotations

import inspect

from config import limits
from config.settings import CrawlConfig
from crawler import settings as scrapy_settings
from detector.imagesafe import decode_image
from evidence.capture.browser import BrowserSettings


def test_listing_image_defaults_are_the_shared_limits() -> None:
    crawl = CrawlConfig()
    decode = inspect.signature(decode_image).parameters
    assert crawl.image_max_bytes == decode["max_bytes"].default
    assert (
        crawl.image_max_bytes == scrapy_settings.IPWATCH_IMAGE_MAX_BYTES == limits.IMAGE_MAX_BYTES
    )
    assert crawl.image_max_pixels == decode["max_pixels"].default
    assert scrapy_settings.IPWATCH_IMAGE_MAX_PIXELS == limits.IMAGE_MAX_PIXELS
    assert crawl.images_per_listing == limits.IMAGES_PER_LISTING


def test_capture_defaults_are_the_shared_limits() -> None:
    capture = BrowserSettings()
    assert capture.max_body_bytes == scrapy_settings.IPWATCH_CAPTURE_MAX_BODY_BYTES
    assert capture.max_total_bytes == scrapy_settings.IPWATCH_CAPTURE_MAX_TOTAL_BYTES
    assert capture.max_html_bytes == limits.PAGE_MAX_BYTES
