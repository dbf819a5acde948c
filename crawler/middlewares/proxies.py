"""Send each Scrapy request through the next proxy of the marketplace's pool.

The pool is ``IPWATCH_PROXIES`` (filled from ``ipwatch.yaml`` with credentials from the
environment). Scrapy's ``HttpProxyMiddleware`` turns the URL's credentials into a
Proxy-Authorization header later; only the proxy's host and port are ever logged. The
private-address guard runs before this and judges the target, not the proxy. Pages rendered
by Playwright leave through the same pool: their browser's guard proxy forwards each connection
to the next proxy (``crawler/browser.py``), so this middleware leaves them alone.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from config.access import redact

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ProxyRotationMiddleware:
    """One proxy per request, in turn, so a marketplace sees the load spread over the pool."""

    def __init__(self, proxies: list[str], crawler: Crawler | None = None) -> None:
        self.pool = itertools.cycle(proxies)
        self.stats = crawler.stats if crawler is not None else None
        logger.info("proxy pool: %s", ", ".join(redact(url) for url in proxies))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        proxies = crawler.settings.getlist("IPWATCH_PROXIES")
        if not proxies:
            raise NotConfigured("no proxies configured for this marketplace")
        return cls(proxies, crawler)

    def process_request(self, request: Request) -> None:
        if "proxy" in request.meta or request.meta.get("playwright"):
            return
        request.meta["proxy"] = next(self.pool)
        if self.stats is not None:
            self.stats.inc_value("ipwatch/proxied")
