"""The crawl journal keeps requests and their state across a kill, and refuses a damaged file
with a message that names it and the way out (--fresh)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from crawler.frontier import CrawlJournal, FrontierError, discard

if TYPE_CHECKING:
    from pathlib import Path


def test_pending_requests_come_back_in_queue_order_and_done_ones_do_not(tmp_path: Path) -> None:
    path = tmp_path / "jobs" / "demo.sqlite"
    journal = CrawlJournal(path)
    assert journal.add("b", {"url": "http://shop/2"})
    assert journal.add("a", {"url": "http://shop/1"})
    assert not journal.add("b", {"url": "http://shop/2"})  # queued once
    journal.add("c", {"url": "http://shop/3"})
    journal.done("a")
    journal.saw("demo:1", "new")
    journal.put("run_id", "R-1")
    # no close: a killed process never closes it
    reopened = CrawlJournal(path)
    assert [(e.fp, e.request["url"]) for e in reopened.pending()] == [
        ("b", "http://shop/2"),
        ("c", "http://shop/3"),
    ]
    assert reopened.is_done("a") and not reopened.is_done("b") and not reopened.is_done("zz")
    assert reopened.counts() == {"pending": 2, "done": 1}
    assert reopened.seen() == {"demo:1": "new"}
    assert reopened.get("run_id") == "R-1"
    assert not reopened.add("a", {"url": "http://shop/1"})  # done stays done
    assert reopened.is_done("a")
    journal.close()
    reopened.close()
    assert discard(path)
    assert not list(path.parent.iterdir())  # the WAL files went with it
    assert not discard(path)


def test_truncated_journal_is_refused_naming_the_file_and_fresh(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    journal = CrawlJournal(path)
    for i in range(200):
        journal.add(f"fp{i}", {"url": f"http://shop/{i}", "pad": "x" * 200})
    journal.close()  # checkpoints the WAL into the file
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(FrontierError, match="--fresh") as caught:
        list(CrawlJournal(path).pending())
    assert str(path) in str(caught.value)


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    path.write_bytes(b"GIF89a not a database at all" * 100)
    with pytest.raises(FrontierError, match=r"damaged or not a journal.*--fresh"):
        CrawlJournal(path)


def test_a_journal_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    CrawlJournal(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE job SET value = '99' WHERE key = 'version'")
    db.close()
    with pytest.raises(FrontierError, match="journal version 99"):
        CrawlJournal(path)


def test_of_two_answers_about_a_listing_the_journal_keeps_the_stronger(tmp_path: Path) -> None:
    journal = CrawlJournal(tmp_path / "jobs" / "demo.sqlite")
    journal.saw("demo:1", "new")  # before the upsert; the kill came before the page was done
    journal.saw("demo:1", "unchanged")  # the page done again finds what the first upsert stored
    journal.saw("demo:2", "unchanged")
    journal.saw("demo:2", "changed")
    journal.saw("demo:3", "spooled")
    journal.saw("demo:3", "changed")  # as strong: the first answer stays
    assert journal.seen() == {"demo:1": "new", "demo:2": "changed", "demo:3": "spooled"}
    journal.close()
