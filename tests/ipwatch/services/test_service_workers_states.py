"""The coordinator of a distributed run decides its listing states once, from what the
workers left in Redis (a real redis-server) and the index (a real SQLite store): a drained
run declares what it missed gone; one whose workers ended early declares nothing absent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from crawler.distributed.keys import RunKeys, connect
from crawler.distributed.states import RunStates
from ipwatch.services.run_states import run_diff
from ipwatch.services.workers import finish_run
from ipwatch.services.workspace import Workspace
from model import CrawlRun, ListingChange, ListingRecord

if TYPE_CHECKING:
    from pathlib import Path

    from redis import Redis

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
NEW, CHANGED, UNCHANGED = ListingChange.NEW, ListingChange.CHANGED, ListingChange.UNCHANGED


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    opened = Workspace.open(tmp_path / "home")
    for lid in ("demo:1", "demo:2", "demo:3"):
        opened.index.upsert_listing(
            ListingRecord(lid, "demo", f"http://127.0.0.1/item/{lid}", lid, "h", T0, T0)
        )
    return opened


def night(
    workspace: Workspace,
    server: Redis,
    n: int,
    seen: dict[str, ListingChange],
    gone: dict[str, str] | None = None,
    *,
    drained: bool = True,
) -> CrawlRun:
    """A run two workers shared, ended by the coordinator."""
    run = CrawlRun(f"R-{n}", "demo", "schedule", T0 + timedelta(days=n))
    workspace.index.start_run(run)
    keys = RunKeys(run.id)
    workers = [RunStates(server, keys), RunStates(server, keys)]
    for i, (lid, change) in enumerate(seen.items()):
        workers[i % 2].saw(lid, change)
        workers[(i + 1) % 2].saw(lid, UNCHANGED)  # a page both fetched counts once
    workers[1].gone(gone or {})
    server.xgroup_create(keys.seal, "sealer", mkstream=True)  # nothing left to seal
    if drained:
        server.set(keys.done, 1)
    return finish_run(workspace, server, run, lost_workers=0)


def states(workspace: Workspace, run: CrawlRun) -> dict[str, str]:
    return {s.listing_id: s.state.value for s in workspace.index.iter_listing_states(run.id)}


def test_the_coordinator_decides_each_listings_state_once(
    workspace: Workspace, redis_url: str
) -> None:
    server = connect(redis_url)
    first = night(workspace, server, 1, {"demo:1": NEW, "demo:2": NEW, "demo:3": NEW})
    assert first.status == "finished"
    assert states(workspace, first) == {"demo:1": "new", "demo:2": "new", "demo:3": "new"}

    # Workers ended early: demo:2 and demo:3 were not reached, so they are not gone.
    stopped = night(workspace, server, 2, {"demo:1": UNCHANGED}, drained=False)
    assert stopped.status == "stopped: workers ended early"
    assert states(workspace, stopped) == {"demo:1": "unchanged"}
    assert stopped.counters["listings_gone"] == 0

    second = night(workspace, server, 3, {"demo:1": CHANGED}, {"demo:2": "http 404"})
    assert states(workspace, second) == {"demo:1": "changed", "demo:2": "gone", "demo:3": "gone"}
    assert second.counters["listings_gone"] == 2
    stored = workspace.index.get_run(second.id)
    assert stored is not None and stored.counters["listings_gone"] == 2
    diff = run_diff(workspace, second.id)
    assert [(r.listing_id, r.state, r.reason) for r in diff.listings] == [
        ("demo:1", "changed", ""),
        ("demo:2", "gone", "http 404"),
        ("demo:3", "gone", "absent"),
    ]

    third = night(workspace, server, 4, {"demo:1": UNCHANGED, "demo:2": UNCHANGED})
    assert states(workspace, third) == {"demo:1": "unchanged", "demo:2": "reappeared"}
    assert third.counters["listings_reappeared"] == 1
