"""Keep the crawl journal (``crawler.frontier``) in step with the crawl, so a kill loses nothing.

A spider middleware: it records each request the spider makes before Scrapy queues it, drops
requests the journal already has as done, seeds a resumed crawl with the requests still
pending, and marks a request done once its callback finished and every item it produced went
through the item pipelines. A request whose callback failed, whose download failed, or one of
whose items was dropped stays pending: a resumed crawl does it again. Off
(``NotConfigured``) unless ``IPWATCH_FRONTIER_JOURNAL`` names the job's journal file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

from crawler.frontier import CrawlJournal, discard
from crawler.items import ListingItem
from crawler.signals import listing_recording

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

FP = "ipwatch_frontier_fp"  # request meta (kept across redirects and retries) and item extra


class FrontierMiddleware:
    def __init__(self, crawler: Crawler, journal: CrawlJournal):
        self.crawler = crawler
        self.journal = journal
        self.outstanding: dict[str, int] = {}  # fp -> items still in the pipelines
        self.parsed: set[str] = set()  # callbacks that ran to the end, not yet marked done
        self.failed: set[str] = set()  # an item was dropped: done again by a resumed crawl
        self.resuming = any(journal.counts().values())  # a killed crawl left work behind

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("IPWATCH_FRONTIER_JOURNAL")
        if not path:
            raise NotConfigured("no crawl journal (IPWATCH_FRONTIER_JOURNAL)")
        middleware = cls(crawler, CrawlJournal(Path(path)))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.recording, signal=listing_recording)
        crawler.signals.connect(middleware.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(middleware.item_left, signal=signals.item_dropped)
        crawler.signals.connect(middleware.item_left, signal=signals.item_error)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        # Listings the killed runs of this job recorded: the resumed run's states cover them.
        spider.resumed_seen = self.journal.seen()  # type: ignore[attr-defined]
        self.journal.put("run_id", str(getattr(spider, "crawl_run_id", "")))

    def spider_closed(self, spider: Spider) -> None:
        """A crawl that closed (any reason) leaves no job to resume: only a kill does."""
        self.journal.close()
        discard(self.journal.path)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        pending = list(self.journal.pending())
        if pending:
            self._stat("resumed_requests", len(pending))
            logger.warning(
                "resuming the crawl in %s: %d request(s) to do", self.journal.path, len(pending)
            )
        for entry in pending:  # a resumed job: what the killed crawl had not finished
            try:
                request = spider.from_journal(entry.request)  # type: ignore[union-attr]
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                # the profile changed since (a section went): its searches find the rest
                logger.warning("journal request %s not resumed: %r", entry.fp, exc)
                continue
            request.meta[FP] = entry.fp
            yield request
        async for output in start:
            if isinstance(output, Request):
                output = self._journaled(output)
            if output is not None:
                yield output

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        source = self._source(response)
        for output in result:
            output = self._each(output, source)
            if output is not None:
                yield output
        self._finished(source)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        source = self._source(response)
        async for output in result:
            output = self._each(output, source)
            if output is not None:
                yield output
        self._finished(source)

    def recording(self, item: ListingItem) -> None:
        """Before the upsert, what it is expected to do (``crawler.signals``); the journal
        keeps the stronger answer, so the page done again after a kill here still says it."""
        expected = item.extra.get("expected_change")
        if item.listing is not None and expected is not None:
            self.journal.saw(item.listing.id, expected.value)

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, ListingItem) and item.listing is not None and item.change is not None:
            self.journal.saw(item.listing.id, item.change.value)
        self._left(item)

    def item_left(self, item: Any) -> None:
        """Dropped or failed in a pipeline: its request is done again after a kill."""
        source = item.extra.get(FP) if isinstance(item, ListingItem) else None
        if source is not None:
            self.failed.add(source)
        self._left(item)

    # --- internals ---------------------------------------------------------------------------

    def _journaled(self, request: Request) -> Request | None:
        """Record a request before it is queued; None for one the job already finished."""
        state = self.crawler.spider.journal_state(request)  # type: ignore[union-attr]
        if state is None:
            return request
        assert self.crawler.request_fingerprinter is not None
        fp = self.crawler.request_fingerprinter.fingerprint(request).hex()
        if self.journal.is_done(fp):  # finished before the kill, or a link seen twice
            if self.resuming:
                self._stat("resume_skipped")
            return None
        self.journal.add(fp, state)
        request.meta[FP] = fp
        return request

    def _each(self, output: Any, source: str | None) -> Any:
        if isinstance(output, Request):
            return self._journaled(output)
        if source is not None and isinstance(output, ListingItem):
            output.extra[FP] = source
            self.outstanding[source] = self.outstanding.get(source, 0) + 1
        return output

    @staticmethod
    def _source(response: Response) -> str | None:
        request = response.request
        return None if request is None else request.meta.get(FP)

    def _finished(self, source: str | None) -> None:
        if source is not None:
            self.parsed.add(source)
            self._settle(source)

    def _left(self, item: Any) -> None:
        source = item.extra.get(FP) if isinstance(item, ListingItem) else None
        if source is not None:
            self.outstanding[source] = self.outstanding.get(source, 1) - 1
            self._settle(source)

    def _settle(self, source: str) -> None:
        if source in self.parsed and self.outstanding.get(source, 0) <= 0:
            self.parsed.discard(source)
            self.outstanding.pop(source, None)
            if source not in self.failed:
                self.journal.done(source)

    def _stat(self, name: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"ipwatch/{name}", count)
