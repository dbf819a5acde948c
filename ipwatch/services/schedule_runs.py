"""Scheduled runs in the store: the last per marketplace, skips, and `schedule list`'s rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.triggers.cron import CronTrigger

from config.cron import DAYS
from config.schedule import Schedule, load_schedule
from config.settings import CONFIG_FILE
from crawler.extensions.crawl_run import new_run_id
from model import CrawlRun

if TYPE_CHECKING:
    from config.cron import CronField
    from config.schedule import ScheduleEntry
    from ipwatch.services.workspace import Workspace

TRIGGER = "schedule"
SKIPPED_BUSY = "skipped: still running"
SKIPPED_MISSED = "skipped: missed"
RECENT_RUNS = 1000  # how far back `last_scheduled_run` looks


def load_entries(workspace: Workspace) -> Schedule:
    return load_schedule(workspace.home, workspace.config.schedule, workspace.home / CONFIG_FILE)


def cron_trigger(entry: ScheduleEntry, *, jitter: bool = True) -> CronTrigger:
    """APScheduler's trigger from our parsed fields (its ``from_crontab`` reads day-of-week
    0 as Monday, crontab as Sunday, so names are passed instead)."""
    spec = entry.spec

    def values(field: CronField) -> str:
        return ",".join(str(v) for v in field.values) if field.restricted else "*"

    weekdays = ",".join(DAYS[v] for v in spec.weekday.values) if spec.weekday.restricted else "*"
    return CronTrigger(
        second=values(spec.second),
        minute=values(spec.minute),
        hour=values(spec.hour),
        day=values(spec.day),
        month=values(spec.month),
        day_of_week=weekdays,
        timezone=entry.zone,
        jitter=(entry.jitter_s or None) if jitter else None,
    )


def next_fire(entry: ScheduleEntry, after: datetime) -> datetime | None:
    """The first fire time strictly after ``after`` (no jitter)."""
    fire: datetime | None = cron_trigger(entry, jitter=False).get_next_fire_time(
        None, after + timedelta(microseconds=1)
    )
    return fire


@dataclass(frozen=True)
class Missed:
    """A fire missed while no scheduler ran: run it now (``catch_up``) or record the skip."""

    at: datetime  # the latest missed fire within the grace, else the first one missed
    catch_up: bool


def missed_fire(entry: ScheduleEntry, last: CrawlRun | None, now: datetime) -> Missed | None:
    """Did the schedule fire between its last recorded run and ``now``?

    A marketplace the schedule never ran has missed nothing: it starts at its next fire.
    ``run_once`` catches up when a missed fire is at most ``misfire_grace_s`` old; however
    many fires were missed, one crawl runs.
    """
    if last is None:
        return None
    first = next_fire(entry, last.started)
    if first is None or first > now:
        return None
    if entry.misfire == "run_once":
        since = max(last.started, now - timedelta(seconds=entry.misfire_grace_s))
        recent = next_fire(entry, since)
        if recent is not None and recent <= now:
            return Missed(recent, catch_up=True)
    return Missed(first, catch_up=False)


def last_scheduled_run(workspace: Workspace, marketplace: str) -> CrawlRun | None:
    for run in workspace.index.list_runs(limit=RECENT_RUNS):
        if run.marketplace == marketplace and run.trigger == TRIGGER:
            return run
    return None


def crawl_since(workspace: Workspace, marketplace: str, started: datetime) -> CrawlRun | None:
    """The scheduled crawl of ``marketplace`` that began at or after ``started`` (no skip)."""
    found = None
    for run in workspace.index.list_runs(limit=RECENT_RUNS):
        if run.started < started:
            break
        if (
            run.marketplace == marketplace
            and run.trigger == TRIGGER
            and not run.status.startswith("skipped")
        ):
            found = run  # runs come newest first: keep the earliest
    return found


def record_outcome(
    workspace: Workspace, marketplace: str, status: str, started: datetime | None = None
) -> CrawlRun:
    """A scheduled run that crawled nothing (skipped, or its crawl never started), finished."""
    now = datetime.now(UTC)
    run = CrawlRun(
        id=new_run_id(now),
        marketplace=marketplace,
        trigger=TRIGGER,
        started=started or now,
        finished=now,
        status=status,
    )
    workspace.index.start_run(run)
    workspace.index.finish_run(run)
    return run


@dataclass(frozen=True)
class ScheduleRow:
    """One entry with its next fire time and its last scheduled run, for `schedule list`."""

    marketplace: str
    cron: str
    timezone: str
    enabled: bool
    jitter_s: int
    misfire: str
    next_run: datetime | None
    last_run: str | None
    last_started: datetime | None
    last_status: str | None


def schedule_rows(workspace: Workspace, now: datetime | None = None) -> list[ScheduleRow]:
    moment = now or datetime.now(UTC)
    rows = []
    for entry in load_entries(workspace).entries:
        last = last_scheduled_run(workspace, entry.marketplace)
        rows.append(
            ScheduleRow(
                marketplace=entry.marketplace,
                cron=entry.cron,
                timezone=entry.timezone,
                enabled=entry.enabled,
                jitter_s=entry.jitter_s,
                misfire=entry.misfire,
                next_run=next_fire(entry, moment) if entry.enabled else None,
                last_run=last.id if last else None,
                last_started=last.started if last else None,
                last_status=last.status if last else None,
            )
        )
    return rows
