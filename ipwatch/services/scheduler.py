"""Crawl marketplaces on their cron schedules: each crawl a child process (Twisted's reactor
runs once per process), never two of one marketplace at once, missed runs by policy.

A fire while the marketplace's crawl still runs (here, or any process holding its crawl lock)
is recorded as a run "skipped: still running". On start, a fire missed while the scheduler was
down is run once at once (``misfire: run_once``, when at most ``misfire_grace_s`` old) or
recorded "skipped: missed". ``stop()`` sends SIGTERM to running crawls and waits for them: they
stop gracefully, and one that ends before closing its run is marked interrupted here.
"""

from __future__ import annotations

import signal
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from config.profile import load_profile
from crawler.extensions.crawl_run import close_abandoned_runs
from crawler.extensions.run_lock import CrawlBusy, MarketplaceLock
from ipwatch.services.crawl import STOP_GRACE_S
from ipwatch.services.metrics import child_exited
from ipwatch.services.schedule_runs import (
    SKIPPED_BUSY,
    SKIPPED_MISSED,
    crawl_since,
    cron_trigger,
    last_scheduled_run,
    missed_fire,
    record_outcome,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from config.schedule import ScheduleEntry
    from ipwatch.services.workspace import Workspace

STOP_WAIT_S = STOP_GRACE_S + 20  # a crawl's graceful stop plus its hard stop, then a kill


@dataclass(frozen=True)
class ScheduleEvent:
    """Something the operator should see: a crawl started or finished, a skip, a catch-up."""

    at: datetime
    kind: str  # started | finished | skipped | missed | catch-up | stopping
    marketplace: str
    detail: str


class Scheduler:
    """One APScheduler job per enabled entry; ``command(entry)`` is the crawl's argv."""

    def __init__(
        self,
        workspace: Workspace,
        entries: Sequence[ScheduleEntry],
        command: Callable[[ScheduleEntry], list[str]],
        on_event: Callable[[ScheduleEvent], None],
    ):
        self.workspace = workspace
        self.entries = {e.marketplace: e for e in entries if e.enabled}
        self.command = command
        self.on_event = on_event
        self.logs = workspace.home / "logs" / "schedule"
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._guard = threading.Lock()
        self._idle = threading.Condition(self._guard)
        self._active = 0
        self._stopping = False
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max(len(self.entries), 1))},
            timezone=UTC,
        )
        self._scheduler.add_listener(self._not_run, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)

    def start(self, now: datetime | None = None) -> None:
        """Check every profile, add the jobs (a catch-up first where one is due), start."""
        for name in self.entries:
            # a missing or broken profile stops start-up, not the 3 a.m. run
            load_profile(name, home=self.workspace.home)
        moment = now or datetime.now(UTC)
        for name, entry in self.entries.items():
            catch_up = self._catch_up(entry, moment)
            self._scheduler.add_job(
                self._fire,
                cron_trigger(entry),
                args=(entry,),
                id=name,
                name=f"crawl {name}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=entry.misfire_grace_s if entry.misfire == "run_once" else 1,
                **({"next_run_time": moment} if catch_up else {}),
            )
        self._scheduler.start()

    def next_runs(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}

    def _catch_up(self, entry: ScheduleEntry, now: datetime) -> bool:
        """A fire missed while down: say it runs now, or record it as skipped."""
        missed = missed_fire(entry, last_scheduled_run(self.workspace, entry.marketplace), now)
        if missed is None:
            return False
        if missed.catch_up:
            self._emit("catch-up", entry.marketplace, f"missed {missed.at:%Y-%m-%d %H:%M:%SZ}")
            return True
        run = record_outcome(self.workspace, entry.marketplace, SKIPPED_MISSED)
        self._emit("missed", entry.marketplace, f"{run.id}: missed {missed.at:%Y-%m-%d %H:%M:%SZ}")
        return False

    def _not_run(self, event: JobEvent) -> None:
        """APScheduler skipped a fire: the job still runs (max instances) or fired too late."""
        if self._stopping:
            return
        busy = event.code == EVENT_JOB_MAX_INSTANCES
        run = record_outcome(self.workspace, event.job_id, SKIPPED_BUSY if busy else SKIPPED_MISSED)
        self._emit("skipped" if busy else "missed", event.job_id, f"{run.id}: {run.status}")

    def _fire(self, entry: ScheduleEntry) -> None:
        with self._guard:
            if self._stopping:
                return
            self._active += 1
        try:
            self._crawl(entry)
        finally:
            with self._guard:
                self._active -= 1
                self._idle.notify_all()

    def _crawl(self, entry: ScheduleEntry) -> None:
        name = entry.marketplace
        busy = self._lock_holder(name)
        if busy is not None:  # a manual crawl, or a scheduler in another process
            skipped = record_outcome(self.workspace, name, SKIPPED_BUSY)
            self._emit("skipped", name, f"{skipped.id}: {skipped.status} ({busy})")
            return
        started = datetime.now(UTC)
        log = self._log_path(name)
        with self._guard:
            if self._stopping:
                return
            with log.open("ab") as output:
                output.write(f"--- {started:%Y-%m-%d %H:%M:%SZ} scheduled crawl\n".encode())
                output.flush()
                child = subprocess.Popen(  # noqa: S603 - an argv list, no shell
                    self.command(entry),
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # only the scheduler signals it, once
                )
            self._children[name] = child
        self._emit("started", name, f"pid {child.pid}, log {log}")
        code = child.wait()
        child_exited(child.pid)
        with self._guard:
            self._children.pop(name, None)
        run = crawl_since(self.workspace, name, started)
        if run is not None and run.status == "running":
            # Stopped before Scrapy could close the run (a signal during start-up, a kill):
            # mark it interrupted and index what it sealed now, as the next crawl would.
            close_abandoned_runs(self.workspace)
            run = crawl_since(self.workspace, name, started)
        if run is None:  # the crawl ended before recording a run (bad profile, no keywords)
            status = (
                "interrupted: stopped before the crawl began"
                if self._stopping and code < 0
                else f"failed: exit {code} (see {log})"
            )
            run = record_outcome(self.workspace, name, status, started=started)
        self._emit("finished", name, f"{run.id}: {run.status}, exit {code}")

    def _lock_holder(self, name: str) -> str | None:
        lock = MarketplaceLock(self.workspace.home / "runs", name)
        try:
            lock.acquire("ipwatch schedule: checking")
        except CrawlBusy as busy:
            return str(busy)
        lock.release()
        return None

    def _log_path(self, name: str) -> Path:
        self.logs.mkdir(parents=True, exist_ok=True)
        return self.logs / f"{name}.log"

    def stop(self) -> None:
        """Stop scheduling, SIGTERM running crawls, wait for them; kill what outlives the wait."""
        with self._guard:
            self._stopping = True
            children = dict(self._children)
        self._scheduler.shutdown(wait=False)
        for name, child in children.items():
            self._emit("stopping", name, f"SIGTERM to pid {child.pid}")
            child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                child.kill()  # its run stays "running"; the next crawl marks it interrupted
                child.wait()
        with self._guard:
            self._idle.wait_for(lambda: self._active == 0, timeout=STOP_WAIT_S)

    def _emit(self, kind: str, marketplace: str, detail: str) -> None:
        self.on_event(ScheduleEvent(datetime.now(UTC), kind, marketplace, detail))
