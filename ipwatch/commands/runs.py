"""``ipwatch runs``: the crawl runs and their counters."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import state
from ipwatch.console import console, plain

app = typer.Typer(help="Crawl runs and their counters.", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many.")] = 20,
) -> None:
    """List recent crawl runs, newest first."""
    runs = state(ctx).workspace().index.list_runs(limit=limit)
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
