"""What a crawl says it saw reaches the job's journal and a distributed run's Redis keys before
the index holds the listing: a kill between the upsert and the report used to leave the page to
be done again, and the second upsert, finding what the first stored, said "unchanged" for a
listing the run found new (real SQLite index, journal and redis-server; the store is wrapped
only to look at both records at the moment of the upsert)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.utils.test import get_crawler

from crawler.distributed.keys import RunKeys, connect
from crawler.distributed.states import ReportSeenPipeline, RunStates
from crawler.frontier import CrawlJournal
from crawler.middlewares.frontier import FrontierMiddleware
from crawler.pipelines.detect import expected_change
from crawler.pipelines.index import IndexPipeline
from model import Listing, ListingChange, ListingRecord
from store import SqliteStore
from tests.crawler.test_crawler_listing_id import item as listing_item

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.items import ListingItem

RUN = "R-seen-first"
T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


class WatchedStore(SqliteStore):
    """The real store; each upsert first notes what the journal and Redis hold by then."""

    def __init__(self, path: Path, journal: Path, redis_url: str) -> None:
        super().__init__(path)
        self.journal = journal
        self.states = RunStates(connect(redis_url), RunKeys(RUN))
        self.before_upsert: list[tuple[dict[str, str], dict[str, ListingChange]]] = []

    def upsert_listing(self, listing: ListingRecord) -> ListingChange:
        journal = CrawlJournal(self.journal)
        self.before_upsert.append((journal.seen(), self.states.read()[0]))
        journal.close()
        return super().upsert_listing(listing)


@dataclass
class Context:
    """The part of a crawl's workspace the index pipeline uses."""

    index: SqliteStore
    assets: dict[str, Any] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict[int, object]) -> Context:
        return self  # shared, as the application's workspace is


def stored_item(index: SqliteStore, lid: str, content: str) -> ListingItem:
    item = listing_item()
    item.listing = Listing(id=lid, marketplace="shop", url=item.extracted.url, title="Trail shoe")
    item.extra["content_hash"] = content
    item.extra["expected_change"] = expected_change(index.get_listing(lid), content)
    return item


def test_a_listing_is_reported_to_the_journal_and_redis_before_the_index_holds_it(
    tmp_path: Path, redis_url: str
) -> None:
    journal = tmp_path / "jobs" / "shop.sqlite"
    index = WatchedStore(tmp_path / "index.db", journal, redis_url)
    index.upsert_listing(ListingRecord("shop:2", "shop", "http://shop/2", "old", "h0", T0, T0))
    index.before_upsert.clear()
    crawler = get_crawler(
        settings_dict={
            "IPWATCH_WORKSPACE": Context(index),
            "IPWATCH_FRONTIER_JOURNAL": str(journal),
            "IPWATCH_RUN_ID": RUN,
            "REDIS_URL": redis_url,
        }
    )
    frontier = FrontierMiddleware.from_crawler(crawler)  # held: signals keep weak references
    report = ReportSeenPipeline.from_crawler(crawler)
    pipeline = IndexPipeline.from_crawler(crawler)
    crawler.stats.open_spider()

    new, changed = stored_item(index, "shop:1", "h1"), stored_item(index, "shop:2", "h2")
    for item in (new, changed):
        report.process_item(pipeline.process_item(item))

    assert [change for _, change in index.before_upsert] == [
        {"shop:1": ListingChange.NEW},
        {"shop:1": ListingChange.NEW, "shop:2": ListingChange.CHANGED},
    ]
    assert [seen for seen, _ in index.before_upsert] == [
        {"shop:1": "new"},
        {"shop:1": "new", "shop:2": "changed"},
    ]
    assert (new.change, changed.change) == (ListingChange.NEW, ListingChange.CHANGED)
    # the page done again after a kill here: its upsert finds what the first one stored
    again = stored_item(index, "shop:1", "h1")
    report.process_item(pipeline.process_item(again))
    assert again.change is ListingChange.UNCHANGED
    assert CrawlJournal(journal).seen()["shop:1"] == "new"
    assert RunStates(connect(redis_url), RunKeys(RUN)).read()[0]["shop:1"] is ListingChange.NEW
    frontier.journal.close()
    index.close()


def test_the_expected_change_reads_the_stored_record_as_the_upsert_will() -> None:
    stored = ListingRecord("shop:1", "shop", "http://shop/1", "t", "h1", T0, T0)
    assert expected_change(None, "h1") is ListingChange.NEW
    assert expected_change(stored, "h2") is ListingChange.CHANGED
    assert expected_change(stored, "h1") is ListingChange.UNCHANGED
