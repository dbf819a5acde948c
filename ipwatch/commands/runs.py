"""``ipwatch runs``: the crawl runs and their counters."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import state
from ipwatch.commands.crawl import run_summary
from ipwatch.commands.output import CsvOption, JsonOption, emit, to_json_line, wants_machine
from ipwatch.console import console, plain
from ipwatch.services.runs import list_runs, show_run

app = typer.Typer(help="Crawl runs and their counters.", no_args_is_help=True)

CSV_COLUMNS = ("id", "marketplace", "trigger", "started", "finished", "status", "counters")


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[
        int, typer.Option(min=1, max=1000, help="At most this many.", metavar="N")
    ] = 20,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List recent crawl runs, newest first."""
    runs = list_runs(state(ctx).workspace(), limit=limit)
    if wants_machine(as_json, as_csv):
        emit(runs, CSV_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(runs)} run(s)")
    for column in ("run", "marketplace", "trigger", "started", "status", "counters"):
        table.add_column(column, overflow="fold")
    for run in runs:
        counters = ", ".join(f"{key}={value}" for key, value in sorted(run.counters.items()))
        table.add_row(
            plain(run.id),
            plain(run.marketplace),
            plain(run.trigger),
            run.started.isoformat(timespec="seconds"),
            plain(run.status),
            plain(counters, 1000),
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="A run id from `runs list`.", metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one crawl run: trigger, times, outcome and every counter."""
    run = show_run(state(ctx).workspace(), run_id)
    if as_json:
        typer.echo(to_json_line(run, indent=2))
        return
    console.print(run_summary(run))
