"""What changed since the previous run: a run's listing states, its diff and morning summary.

The crawler decides each listing's state when a run ends (``crawler.run_states``); this reads
them back. ``run_diff`` lists the listings that are new, changed, gone or reappeared in a run
(or over every run since an earlier one) with the flagged findings first seen meanwhile;
``run_summary`` is the morning summary, the JSON sent as the ``run.summary`` webhook event.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.run_states import is_complete
from ipwatch.services.errors import NotFoundError, ServiceError
from ipwatch.services.runs import show_run
from ipwatch.services.webhook_events import flagged_since
from ipwatch.services.webhooks import anyone_listens, emit
from model import ListingState
from store.exceptions import StoreError

if TYPE_CHECKING:
    from datetime import datetime

    from ipwatch.services.workspace import Workspace
    from model import CrawlRun, FindingRecord

logger = logging.getLogger(__name__)
NEWS = (ListingState.NEW, ListingState.CHANGED, ListingState.GONE, ListingState.REAPPEARED)
RUN_SCAN = 1000  # runs looked through for a run's predecessors
COLUMNS = ("listing_id", "state", "run_id", "reason", "title", "url")


@dataclass(frozen=True)
class StateRow:
    """One listing of a diff, with what the index knows of it (title and URL are hostile)."""

    listing_id: str
    state: str
    run_id: str
    reason: str
    title: str
    url: str


@dataclass
class RunDiff:
    run: CrawlRun
    against: CrawlRun | None  # the run the diff starts after; None: the first run
    runs: list[str]  # the runs the diff covers, oldest first
    listings: list[StateRow] = field(default_factory=list)
    flagged: list[FindingRecord] = field(default_factory=list)  # first seen in those runs

    def counts(self) -> dict[str, int]:
        return {s.value: sum(r.state == s.value for r in self.listings) for s in NEWS}


def state_counts(workspace: Workspace, run_id: str) -> dict[str, int]:
    """How many listings the run found in each state (every state named, zero included)."""
    counts = {state.value: 0 for state in ListingState}
    for state in workspace.index.iter_listing_states(run_id):
        counts[state.state.value] += 1
    return counts


def _marketplace_runs(workspace: Workspace, marketplace: str) -> list[CrawlRun]:
    """The marketplace's runs, oldest first."""
    runs = [r for r in workspace.index.list_runs(limit=RUN_SCAN) if r.marketplace == marketplace]
    return sorted(runs, key=lambda r: (r.started, r.id))


def run_diff(
    workspace: Workspace, run_id: str | None = None, against: str | None = None
) -> RunDiff:
    """The listings new, changed, gone or reappeared in ``run_id`` (default: the latest run),
    or in every run of its marketplace after ``against``; each listing's latest such state."""
    if run_id is None:
        latest = workspace.index.list_runs(limit=1)
        if not latest:
            raise NotFoundError("no crawl run yet; run `ipwatch crawl MARKETPLACE` first")
        run_id = latest[0].id
    run = show_run(workspace, run_id)
    runs = _marketplace_runs(workspace, run.marketplace)
    position = next(i for i, r in enumerate(runs) if r.id == run.id)
    if against is None:
        start = position
    else:
        base = show_run(workspace, against)
        if base.marketplace != run.marketplace or (base.started, base.id) >= (run.started, run.id):
            raise ServiceError(
                f"--against {against} must be an earlier run of {run.marketplace!r} than {run.id}"
            )
        start = next(i for i, r in enumerate(runs) if r.id == base.id) + 1
    span = runs[start : position + 1]
    diff = RunDiff(run, runs[start - 1] if start > 0 else None, [r.id for r in span])
    latest_state: dict[str, tuple[str, str, str]] = {}
    for covered in span:  # oldest first: a later state of a listing replaces an earlier one
        for found in workspace.index.iter_listing_states(covered.id, NEWS):
            latest_state[found.listing_id] = (found.state.value, covered.id, found.reason)
    for listing_id in sorted(latest_state):
        state, covered_id, reason = latest_state[listing_id]
        record = workspace.index.get_listing(listing_id)
        diff.listings.append(
            StateRow(
                listing_id,
                state,
                covered_id,
                reason,
                record.title if record else "",
                record.url if record else "",
            )
        )
    diff.flagged = _flagged_between(workspace, run.marketplace, span[0].started, run.finished)
    return diff


def _flagged_between(
    workspace: Workspace, marketplace: str, since: datetime, until: datetime | None
) -> list[FindingRecord]:
    return [
        f
        for f in flagged_since(workspace, marketplace, since)
        if until is None or f.created <= until
    ]


def finding_link(workspace: Workspace, finding_id: str) -> str:
    """The desk page of a finding when ``desk.url`` is set, else its id."""
    base = workspace.config.desk.url
    return f"{base}/findings/{finding_id}" if base else finding_id


def run_summary(workspace: Workspace, run_id: str) -> dict[str, Any]:
    """The morning summary of one run: counts, new flagged findings with links, gone and
    reappeared listings. Plain JSON data (its text is hostile: escape it where shown)."""
    diff = run_diff(workspace, run_id)
    run = diff.run
    counts = {
        key: run.counters.get(key, 0)
        for key in ("pages", "listings", "flagged", "findings_new", "errors")
    }
    counts.update(state_counts(workspace, run.id))
    return {
        "run_id": run.id,
        "marketplace": run.marketplace,
        "trigger": run.trigger,
        "status": run.status,
        "complete": is_complete(run),  # an incomplete run declares nothing gone by absence
        "started": run.started.isoformat(timespec="seconds"),
        "finished": run.finished.isoformat(timespec="seconds") if run.finished else None,
        "previous_run_id": diff.against.id if diff.against else None,
        "counts": counts,
        "new_flagged": [
            {
                "finding_id": f.id,
                "link": finding_link(workspace, f.id),
                "owner": f.owner,
                "asset_id": f.asset_id,
                "risk": f.risk,
                "title": f.title,
                "url": f.url,
            }
            for f in diff.flagged
        ],
        "gone": [_row(r) for r in diff.listings if r.state == ListingState.GONE.value],
        "reappeared": [_row(r) for r in diff.listings if r.state == ListingState.REAPPEARED],
    }


def _row(row: StateRow) -> dict[str, str]:
    return {"listing_id": row.listing_id, "reason": row.reason, "title": row.title, "url": row.url}


def send_run_summary(workspace: Workspace, run_id: str) -> int:
    """The ``run.summary`` webhook event for one run; returns how many deliveries were made."""
    return len(emit(workspace, "run.summary", run_summary(workspace, run_id)))


def after_run(workspace: Workspace, run: CrawlRun, operator: str) -> None:
    """At the end of a crawl: noticed listings found gone are settled as removed, and the
    morning summary goes to the webhooks that want it."""
    from ipwatch.services.identity import Principal
    from ipwatch.services.notice_checks import settle_gone

    try:
        gone = {
            s.listing_id: s.reason
            for s in workspace.index.iter_listing_states(run.id, (ListingState.GONE,))
        }
        if gone and not workspace.read_only:
            settle_gone(workspace, gone, Principal.operator(operator), run.id)
        if anyone_listens(workspace):
            send_run_summary(workspace, run.id)
    except StoreError as exc:  # the crawl itself is recorded; `runs summary` works later
        logger.warning("run %s: summary and notice outcomes not done: %s", run.id, exc)
