"""scrapy-playwright's download handler, the crawl's private-address rule on each browser request.

A rendered page (``render: playwright``) loads images, scripts and ``fetch()`` calls the page
chose; each goes through ``AddressPolicy`` like Scrapy's own requests, and each refusal is
counted (``blocked`` in the run) and logged with its URL.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.middlewares.ssrf import AddressPolicy

if TYPE_CHECKING:
    from playwright.async_api import Request as PlaywrightRequest
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class GuardedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """Renders pages in Chromium; requests the page makes to private addresses are aborted."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.policy = AddressPolicy.from_hosts(
            crawler.settings.getlist("IPWATCH_ALLOWED_PRIVATE_HOSTS")
        )
        self.abort_request = self._refused

    async def _refused(self, request: PlaywrightRequest) -> bool:
        reason = await asyncio.to_thread(self.policy.refusal, request.url)
        if reason is None:
            return False
        self.stats.inc_value("ipwatch/blocked")
        logger.warning("blocked browser request %s: %s", request.url[:2000], reason[:300])
        return True
