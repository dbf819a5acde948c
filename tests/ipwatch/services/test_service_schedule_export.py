"""Schedules exported for the OS scheduler: golden systemd units and crontab, timers systemd
itself reads as firing when ipwatch would, and keywords that stay one argument."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from config.schedule import ScheduleEntry
from ipwatch.services.schedule_export import crontab, on_calendar, systemd_units
from ipwatch.services.schedule_runs import next_fire

GOLDEN = Path(__file__).parents[2] / "data" / "schedule"
PROGRAM = ["/opt/ipwatch/bin/ipwatch"]
HOME = Path("/srv/ipwatch")


def entries() -> list[ScheduleEntry]:
    data = yaml.safe_load((GOLDEN / "schedule.yaml").read_text(encoding="utf-8"))
    return [ScheduleEntry.model_validate(item) for item in data]


def test_systemd_units_match_the_golden_files() -> None:
    export = systemd_units(entries(), PROGRAM, HOME)
    assert export.refused == [] and export.disabled == ["paused"]
    expected = sorted(p.name for p in (GOLDEN / "systemd").iterdir())
    assert sorted(export.files) == expected
    for name, text in export.files.items():
        assert text == (GOLDEN / "systemd" / name).read_text(encoding="utf-8"), name


def test_crontab_matches_the_golden_file_and_refuses_seconds() -> None:
    export = crontab(entries(), PROGRAM, HOME)
    assert export.files["crontab"] == (GOLDEN / "crontab").read_text(encoding="utf-8")
    (refused,) = export.refused
    assert refused.startswith("fast: cron '*/20 * * * * *' has a seconds field")
    assert export.disabled == ["paused"]


@pytest.mark.parametrize(
    ("cron", "timezone"),
    [
        ("0 3 * * 1-5", "Europe/Berlin"),
        ("*/15 9-17 1,15 * *", "UTC"),
        ("30 4 * jan,jul sun", "America/New_York"),
        ("5 0 29 2 *", "Asia/Tokyo"),
        ("*/20 * * * * *", "UTC"),
    ],
)
def test_systemd_fires_when_ipwatch_fires(cron: str, timezone: str) -> None:
    entry = ScheduleEntry(marketplace="demo", cron=cron, timezone=timezone)
    expression = on_calendar(entry)
    for _ in range(3):  # a fire between the two readings of the clock: read again
        before = next_fire(entry, datetime.now(UTC))
        shown = subprocess.run(
            ["systemd-analyze", "calendar", expression],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "TZ": "UTC", "SYSTEMD_COLORS": "0"},
        ).stdout
        after = next_fire(entry, datetime.now(UTC))
        if before == after:
            break
    found = re.search(r"Next elapse: \w+ (\S+ \S+) UTC", shown)
    assert found, shown
    assert before is not None
    assert found.group(1) == before.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def test_shell_injection_in_a_keyword_stays_one_crontab_argument() -> None:
    hostile = "x'; rm -rf ~ #\"$(id)`id` 100%"
    entry = ScheduleEntry(marketplace="demo", cron="0 3 * * *", keywords=[hostile])
    line = crontab([entry], PROGRAM, HOME).files["crontab"].splitlines()[-1]
    command = line.split(" ", 5)[5]
    assert "100\\%" in command  # crontab turns a bare % into a newline
    words = shlex.split(command.replace("\\%", "%"))
    assert words[words.index("--keyword") + 1] == hostile


def test_systemd_specifier_and_variable_injection_in_a_keyword_is_escaped() -> None:
    hostile = 'a %h $HOME ${PATH} "quoted" back\\slash'
    entry = ScheduleEntry(marketplace="demo", cron="0 3 * * *", keywords=[hostile])
    service = systemd_units([entry], PROGRAM, HOME).files["ipwatch-crawl-demo.service"]
    (exec_start,) = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert '"a %%h $$HOME $${PATH} \\"quoted\\" back\\\\slash"' in exec_start
