"""``ipwatch index``: the evidence index's backend, its spool, and mapping migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from ipwatch.commands.common import UserError, state
from ipwatch.console import console

app = typer.Typer(
    help="Evidence index: status, replay the spool, migrate mappings.", no_args_is_help=True
)


def _redacted(url: str) -> str:
    """Never print credentials from an index URL."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show which backend is in use and how many writes wait in the local spool."""
    workspace = state(ctx).workspace()
    console.print(f"index: {_redacted(workspace.index_url)}", markup=False, highlight=False)
    console.print(f"spooled writes: {workspace.index.pending()}", markup=False, highlight=False)


@app.command("flush")
def flush(ctx: typer.Context) -> None:
    """Replay writes spooled while the cluster was unreachable; exit 1 if some still wait."""
    index = state(ctx).workspace().index
    replayed = index.flush()
    left = index.pending()
    console.print(f"replayed {replayed} write(s); {left} still spooled", markup=False)
    if left:
        raise typer.Exit(1)


@app.command("migrate")
def migrate(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option(help="Only this kind (sellers, listings, findings, snapshots, events, runs)."),
    ] = None,
) -> None:
    """Move indices to the current mapping version behind their aliases (no downtime)."""
    index = state(ctx).workspace().index
    migrate_ = getattr(index, "migrate", None)
    if migrate_ is None:
        raise UserError(
            "this index backend has nothing to migrate (SQLite upgrades itself on open)"
        )
    for line in migrate_(kind):
        console.print(str(line), markup=False, highlight=False)
