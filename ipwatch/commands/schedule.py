"""``ipwatch schedule``: run crawls on their cron schedules, list them, export them to the OS."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import UserError, state
from ipwatch.commands.output import (
    CsvOption,
    JsonOption,
    MetricsPortOption,
    emit,
    wants_machine,
)
from ipwatch.console import console, err_console, plain
from ipwatch.services.metrics import prepare_multiprocess, start_metrics_server
from ipwatch.services.schedule_export import crawl_args, crontab, systemd_units
from ipwatch.services.schedule_runs import load_entries, schedule_rows
from ipwatch.services.scheduler import Scheduler

if TYPE_CHECKING:
    from datetime import datetime

    from config.schedule import ScheduleEntry
    from ipwatch.services.scheduler import ScheduleEvent

app = typer.Typer(help="Crawl on cron schedules (schedule.yaml).", no_args_is_help=True)

CSV_COLUMNS = (
    "marketplace",
    "cron",
    "timezone",
    "enabled",
    "jitter_s",
    "misfire",
    "next_run",
    "last_run",
    "last_started",
    "last_status",
)
SELF = [sys.executable, "-m", "ipwatch.cli"]


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "-"


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List the schedules with their next fire time and last scheduled run."""
    rows = schedule_rows(state(ctx).workspace())
    if wants_machine(as_json, as_csv):
        emit(rows, CSV_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(rows)} schedule(s)")
    for column in ("marketplace", "cron", "time zone", "next run", "last run", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            plain(row.marketplace),
            plain(row.cron),
            plain(row.timezone),
            _when(row.next_run) if row.enabled else "disabled",
            f"{plain(row.last_run or '-')} {_when(row.last_started)}" if row.last_run else "-",
            plain(row.last_status or "-"),
        )
    console.print(table)


@app.command("run")
def run(
    ctx: typer.Context,
    metrics_port: MetricsPortOption = None,
) -> None:
    """Crawl every enabled schedule until SIGTERM or Ctrl-C, one crawl per marketplace at once."""
    current = state(ctx)
    workspace = current.workspace()
    server = None
    if metrics_port is not None:  # the crawls are children: they report through a folder
        prepare_multiprocess(workspace.home / "metrics")
        server = start_metrics_server(metrics_port)
        console.print(plain(f"serving metrics at {server.url}"), highlight=False)
    schedule = load_entries(workspace)
    if not any(entry.enabled for entry in schedule.entries):
        raise UserError(
            f"no enabled schedule in {workspace.home}: write schedule.yaml there "
            "(see README, Schedules)"
        )
    operator = ["--operator", current.operator] if current.operator else []

    def command(entry: ScheduleEntry) -> list[str]:
        return [*SELF, *operator, *crawl_args(entry, workspace.home)]

    def report(event: ScheduleEvent) -> None:
        line = f"{event.at:%Y-%m-%d %H:%M:%SZ} {event.kind} {event.marketplace}: {event.detail}"
        console.print(plain(line, 2000), soft_wrap=True, highlight=False)

    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # its skips are reported above
    scheduler = Scheduler(workspace, schedule.entries, command, report)
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    scheduler.start()
    for name, when in sorted(scheduler.next_runs().items()):
        console.print(plain(f"scheduled {name}: next {_when(when)}"), highlight=False)
    while not stop.wait(1):
        pass
    console.print("stopping: waiting for running crawls", highlight=False)
    scheduler.stop()
    if server is not None:
        server.stop()
    console.print("stopped", highlight=False)


@app.command("export")
def export(
    ctx: typer.Context,
    systemd: Annotated[
        Path | None,
        typer.Option(
            "--systemd", help="Write a .service and a .timer per schedule into DIR.", metavar="DIR"
        ),
    ] = None,
    cron: Annotated[bool, typer.Option("--cron", help="Print crontab lines.")] = False,
    program: Annotated[
        str | None,
        typer.Option(
            "--ipwatch",
            help="The ipwatch command the units run. Default: this Python with -m ipwatch.cli.",
            metavar="PATH",
        ),
    ] = None,
) -> None:
    """Write the schedules as systemd timers or crontab lines; refused entries exit 1."""
    if (systemd is None) == (not cron):
        raise UserError("choose one of --systemd DIR and --cron")
    workspace = state(ctx).workspace()
    entries = load_entries(workspace).entries
    argv = [program] if program else SELF
    if systemd is not None:
        result = systemd_units(entries, argv, workspace.home)
        systemd.mkdir(parents=True, exist_ok=True)
        for name, text in result.files.items():
            (systemd / name).write_text(text, encoding="utf-8")
            console.print(plain(f"wrote {systemd / name}"), highlight=False)
    else:
        result = crontab(entries, argv, workspace.home)
        sys.stdout.write(result.files["crontab"])
    for name in result.disabled:
        err_console.print(plain(f"left out {name}: enabled: false"), soft_wrap=True)
    for reason in result.refused:
        err_console.print(plain(f"refused {reason}", 1000), soft_wrap=True)
    if result.refused:
        raise typer.Exit(1)
