"""Scheduled runs: crontab weekdays as APScheduler runs them, the missed-run policy on a fixed
clock, skips recorded in the store, and the rows `schedule list` shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from config.schedule import ScheduleEntry
from config.settings import AppConfig
from ipwatch.services.schedule_runs import (
    SKIPPED_BUSY,
    crawl_since,
    cron_trigger,
    last_scheduled_run,
    missed_fire,
    next_fire,
    record_outcome,
    schedule_rows,
)
from ipwatch.services.workspace import Workspace
from model import CrawlRun

SATURDAY = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def entry(cron: str = "0 3 * * *", **fields: Any) -> ScheduleEntry:
    return ScheduleEntry(marketplace="demo", cron=cron, **fields)


def run_at(started: datetime, status: str = "finished") -> CrawlRun:
    return CrawlRun(
        id="R-1", marketplace="demo", trigger="schedule", started=started, status=status
    )


def test_weekdays_one_to_five_are_monday_to_friday_as_in_crontab() -> None:
    # APScheduler 3's own from_crontab reads 1-5 as Tuesday to Saturday
    fire = next_fire(entry("0 3 * * 1-5"), SATURDAY)
    assert fire == datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # Monday
    assert next_fire(entry("0 3 * * 0"), SATURDAY) == datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


def test_the_cron_runs_in_the_entry_time_zone() -> None:
    fire = next_fire(entry("0 3 * * *", timezone="Europe/Berlin"), SATURDAY)
    assert fire is not None and fire.astimezone(UTC) == datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 1, tzinfo=UTC)
    fire = next_fire(entry("0 3 * * *", timezone="Europe/Berlin"), summer)
    assert fire is not None and fire.astimezone(UTC) == datetime(2026, 7, 1, 1, 0, tzinfo=UTC)


def test_jitter_delays_by_at_most_jitter_s() -> None:
    trigger = cron_trigger(entry("0 3 * * *", jitter_s=600))
    for _ in range(20):
        fire = trigger.get_next_fire_time(None, SATURDAY)
        assert fire is not None
        delay = fire - datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
        assert timedelta(0) <= delay <= timedelta(seconds=600)


def test_nothing_missed_without_a_previous_scheduled_run() -> None:
    assert missed_fire(entry(), None, SATURDAY) is None


def test_nothing_missed_when_the_last_run_is_after_the_last_fire() -> None:
    last = run_at(datetime(2026, 12, 5, 3, 0, 5, tzinfo=UTC))
    assert missed_fire(entry(), last, SATURDAY) is None


def test_run_once_catches_up_a_recent_missed_fire_once() -> None:
    last = run_at(datetime(2026, 12, 1, 3, 0, 5, tzinfo=UTC))  # four fires missed
    missed = missed_fire(entry(misfire_grace_s=12 * 3600), last, SATURDAY)
    assert missed is not None and missed.catch_up
    assert missed.at == datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # the latest one


def test_run_once_records_a_skip_when_the_missed_fire_is_older_than_the_grace() -> None:
    last = run_at(datetime(2026, 12, 1, 3, 0, 5, tzinfo=UTC))
    missed = missed_fire(entry(misfire_grace_s=3600), last, SATURDAY)  # 03:00 is 9 h ago
    assert missed is not None and not missed.catch_up
    assert missed.at == datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # the first one missed


def test_skip_never_catches_up() -> None:
    last = run_at(datetime(2026, 12, 4, 3, 0, 5, tzinfo=UTC))
    missed = missed_fire(entry(misfire="skip", misfire_grace_s=86_400), last, SATURDAY)
    assert missed is not None and not missed.catch_up


def test_recorded_outcomes_and_the_rows_schedule_list_shows(tmp_path: Path) -> None:
    config = AppConfig.model_validate(
        {
            "schedule": [
                {"marketplace": "demo", "cron": "0 3 * * *", "timezone": "Europe/Berlin"},
                {"marketplace": "other", "cron": "*/30 * * * * *", "enabled": False},
            ]
        }
    )
    workspace = Workspace(tmp_path, config)
    try:
        before = datetime.now(UTC)
        assert last_scheduled_run(workspace, "demo") is None
        manual = CrawlRun(id="R-manual", marketplace="demo", trigger="manual", started=before)
        workspace.index.start_run(manual)
        skipped = record_outcome(workspace, "demo", SKIPPED_BUSY)
        assert skipped.trigger == "schedule" and skipped.finished is not None
        assert last_scheduled_run(workspace, "demo") == skipped
        assert crawl_since(workspace, "demo", before) is None  # a skip is no crawl
        rows = {row.marketplace: row for row in schedule_rows(workspace, SATURDAY)}
    finally:
        workspace.close()
    demo, other = rows["demo"], rows["other"]
    assert (demo.last_run, demo.last_status) == (skipped.id, SKIPPED_BUSY)
    assert demo.next_run is not None
    assert demo.next_run.astimezone(UTC) == datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
    assert other.next_run is None and other.last_run is None and not other.enabled
