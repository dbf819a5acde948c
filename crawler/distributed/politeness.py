"""One host's request rate, whatever the number of workers: a shared next-allowed slot in Redis.

Each request reserves the next free slot of its host atomically (a Lua script, on Redis'
own clock, so workers on several machines agree) and waits for it; the slot then moves on by
the profile's download delay. Two workers can never take the same slot, so the combined rate
to a host stays at one request per delay.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from crawler.distributed.keys import HOST_PREFIX, connect

if TYPE_CHECKING:
    from typing import Self

    from redis import Redis
    from scrapy import Request
    from scrapy.crawler import Crawler

# Returns the reserved slot and the wait before it, in microseconds of Redis' clock. The key
# outlives its slot by a minute, so an idle host starts fresh and no key stays behind.
_RESERVE = """
local now = redis.call('TIME')
local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
local slot = math.max(micros, tonumber(redis.call('GET', KEYS[1]) or '0'))
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], slot + delay, 'PX', math.floor(delay / 1000) + 60000)
return {slot, slot - micros}
"""


MAX_RESERVATIONS = 5  # late wake-ups in a row before a request goes anyway


class HostSlotMiddleware:
    """Downloader middleware: wait for this host's next shared slot before each request."""

    def __init__(self, server: Redis, delay: float) -> None:
        self.server = server
        self.delay_us = int(delay * 1_000_000)
        self._reserve = server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        url = settings.get("REDIS_URL")
        delay = settings.getfloat("IPWATCH_HOST_DELAY", 0.0)
        if not settings.get("IPWATCH_RUN_ID") or not url:
            raise NotConfigured("not a distributed run")
        if delay <= 0:
            raise NotConfigured("the profile sets no download delay")
        return cls(connect(url), delay)

    def reserve(self, url: str) -> tuple[int, int]:
        """The next free slot of ``url``'s host (host and port) and the wait for it, in µs."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        key = f"{HOST_PREFIX}{host}:{parts.port}" if parts.port else f"{HOST_PREFIX}{host}"
        slot, wait = self._reserve(keys=[key], args=[self.delay_us])
        return int(slot), int(wait)

    async def process_request(self, request: Request) -> None:
        """Wait for a slot; one missed by more than a tenth of the delay (a busy process woke
        late, and would send close behind the next slot's owner) is given up for a new one."""
        for _ in range(MAX_RESERVATIONS):
            slot, wait_us = self.reserve(request.url)
            if wait_us > 0:
                await asyncio.sleep(wait_us / 1_000_000)
            if self._now_us() - slot <= self.delay_us // 10:
                return

    def _now_us(self) -> int:
        seconds, micros = self.server.time()
        return int(seconds) * 1_000_000 + int(micros)
