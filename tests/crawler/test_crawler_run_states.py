"""Each listing's state in a run, decided against a real SQLite index (no crawl needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.run_states import (
    ABSENT,
    count_states,
    decide_states,
    merge_seen,
    previous_complete_run,
    stronger,
)
from model import CrawlRun, ListingChange, ListingRecord
from store import SqliteStore

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
NEW, CHANGED, UNCHANGED = ListingChange.NEW, ListingChange.CHANGED, ListingChange.UNCHANGED


@pytest.fixture
def index(tmp_path):
    store = SqliteStore(tmp_path / "index.db")
    for lid in ("demo:1", "demo:2", "demo:3", "demo:4"):
        store.upsert_listing(
            ListingRecord(lid, "demo", f"http://127.0.0.1/item/{lid}", lid, "h", T0, T0)
        )
    yield store
    store.close()


def run(index, n: int, status: str = "finished", marketplace: str = "demo") -> CrawlRun:
    started = T0 + timedelta(days=n)
    record = CrawlRun(f"R-{n}", marketplace, "schedule", started, started, status=status)
    index.start_run(record)
    index.finish_run(record)
    return record


def decide(index, record, seen, removed=None):
    states = decide_states(index, record, seen, removed or {}, record.started)
    index.put_listing_states(states)
    return {s.listing_id: (s.state.value, s.reason) for s in states}


def test_a_first_run_states_follow_the_upserts_and_declare_nothing_gone(index):
    first = run(index, 1)
    assert decide(index, first, {"demo:1": NEW, "demo:2": NEW}) == {
        "demo:1": ("new", ""),
        "demo:2": ("new", ""),
    }


def test_a_listing_the_previous_complete_run_saw_is_gone_when_a_finished_run_misses_it(index):
    decide(index, run(index, 1), {"demo:1": NEW, "demo:2": NEW, "demo:3": NEW})
    states = decide(
        index, run(index, 2), {"demo:1": UNCHANGED, "demo:4": NEW}, {"demo:2": "http 404"}
    )
    assert states == {
        "demo:1": ("unchanged", ""),
        "demo:4": ("new", ""),
        "demo:2": ("gone", "http 404"),
        "demo:3": ("gone", ABSENT),
    }
    assert count_states(list(index.iter_listing_states("R-2"))) == {
        "listings_gone": 2,
        "listings_reappeared": 0,
    }


def test_an_interrupted_run_does_not_declare_absent_listings_gone(index):
    decide(index, run(index, 1), {"demo:1": NEW, "demo:2": NEW})
    interrupted = run(index, 2, status="interrupted")
    assert decide(index, interrupted, {"demo:1": UNCHANGED}) == {"demo:1": ("unchanged", "")}
    for n, status in enumerate(("stopped: shutdown", "blocked", "partial: blocked"), start=3):
        assert decide(index, run(index, n, status=status), {}) == {}


def test_an_interrupted_run_still_records_a_taken_down_page_as_gone(index):
    decide(index, run(index, 1), {"demo:1": NEW, "demo:2": NEW})
    stopped = run(index, 2, status="stopped: closespider_timeout")
    assert decide(index, stopped, {}, {"demo:2": "http 410"}) == {"demo:2": ("gone", "http 410")}


def test_absence_is_judged_against_the_last_finished_run_of_the_same_marketplace(index):
    decide(index, run(index, 1), {"demo:1": NEW, "demo:2": NEW})
    decide(index, run(index, 2, status="interrupted"), {"demo:1": UNCHANGED})
    decide(index, run(index, 3, marketplace="other"), {"demo:3": NEW})
    fourth = run(index, 4)
    assert previous_complete_run(index, fourth).id == "R-1"
    assert decide(index, fourth, {"demo:1": UNCHANGED}) == {
        "demo:1": ("unchanged", ""),
        "demo:2": ("gone", ABSENT),
    }


def test_a_gone_listing_is_gone_once_and_reappeared_when_seen_again(index):
    decide(index, run(index, 1), {"demo:1": NEW, "demo:2": NEW})
    assert decide(index, run(index, 2), {"demo:1": UNCHANGED})["demo:2"] == ("gone", ABSENT)
    assert decide(index, run(index, 3), {"demo:1": UNCHANGED}, {"demo:2": "http 404"}) == {
        "demo:1": ("unchanged", "")
    }
    assert decide(index, run(index, 4), {"demo:1": UNCHANGED, "demo:2": CHANGED}) == {
        "demo:1": ("unchanged", ""),
        "demo:2": ("reappeared", ""),
    }


def test_a_dead_link_to_a_listing_never_recorded_is_not_a_gone_listing(index):
    assert decide(index, run(index, 1), {}, {"demo:never": "http 404"}) == {}


def test_a_spooled_upsert_counts_as_changed_so_it_is_never_skipped(index):
    assert decide(index, run(index, 1), {"demo:1": ListingChange.SPOOLED}) == {
        "demo:1": ("changed", "")
    }


def test_of_two_answers_about_a_listing_in_one_job_the_stronger_is_the_runs() -> None:
    spooled = ListingChange.SPOOLED
    assert stronger(None, UNCHANGED) is UNCHANGED
    assert stronger(NEW, UNCHANGED) is NEW  # a second fetch finds what the first one stored
    assert stronger(UNCHANGED, CHANGED) is CHANGED
    assert stronger(spooled, CHANGED) is spooled  # as strong: the first stays
    killed = {"demo:1": NEW, "demo:2": CHANGED, "demo:3": UNCHANGED}
    resumed = {"demo:1": UNCHANGED, "demo:2": UNCHANGED, "demo:3": CHANGED, "demo:4": NEW}
    assert merge_seen(killed, resumed) == {
        "demo:1": NEW,
        "demo:2": CHANGED,
        "demo:3": CHANGED,
        "demo:4": NEW,
    }
