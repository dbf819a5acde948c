"""Count dropped items and pipeline and parse errors in every crawl process, the same way.

The in-process crawl's run recorder and each worker of a distributed run (which has no
recorder: the coordinator sums the workers' ``ipwatch/*`` counters) both load this, so a run's
``errors`` and ``dropped`` mean one thing however it was crawled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

PREFIX = "ipwatch/"


class ItemErrorCounts:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        counts = cls(crawler)
        crawler.signals.connect(counts.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(counts.item_error, signal=signals.item_error)
        crawler.signals.connect(counts.spider_error, signal=signals.spider_error)
        return counts

    def _inc(self, name: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"{PREFIX}{name}")

    def item_dropped(self) -> None:
        self._inc("dropped")

    def item_error(self) -> None:
        self._inc("errors")
        self._inc("errors/pipeline")

    def spider_error(self) -> None:
        self._inc("errors")
        self._inc("errors/parse")
