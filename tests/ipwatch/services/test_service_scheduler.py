"""The scheduler's own machinery on a per-second schedule, with a child that only sleeps in
place of the crawl (the real crawl is tests/ipwatch/test_ipwatch_schedule_run.py): a crawl
lock held elsewhere and a child still running are skips, stop() ends the child."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from config.schedule import ScheduleEntry
from crawler.extensions.run_lock import MarketplaceLock
from ipwatch.services.schedule_runs import SKIPPED_BUSY
from ipwatch.services.scheduler import ScheduleEvent, Scheduler
from ipwatch.services.workspace import Workspace

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_skips_while_busy_and_stop_ends_the_running_child(workspace: Workspace) -> None:
    events: list[ScheduleEvent] = []
    seen = threading.Condition()

    def record(event: ScheduleEvent) -> None:
        with seen:
            events.append(event)
            seen.notify_all()

    def wait_for(test: Callable[[ScheduleEvent], bool]) -> ScheduleEvent:
        with seen:
            assert seen.wait_for(lambda: any(test(e) for e in events), timeout=30), events
            return next(e for e in events if test(e))

    entry = ScheduleEntry(marketplace="demo", cron="* * * * * *")
    scheduler = Scheduler(workspace, [entry], lambda _: SLEEPER, record)
    manual = MarketplaceLock(workspace.home / "runs", "demo")
    manual.acquire("run R-manual, pid 1")  # a manual crawl of demo is running
    scheduler.start()
    try:
        held = wait_for(lambda e: e.kind == "skipped")
        assert "run R-manual, pid 1" in held.detail
        manual.release()
        started = wait_for(lambda e: e.kind == "started")
        overlap = wait_for(lambda e: e.kind == "skipped" and e.at > started.at)
        assert SKIPPED_BUSY in overlap.detail
    finally:
        scheduler.stop()
    finished = wait_for(lambda e: e.kind == "finished")
    assert "interrupted: stopped before the crawl began, exit -15" in finished.detail
    runs = workspace.index.list_runs(limit=100)
    assert {r.trigger for r in runs} == {"schedule"}
    assert {r.status for r in runs} == {SKIPPED_BUSY, "interrupted: stopped before the crawl began"}
    assert not [e for e in events if e.kind == "started" and e is not started]
