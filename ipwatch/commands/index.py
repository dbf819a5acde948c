"""``ipwatch index``: the evidence index's backend, its spool, and mapping migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from ipwatch.commands.common import state
from ipwatch.console import console
from ipwatch.services.index import flush_spool, index_status, migrate_index

app = typer.Typer(
    help="Evidence index: status, replay the spool, migrate mappings.", no_args_is_help=True
)


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show which backend is in use and how many writes wait in the local spool."""
    current = index_status(state(ctx).workspace())
    console.print(f"index: {current.url}", markup=False, highlight=False)
    console.print(f"spooled writes: {current.pending}", markup=False, highlight=False)


@app.command("flush")
def flush(ctx: typer.Context) -> None:
    """Replay writes spooled while the cluster was unreachable; exit 1 if some still wait."""
    replayed, left = flush_spool(state(ctx).workspace())
    console.print(f"replayed {replayed} write(s); {left} still spooled", markup=False)
    if left:
        raise typer.Exit(1)


@app.command("migrate")
def migrate(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Only this kind (listings, findings, snapshots, events, runs).", metavar="KIND"
        ),
    ] = None,
) -> None:
    """Move indices to the current mapping version behind their aliases (no downtime)."""
    for line in migrate_index(state(ctx).workspace(), kind):
        console.print(line, markup=False, highlight=False)
