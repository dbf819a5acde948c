"""Remember how many listings each first list page gave, so a sudden zero can be suspected.

The spider compares with the last run (``blocked_suspect``); this extension loads and saves
the numbers in ``<home>/runs/<marketplace>.list-yields.json``. A run that was blocked keeps
the previous numbers: zeros behind a wall are not the shelf's real size.
"""

from __future__ import annotations

import json
import logging
import os
from typing import TYPE_CHECKING

from scrapy import signals

from crawler.context import workspace_for

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ListYieldMemory:
    def __init__(self, crawler: Crawler, folder: Path) -> None:
        self.crawler = crawler
        self.folder = folder

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        memory = cls(crawler, workspace_for(crawler).home / "runs")
        crawler.signals.connect(memory.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(memory.spider_closed, signal=signals.spider_closed)
        return memory

    def _path(self, spider: Spider) -> Path:
        name = getattr(getattr(spider, "profile", None), "name", spider.name)
        return self.folder / f"{name}.list-yields.json"

    def spider_opened(self, spider: Spider) -> None:
        if not hasattr(spider, "previous_yields"):
            return
        path = self._path(spider)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            logger.warning("%s: unreadable, starting afresh: %s", path, exc)
            return
        if isinstance(data, dict):
            spider.previous_yields = {
                str(url): count for url, count in data.items() if isinstance(count, int)
            }

    def spider_closed(self, spider: Spider, reason: str) -> None:
        yields = getattr(spider, "list_yields", None)
        stats = self.crawler.stats
        blocked = stats is not None and (
            stats.get_value("ipwatch/blocked_pages", 0)
            or stats.get_value("ipwatch/blocked_suspect", 0)
        )
        if not yields or reason != "finished" or blocked:
            return
        merged = {**getattr(spider, "previous_yields", {}), **yields}
        path = self._path(spider)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(merged, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
