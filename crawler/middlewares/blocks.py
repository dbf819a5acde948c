"""Block and captcha pages: counted, retried after a pause, never parsed; too many stop the crawl.

A page the spider asked for (a list or listing page) that ``crawler.blocks`` recognises as a
wall is never handed to the spider: it is retried with exponential backoff (the server's
Retry-After when it sends one, up to the profile's ``max_retry_after``), and dropped as
``blocked_lost`` when retries run out. ``max_consecutive_blocks`` walls in a row trip the
circuit breaker: the crawl stops with reason ``blocked`` and its run says so.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.http import TextResponse
from scrapy.utils.defer import deferred_from_coro

from crawler.blocks import BlockClassifier
from crawler.blocks.exceptions import BlockedPage
from crawler.middlewares.retry import NOT_BEFORE, parse_retry_after
from crawler.spiders.marketplace import PAGE_TYPE

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.blocks import BlockReason

logger = logging.getLogger(__name__)

BLOCK_RETRIES = "ipwatch_block_retries"
BLOCKED = "blocked"  # the close reason when the breaker trips


class BlockPageMiddleware:
    """Scrapy's retry handles failing servers; this handles servers that refuse us on purpose."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_retries = settings.getint("RETRY_TIMES", 3)
        self.backoff_base = settings.getfloat("IPWATCH_RETRY_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("IPWATCH_RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("IPWATCH_RETRY_AFTER_MAX", 120.0)
        self.breaker = settings.getint("IPWATCH_MAX_CONSECUTIVE_BLOCKS", 5)
        self.classify = BlockClassifier()
        self.consecutive = 0
        self.tripped = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        """The profile's own patterns and breaker, when the spider has a profile."""
        profile = getattr(spider, "profile", None)
        if profile is not None:
            self.classify = BlockClassifier(profile.blocks)
            self.breaker = profile.politeness.max_consecutive_blocks

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if PAGE_TYPE not in request.meta:  # images, robots.txt: not ours to judge
            return response
        if self.tripped:
            raise BlockedPage(f"{request.url[:2000]}: the crawl is stopping (blocked)")
        text = response.text if isinstance(response, TextResponse) else ""
        headers = {str(k): str(v) for k, v in response.headers.to_unicode_dict().items()}
        reason = self.classify(response.status, headers, text)
        if reason is None:
            self.consecutive = 0
            return response
        return self._blocked(request, response, reason)

    def _blocked(self, request: Request, response: Response, reason: BlockReason) -> Request:
        self.consecutive += 1
        self._inc("blocked_pages")
        self._inc(f"blocked_pages/{reason.kind}")
        logger.warning("block page at %s: %s", request.url[:2000], reason.detail)
        if self.consecutive >= self.breaker:
            self.tripped = True
            self._inc("blocked_lost")
            logger.error(
                "%d block pages in a row: stopping the crawl (max_consecutive_blocks)",
                self.consecutive,
            )
            engine = self.crawler.engine
            assert engine is not None  # a response arrived: the engine runs
            deferred_from_coro(engine.close_spider_async(reason=BLOCKED))
            raise BlockedPage(f"{request.url[:2000]}: {reason.detail}; circuit breaker tripped")
        retries = int(request.meta.get(BLOCK_RETRIES, 0))
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            wait = min(self.backoff_max, self.backoff_base * 2**retries)
        if retries >= self.max_retries or wait > self.retry_after_max:
            self._inc("blocked_lost")
            raise BlockedPage(f"{request.url[:2000]}: {reason.detail}; gave up after {retries}")
        retry = request.replace(dont_filter=True)
        retry.meta[BLOCK_RETRIES] = retries + 1
        retry.meta[NOT_BEFORE] = time.monotonic() + wait
        self._inc("blocked_retries")
        return retry

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"ipwatch/{key}")
