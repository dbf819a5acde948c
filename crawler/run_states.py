"""Decide each listing's state in a run: new, changed, unchanged, gone or reappeared.

Seen listings take the upsert's answer (a spooled one, not known yet, counts as changed), or
``reappeared`` when their latest state in an earlier run was ``gone``. A listing is gone when
its page answered 404/410 or a "no longer available" page (any run), or, only when this run
finished normally, when the previous finished run of the marketplace saw it and this one did
not: an interrupted, stopped or blocked run has not looked everywhere, so it declares no absence.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from model import ListingChange, ListingState, RunListingState
from store.exceptions import StoreError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from model import CrawlRun
    from store.protocol import Store

logger = logging.getLogger(__name__)

COMPLETE = "finished"  # every other status (interrupted, stopped: ..., blocked) is incomplete
ABSENT = "absent"  # the reason of a listing the previous finished run saw and this one did not
GONE_STATUSES = (404, 410)
# Built-in "this listing was taken down" phrases, looked for only on pages with no price (a
# listing's own text is hostile and must not be able to declare itself gone).
REMOVED_MARKERS = re.compile(
    r"no longer available|has been removed|has been taken down|listing (?:has )?ended|"
    r"item (?:is )?not available any ?more|"
    # Chinese marketplaces (taken off the shelf, item does not exist / has expired) and the
    # major European languages
    r"已下架|已下柜|宝贝不存在|商品不存在|商品已失效|"
    r"nicht mehr verfügbar|n'est plus disponible|ya no está disponible|non è più disponibile",
    re.IGNORECASE,
)
_STATE_OF_CHANGE = {
    ListingChange.NEW: ListingState.NEW,
    ListingChange.CHANGED: ListingState.CHANGED,
    ListingChange.UNCHANGED: ListingState.UNCHANGED,
    ListingChange.SPOOLED: ListingState.CHANGED,  # not known yet: re-scored, never skipped
}


# When two answers about one listing in one run (or one job) disagree, the stronger is the
# run's: its first upsert of a new listing says new, and a second fetch (a lapsed lease, a page
# done again after a kill between the upsert and its report) finds what the first one stored.
CHANGE_RANK = {
    ListingChange.UNCHANGED: 0,
    ListingChange.SPOOLED: 1,
    ListingChange.CHANGED: 1,
    ListingChange.NEW: 2,
}


def stronger(first: ListingChange | None, second: ListingChange) -> ListingChange:
    """The run's answer from two: ``second`` only if it says more (equal: the first stays)."""
    if first is None or CHANGE_RANK[second] > CHANGE_RANK[first]:
        return second
    return first


def merge_seen(
    earlier: Mapping[str, ListingChange], later: Mapping[str, ListingChange]
) -> dict[str, ListingChange]:
    """What a job saw across its runs (a resumed run's and the killed ones' before it)."""
    merged = dict(earlier)
    for lid, change in later.items():
        merged[lid] = stronger(merged.get(lid), change)
    return merged


def is_complete(run: CrawlRun) -> bool:
    return run.status == COMPLETE


def previous_complete_run(index: Store, run: CrawlRun, scan: int = 1000) -> CrawlRun | None:
    """The latest finished run of the same marketplace that started before ``run``."""
    for other in index.list_runs(limit=scan):  # newest first
        if (
            other.id != run.id
            and other.marketplace == run.marketplace
            and is_complete(other)
            and (other.started, other.id) < (run.started, run.id)
        ):
            return other
    return None


def decide_states(
    index: Store,
    run: CrawlRun,
    seen: Mapping[str, ListingChange],
    removed: Mapping[str, str],
    at: datetime,
) -> list[RunListingState]:
    """The run's states (see module doc); ``removed``: listing id -> why it is gone."""
    gone = {lid: why for lid, why in removed.items() if lid not in seen}
    if is_complete(run) and (previous := previous_complete_run(index, run)) is not None:
        for earlier in index.iter_listing_states(previous.id):
            lid = earlier.listing_id
            if earlier.state.seen and lid not in seen and lid not in gone:
                gone[lid] = ABSENT
    latest = index.latest_listing_states([*seen, *gone])
    states: list[RunListingState] = []

    def add(lid: str, state: ListingState, reason: str = "") -> None:
        states.append(RunListingState(run.id, lid, run.marketplace, state, at, reason))

    for lid, change in seen.items():
        prior = latest.get(lid)
        if prior is not None and prior.run_id != run.id and prior.state is ListingState.GONE:
            add(lid, ListingState.REAPPEARED)
        else:
            add(lid, _STATE_OF_CHANGE[change])
    for lid, why in gone.items():
        prior = latest.get(lid)
        if prior is not None and prior.run_id != run.id and prior.state is ListingState.GONE:
            continue  # already gone: declared once, by the run that first missed it
        if prior is None and index.get_listing(lid) is None:
            continue  # a dead link to a listing ipwatch never recorded
        add(lid, ListingState.GONE, why)
    return states


def count_states(states: list[RunListingState]) -> dict[str, int]:
    """The run counters the states add: ``listings_gone`` and ``listings_reappeared``."""
    return {
        f"listings_{kind.value}": sum(s.state is kind for s in states)
        for kind in (ListingState.GONE, ListingState.REAPPEARED)
    }


def record_states(
    index: Store, run: CrawlRun, seen: Mapping[str, ListingChange], removed: Mapping[str, str]
) -> None:
    """Decide and store the states of a run that has ended (its status and ``finished`` set),
    adding their counters to it; one place for the in-process and the distributed crawl."""
    assert run.finished is not None
    try:
        states = decide_states(index, run, seen, removed, run.finished)
        index.put_listing_states(states)
    except StoreError as exc:  # the run is still recorded; the next one decides without it
        run.counters["states_failed"] = 1
        logger.error("could not record the listing states of run %s: %s", run.id, exc)
        return
    run.counters.update(count_states(states))
