"""Feed the crawl's Prometheus metrics from the ``ipwatch/*`` stats the run already keeps.

Nothing else in the crawl changes: as pages and items pass (and every few seconds, for the
spool depth) the stats' growth since the last look is added to the counters, so the metrics
and the run record can never disagree.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

from crawler.context import workspace_for
from crawler.extensions.crawl_run import PREFIX
from crawler.metrics import ERROR_COUNTERS, LISTING_STATES, crawl_metrics

if TYPE_CHECKING:
    from typing import Self

    from prometheus_client import Counter
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from crawler.context import CrawlContext
    from crawler.metrics import CrawlMetrics

SPOOL_INTERVAL_S = 5.0


class CrawlMetricsExtension:
    """Counters grow with the stats; the spool gauge and the running gauge follow the run."""

    def __init__(self, crawler: Crawler, workspace: CrawlContext, metrics: CrawlMetrics):
        self.crawler = crawler
        self.workspace = workspace
        self.metrics = metrics
        self.marketplace = "unknown"
        self.seen: dict[str, int] = {}
        self.started = 0.0
        self._poll: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        metrics = crawler.settings.get("IPWATCH_METRICS") or crawl_metrics()
        extension = cls(crawler, workspace_for(crawler), metrics)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(extension.sync, signal=signal)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.marketplace = getattr(getattr(spider, "profile", None), "name", spider.name)
        self.started = time.monotonic()
        self.metrics.running.labels(self.marketplace).inc()
        self._poll = task.LoopingCall(self.spool_depth)
        self._poll.start(SPOOL_INTERVAL_S, now=True)

    def spider_closed(self, spider: Spider) -> None:
        if self._poll is not None and self._poll.running:
            self._poll.stop()
        self.sync()
        self.spool_depth()
        self.metrics.running.labels(self.marketplace).dec()
        self.metrics.duration.labels(self.marketplace).observe(time.monotonic() - self.started)

    def spool_depth(self) -> None:
        self.metrics.spooled.labels(self.marketplace).set(self.workspace.index.pending())

    def sync(self) -> None:
        """Add what each stat grew by since the last call to its metric."""
        stats = self.crawler.stats
        if stats is None:
            return
        for key, value in stats.get_stats().items():
            if not key.startswith(PREFIX) or not isinstance(value, int):
                continue
            name = key.removeprefix(PREFIX)
            grown = value - self.seen.get(name, 0)
            if grown <= 0:
                continue
            counter = self._counter(name)
            if counter is not None:
                counter.inc(grown)
            self.seen[name] = value

    def _counter(self, name: str) -> Counter | None:
        """The labelled counter a run counter feeds, or None for those with no metric."""
        m, market = self.metrics, self.marketplace
        simple = {
            "pages": m.pages,
            "findings_new": m.findings,
            "flagged": m.flagged,
            "captures": m.captures,
            "snapshots": m.seals,
        }
        if name in simple:
            return simple[name].labels(market)
        state = name.removeprefix("listings_")
        if name.startswith("listings_") and state in LISTING_STATES:
            return m.listings.labels(market, state)
        if name.startswith("errors/"):
            return m.errors.labels(market, name.removeprefix("errors/")[:60])
        if name in ERROR_COUNTERS:
            return m.errors.labels(market, name)
        return None
