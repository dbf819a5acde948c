"""Scrapy's side of the private-address guard: each request is checked with ``AddressPolicy``.

The rule itself lives in ``netguard.policy``, shared with both browsers and ``ipwatch detect``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest

from netguard.policy import AddressPolicy

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class PrivateAddressBlocked(IgnoreRequest):
    """The URL resolves to an address we never fetch from (SSRF guard)."""


class PrivateAddressGuardMiddleware:
    """Images and links come from attacker-controlled pages; never let them point us inwards."""

    def __init__(self, allowed_hosts: list[str], crawler: Crawler | None = None):
        self.policy = AddressPolicy.from_hosts(allowed_hosts)
        self.stats = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        allowed = crawler.settings.getlist("IPWATCH_ALLOWED_PRIVATE_HOSTS")
        if allowed:
            logger.warning("private hosts this crawl may fetch: %s", ", ".join(sorted(allowed)))
        return cls(allowed, crawler)

    def process_request(self, request: Request) -> None:
        reason = self.policy.refusal(request.url)
        if reason is None:
            return None
        if self.stats is not None:
            self.stats.inc_value("ipwatch/blocked")
        logger.warning("blocked request %s: %s", request.url[:2000], reason)
        raise PrivateAddressBlocked(
            f"refusing {request.url[:2000]}: {reason}; IPWATCH_ALLOWED_PRIVATE_HOSTS is "
            "the setting behind it"
        )
