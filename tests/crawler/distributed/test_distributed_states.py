"""What workers report into a run's Redis keys, against a real redis-server: a listing two
workers saw is one listing with the stronger answer; taken-down pages keep their reason."""

from __future__ import annotations

from crawler.distributed.keys import RunKeys, connect
from crawler.distributed.states import RunStates
from model import ListingChange

NEW, CHANGED, UNCHANGED = ListingChange.NEW, ListingChange.CHANGED, ListingChange.UNCHANGED


def test_a_listing_two_workers_saw_is_one_listing_with_the_stronger_answer(redis_url: str) -> None:
    keys = RunKeys("R-states")
    first, second = RunStates(connect(redis_url), keys), RunStates(connect(redis_url), keys)
    first.saw("demo:1", NEW)  # its lease lapsed: another worker fetches it again ...
    second.saw("demo:1", UNCHANGED)  # ... and finds what the first one stored
    second.saw("demo:2", UNCHANGED)
    first.saw("demo:2", CHANGED)
    first.saw("demo:3", ListingChange.SPOOLED)
    second.saw("demo:3", CHANGED)  # as strong: the first answer stays
    first.gone({"demo:9": "http 404"})
    second.gone({})
    seen, gone = RunStates(connect(redis_url), keys).read()
    assert seen == {"demo:1": NEW, "demo:2": CHANGED, "demo:3": ListingChange.SPOOLED}
    assert gone == {"demo:9": "http 404"}
    assert RunStates(connect(redis_url), RunKeys("R-other")).read() == ({}, {})
