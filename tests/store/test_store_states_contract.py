"""Each run's listing states, through the Protocol, on SQLite and a real OpenSearch node."""

from __future__ import annotations

from datetime import timedelta

from model import ListingState, RunListingState
from tests.store import test_store_contract as contract

T0 = contract.T0
backend = contract.backend  # the contract suite's fixture: SQLite and a real OpenSearch node


def state(run: str, listing: str, kind: ListingState, hours: int = 0, reason: str = ""):
    return RunListingState(run, listing, "demo", kind, T0 + timedelta(hours=hours), reason)


def test_a_runs_states_round_trip_by_listing_id_and_filter_by_state(backend):
    written = [
        state("R-1", "demo:3", ListingState.GONE, reason="http 410"),
        state("R-1", "demo:1", ListingState.NEW),
        state("R-1", "demo:2", ListingState.UNCHANGED),
        state("R-2", "demo:1", ListingState.CHANGED, hours=1),
    ]
    backend.put_listing_states(written)
    assert list(backend.iter_listing_states("R-1")) == [written[1], written[2], written[0]]
    gone = list(backend.iter_listing_states("R-1", [ListingState.GONE, ListingState.REAPPEARED]))
    assert gone == [written[0]] and gone[0].reason == "http 410"
    assert list(backend.iter_listing_states("R-9")) == []


def test_a_listings_state_in_a_run_is_replaced_not_duplicated(backend):
    backend.put_listing_states([state("R-1", "demo:1", ListingState.NEW)])
    backend.put_listing_states([state("R-1", "demo:1", ListingState.GONE, reason="http 404")])
    assert [(s.state, s.reason) for s in backend.iter_listing_states("R-1")] == [
        (ListingState.GONE, "http 404")
    ]


def test_the_latest_state_of_each_listing_is_the_one_of_its_latest_run(backend):
    backend.put_listing_states(
        [
            state("R-2", "demo:1", ListingState.GONE, hours=2, reason="absent"),
            state("R-1", "demo:1", ListingState.NEW, hours=1),
            state("R-1", "demo:2", ListingState.NEW, hours=1),
            state("R-3", "demo:2", ListingState.UNCHANGED, hours=3),
        ]
    )
    latest = backend.latest_listing_states(["demo:1", "demo:2", "demo:never", "demo:1"])
    assert {k: (v.run_id, v.state) for k, v in latest.items()} == {
        "demo:1": ("R-2", ListingState.GONE),
        "demo:2": ("R-3", ListingState.UNCHANGED),
    }
    assert backend.latest_listing_states([]) == {}


def test_a_run_with_more_states_than_a_page_is_read_whole(backend):
    many = [state("R-1", f"demo:{i:04d}", ListingState.UNCHANGED) for i in range(1203)]
    backend.put_listing_states(many)
    assert [s.listing_id for s in backend.iter_listing_states("R-1")] == [
        s.listing_id for s in many
    ]
    assert len(backend.latest_listing_states([s.listing_id for s in many])) == 1203
