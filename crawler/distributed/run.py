"""A worker's part in a distributed run: heartbeat, acknowledgements, and knowing when to stop.

A lease is acknowledged when its request is done: when the spider's output for its response
is consumed and every item it yielded has left the pipelines, or when its download finally
failed. The run ends when the frontier is empty and no worker holds a lease; then every idle
worker closes. An idle worker also puts back the leases of dead workers (expired heartbeat).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler.distributed.frontier import LEASE
from crawler.distributed.keys import RunKeys, connect
from crawler.distributed.leases import Leases

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

COUNTER_PREFIX = "ipwatch/"


class DistributedRun:
    """Extension: joins the run, beats, acknowledges leases, ends the run when all is done."""

    def __init__(
        self, crawler: Crawler, leases: Leases, beat_every: float, poll: float = 0.5
    ) -> None:
        self.crawler = crawler
        self.leases = leases
        self.beat_every = beat_every
        self.poll = poll
        self.pending: dict[str, int] = {}  # lease -> items of its response still in pipelines
        self._beat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        run_id, url = settings.get("IPWATCH_RUN_ID"), settings.get("REDIS_URL")
        if not run_id or not url:
            raise NotConfigured("not a distributed run (IPWATCH_RUN_ID and REDIS_URL unset)")
        ttl = settings.getfloat("IPWATCH_WORKER_HEARTBEAT_TTL", 15.0)
        worker = settings.get("IPWATCH_WORKER_ID")
        if not worker:
            raise NotConfigured("IPWATCH_WORKER_ID is unset")
        leases = Leases(connect(url), RunKeys(run_id), worker, ttl)
        extension = cls(crawler, leases, ttl / 3, settings.getfloat("IPWATCH_WORKER_POLL", 0.5))
        crawler.ipwatch_leases = leases  # type: ignore[attr-defined]  # LeasedQueue finds it here
        for handler, signal in (
            (extension.spider_opened, signals.spider_opened),
            (extension.spider_idle, signals.spider_idle),
            (extension.spider_closed, signals.spider_closed),
            (extension.item_done, signals.item_scraped),
            (extension.item_done, signals.item_dropped),
            (extension.item_done, signals.item_error),
            # a redirect to a page already seen: the request it replaced is done
            (extension.request_failed, signals.request_dropped),
        ):
            crawler.signals.connect(handler, signal=signal)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        # An idle engine looks at its scheduler every 5 s; other workers fill this frontier,
        # so look more often (the heartbeat starts after spider_opened).
        assert self.crawler.engine is not None
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = self.poll
        self.leases.join()
        self._beat = task.LoopingCall(self.leases.beat)
        self._beat.start(self.beat_every, now=False)

    def spider_idle(self, spider: Spider) -> None:
        """Idle here means nothing in flight, so any lease left is stale; then: done yet?"""
        self.pending.clear()
        self.leases.idle()
        if self.leases.drop_all():
            logger.debug("dropped leases no signal acknowledged")
        moved = self.leases.requeue_dead()
        if moved:
            logger.warning("re-queued %d request(s) of a worker that stopped beating", moved)
        if not self.leases.finished():
            raise DontCloseSpider("the run's frontier or another worker is still busy")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        stats = self.crawler.stats
        assert stats is not None
        counters = {
            key.removeprefix(COUNTER_PREFIX): value
            for key, value in stats.get_stats().items()
            if key.startswith(COUNTER_PREFIX) and isinstance(value, int)
        }
        server, keys = self.leases.server, self.leases.keys
        with server.pipeline() as pipe:
            for key, value in counters.items():
                pipe.hincrby(keys.counters, key, value)
            pipe.execute()
        self.leases.leave(finished=reason == "finished")

    def response_done(self, response: Response, items: int) -> None:
        """The spider is through with ``response``; its lease goes when its items have too."""
        lease = response.request.meta.get(LEASE) if response.request is not None else None
        if lease is None:
            return
        if items:
            self.pending[lease] = self.pending.get(lease, 0) + items
        else:
            self.leases.ack(lease)

    def item_done(self, item: Any, response: Response | None = None, **_: Any) -> None:
        request = getattr(response, "request", None)
        lease = request.meta.get(LEASE) if request is not None else None
        if lease is None or lease not in self.pending:
            return
        self.pending[lease] -= 1
        if self.pending[lease] <= 0:
            del self.pending[lease]
            self.leases.ack(lease)

    def request_failed(self, request: Request, **_: Any) -> None:
        lease = request.meta.get(LEASE)
        if lease is not None:
            self.leases.ack(lease)


def run_of(crawler: Crawler) -> DistributedRun | None:
    assert crawler.extensions is not None
    return next((m for m in crawler.extensions.middlewares if isinstance(m, DistributedRun)), None)


class LeaseSpiderMiddleware:
    """Counts the items each response yields, then tells the run the response is done."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("IPWATCH_RUN_ID"):
            raise NotConfigured("not a distributed run")
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        items = 0
        try:
            for output in result:
                items += not isinstance(output, Request)
                yield output
        finally:
            self._done(response, items)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        items = 0
        try:
            async for output in result:
                items += not isinstance(output, Request)
                yield output
        finally:
            self._done(response, items)

    def _done(self, response: Response, items: int) -> None:
        run = run_of(self.crawler)
        if run is not None:
            run.response_done(response, items)


class LeaseDownloaderMiddleware:
    """Outermost: a download that failed for good (retries spent, refused) is done too."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("IPWATCH_RUN_ID"):
            raise NotConfigured("not a distributed run")
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        run = run_of(self.crawler)
        if run is not None:
            run.request_failed(request)
