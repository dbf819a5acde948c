"""scrapy-playwright's download handler, the crawl's private-address rule on each browser request.

A rendered page (``render: playwright``) loads images, scripts and ``fetch()`` calls the page
chose. Each request is checked with ``AddressPolicy`` when Playwright routes it, and Chromium
reaches the network only through ``GuardProxy``, which checks what routing never sees
(redirect hops, WebSockets). Each refusal is counted (``blocked`` in the run) and logged.
With a marketplace proxy pool (``IPWATCH_PROXIES``) the guard sends each connection on through
the next proxy, so rendered pages leave by the same pool as plain requests (``proxied``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from twisted.internet import reactor

from netguard.policy import AddressPolicy
from netguard.proxy import GuardProxy

if TYPE_CHECKING:
    from playwright.async_api import Request as PlaywrightRequest
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class GuardedPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """Renders pages in Chromium; requests the page makes to private addresses are refused."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.policy = AddressPolicy.from_hosts(
            crawler.settings.getlist("IPWATCH_ALLOWED_PRIVATE_HOSTS")
        )
        self.abort_request = self._refused
        self.proxy = GuardProxy(
            self.policy,
            self._blocked_by_proxy,
            upstream=crawler.settings.getlist("IPWATCH_PROXIES"),
            on_upstream=self._proxied,
        ).start()
        self.config.launch_options = {
            **self.config.launch_options,
            "proxy": {"server": self.proxy.url},
        }

    async def _refused(self, request: PlaywrightRequest) -> bool:
        reason = await asyncio.to_thread(self.policy.refusal, request.url)
        if reason is None:
            return False
        self._count(request.url, reason)
        return True

    def _blocked_by_proxy(self, url: str, reason: str) -> None:
        reactor.callFromThread(self._count, url, reason)

    def _proxied(self, url: str) -> None:
        reactor.callFromThread(self.stats.inc_value, "ipwatch/proxied")

    def _count(self, url: str, reason: str) -> None:
        self.stats.inc_value("ipwatch/blocked")
        logger.warning("blocked browser request %s: %s", url[:2000], reason[:300])

    async def _download_request(self, request: Request, spider: Spider | None = None) -> Response:
        response: Response = await super()._download_request(request, spider)
        # Chromium saw the proxy's address; the server's is the one the proxy connected to.
        parts = urlsplit(response.url)
        default = 443 if parts.scheme == "https" else 80
        address = self.proxy.connected.get((parts.hostname or "", parts.port or default))
        response.ip_address = ipaddress.ip_address(address) if address else None
        return response

    async def _close(self) -> None:
        await super()._close()
        self.proxy.stop()
