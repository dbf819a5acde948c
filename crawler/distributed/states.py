"""What the workers of a distributed run saw, kept in the run's Redis keys for one decision.

The coordinator decides every listing's state once the run has ended, with the in-process
crawl's code (``crawler.run_states``), from two hashes every worker writes to as it goes:
``seen`` (listing id -> what its upsert did) and ``gone`` (listing id -> why its page says it
was taken down). Redis, not the index: they are the run's shared state like its frontier, a
field per listing makes a page two workers fetched (a lease that lapsed) one listing, and they
expire with the run's other keys. A worker writes before the page's lease is acknowledged, so
what a killed worker saw survives it and the page it did not finish is reported by another.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.distributed.keys import RunKeys, connect
from crawler.run_states import CHANGE_RANK
from crawler.signals import listing_recording
from model import ListingChange

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Self

    from redis import Redis
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.items import ListingItem

_KEEP_STRONGER = """
local rank = {%s}
local old = redis.call('HGET', KEYS[1], ARGV[1])
if (not old) or rank[ARGV[2]] > (rank[old] or -1) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
""" % ", ".join(f"{change.value} = {rank}" for change, rank in CHANGE_RANK.items())  # noqa: UP031 - Lua braces


class RunStates:
    """One run's reports: written by workers, read once by whoever ends the run."""

    def __init__(self, server: Redis, keys: RunKeys) -> None:
        self.server = server
        self.keys = keys
        self._keep_stronger = server.register_script(_KEEP_STRONGER)

    def saw(self, listing_id: str, change: ListingChange) -> None:
        self._keep_stronger(keys=[self.keys.seen], args=[listing_id, change.value])

    def gone(self, removed: Mapping[str, str]) -> None:
        if removed:
            fields: dict[Any, Any] = dict(removed)  # redis-py's Mapping wants its own key type
            self.server.hset(self.keys.gone, mapping=fields)

    def read(self) -> tuple[dict[str, ListingChange], dict[str, str]]:
        """(listing id -> change, listing id -> why gone), as the run's workers left them."""
        seen = {
            key.decode(): ListingChange(value.decode())
            for key, value in self.server.hscan_iter(self.keys.seen, count=1000)
        }
        gone = {
            key.decode(): value.decode()
            for key, value in self.server.hscan_iter(self.keys.gone, count=1000)
        }
        return seen, gone


def _run_states(crawler: Crawler) -> RunStates:
    settings = crawler.settings
    run_id, url = settings.get("IPWATCH_RUN_ID"), settings.get("REDIS_URL")
    if not run_id or not url:
        raise NotConfigured("not a distributed run (IPWATCH_RUN_ID and REDIS_URL unset)")
    return RunStates(connect(url), RunKeys(run_id))


class ReportSeenPipeline:
    """Last pipeline: the upsert's answer goes to the run before the item is done (and with
    it, maybe, its page's lease)."""

    def __init__(self, states: RunStates) -> None:
        self.states = states

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pipeline = cls(_run_states(crawler))
        crawler.signals.connect(pipeline.recording, signal=listing_recording)
        return pipeline

    def recording(self, item: ListingItem) -> None:
        """Before the upsert, what it is expected to do (``crawler.signals``): a worker killed
        between its upsert and ``process_item`` has said it, so the page another worker does
        again (finding what this one stored) cannot turn new or changed into unchanged."""
        expected = item.extra.get("expected_change")
        if item.listing is not None and expected is not None:
            self.states.saw(item.listing.id, expected)

    def process_item(self, item: ListingItem) -> ListingItem:
        if item.listing is not None and item.change is not None:
            self.states.saw(item.listing.id, item.change)
        return item


class ReportGoneMiddleware:
    """Inside the lease middleware: once the spider is through with a page, the listings it
    found taken down (404/410, a "no longer available" page) go to the run, then the lease."""

    def __init__(self, crawler: Crawler, states: RunStates) -> None:
        self.crawler = crawler
        self.states = states
        self.reported: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler, _run_states(crawler))
        crawler.signals.connect(middleware.report, signal=signals.spider_closed)
        return middleware

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        try:
            yield from result
        finally:
            self.report()

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        try:
            async for output in result:
                yield output
        finally:
            self.report()

    def report(self) -> None:
        gone: dict[str, str] = getattr(self.crawler.spider, "gone_listings", {})
        fresh = {lid: why for lid, why in gone.items() if self.reported.get(lid) != why}
        self.states.gone(fresh)
        self.reported.update(fresh)
