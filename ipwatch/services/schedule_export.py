"""Schedules as systemd timers or crontab lines, for operators who prefer the OS scheduler.

systemd: one ``.service`` (oneshot: a timer never starts it twice at once) and one ``.timer``
per entry, ``OnCalendar=`` written as explicit value lists, so the conversion is exact;
``Persistent=true`` stands for ``misfire: run_once``. crontab: ``CRON_TZ`` per line; crontab has
no seconds field, so an entry with seconds is refused with the reason.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from config.cron import DAYS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from config.cron import CronField
    from config.schedule import ScheduleEntry

UNIT_PREFIX = "ipwatch-crawl-"


@dataclass
class Export:
    """Files (name -> text), the entries refused with the reason, the disabled ones left out."""

    files: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)


def crawl_args(entry: ScheduleEntry, home: Path) -> list[str]:
    """The ``ipwatch`` arguments of one scheduled crawl."""
    args = ["--home", str(home), "crawl", entry.marketplace, "--trigger", "schedule"]
    for keyword in entry.keywords:
        args += ["--keyword", keyword]
    if entry.base_url:
        args += ["--base-url", entry.base_url]
    return args


def on_calendar(entry: ScheduleEntry) -> str:
    """systemd's ``OnCalendar=`` for the entry's cron expression, in its time zone."""
    spec = entry.spec

    def values(field: CronField, width: int = 2) -> str:
        if not field.restricted:
            return "*"
        return ",".join(f"{v:0{width}d}" for v in field.values)

    weekday = ",".join(DAYS[v].title() for v in spec.weekday.values)
    date = f"*-{values(spec.month)}-{values(spec.day)}"
    time = f"{values(spec.hour)}:{values(spec.minute)}:{values(spec.second)}"
    prefix = f"{weekday} " if spec.weekday.restricted else ""
    return f"{prefix}{date} {time} {entry.timezone}"


def _systemd_word(word: str) -> str:
    """One ExecStart argument: double-quoted, with systemd's specifier (%) and variable ($)
    expansion and C escapes turned off, so a keyword is passed as written."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def systemd_units(entries: Sequence[ScheduleEntry], program: Sequence[str], home: Path) -> Export:
    export = Export()
    for entry in entries:
        if not entry.enabled:
            export.disabled.append(entry.marketplace)
            continue
        unit = f"{UNIT_PREFIX}{entry.marketplace}"
        what = f"ipwatch: crawl {entry.marketplace} ({entry.cron}, {entry.timezone})"
        command = " ".join(_systemd_word(w) for w in [*program, *crawl_args(entry, home)])
        export.files[f"{unit}.service"] = "\n".join(
            [
                "[Unit]",
                f"Description={what}",
                "",
                "[Service]",
                "Type=oneshot",
                f"ExecStart={command}",
                "# SIGTERM stops a crawl gracefully; one killed later is marked interrupted",
                "KillSignal=SIGTERM",
                "TimeoutStopSec=30",
                "",
            ]
        )
        timer = [
            "[Unit]",
            f"Description={what}",
            "",
            "[Timer]",
            f"OnCalendar={on_calendar(entry)}",
            "AccuracySec=1s",
        ]
        if entry.jitter_s:
            timer.append(f"RandomizedDelaySec={entry.jitter_s}")
        # run_once: a run missed while the machine was off runs once at boot (no grace limit)
        timer.append(f"Persistent={'true' if entry.misfire == 'run_once' else 'false'}")
        timer += [f"Unit={unit}.service", "", "[Install]", "WantedBy=timers.target", ""]
        export.files[f"{unit}.timer"] = "\n".join(timer)
    return export


def crontab(entries: Sequence[ScheduleEntry], program: Sequence[str], home: Path) -> Export:
    lines = [
        "# ipwatch crawl schedules (ipwatch schedule export --cron)",
        "# cron runs no missed run after downtime: misfire and misfire_grace_s do not apply",
    ]
    export = Export()
    for entry in entries:
        if not entry.enabled:
            export.disabled.append(entry.marketplace)
            continue
        if entry.spec.has_seconds:
            export.refused.append(
                f"{entry.marketplace}: cron {entry.cron!r} has a seconds field, which crontab "
                "cannot express; use --systemd or `ipwatch schedule run`"
            )
            continue
        command = shlex.join([*program, *crawl_args(entry, home)]).replace("%", "\\%")
        if entry.jitter_s:
            command = f"sleep $(shuf -i 0-{entry.jitter_s} -n 1) && {command}"
        lines += [f"CRON_TZ={entry.timezone}", f"{' '.join(entry.cron.split())} {command}"]
    export.files["crontab"] = "\n".join(lines) + "\n"
    return export
