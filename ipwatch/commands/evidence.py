"""``ipwatch evidence``: check that sealed evidence is exactly what was captured."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from evidence.verify import verify_all, verify_snapshot
from ipwatch.commands.common import state
from ipwatch.console import console, plain

app = typer.Typer(help="Verify sealed evidence.", no_args_is_help=True)

STATUS_STYLE = {"passed": "green", "failed": "bold red", "not_checked": "yellow"}


@app.command("verify")
def verify(
    ctx: typer.Context,
    snapshot_id: Annotated[
        str | None, typer.Argument(help="A snapshot id (S-...). Default: every snapshot.")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show passed checks too.")
    ] = False,
) -> None:
    """Recompute every hash, the manifest, the WARC digests and the ledger chain.

    Exits 0 only when every check that ran passed; 1 when anything failed, naming it.
    """
    workspace = state(ctx).workspace()
    kwargs = {"store": workspace.blobs, "ledger": workspace.ledger, "index": workspace.index}
    reports = (
        [verify_snapshot(snapshot_id, **kwargs)] if snapshot_id else verify_all(**kwargs)  # type: ignore[arg-type]
    )
    table = Table(title="evidence verification")
    for column in ("snapshot", "check", "status", "detail"):
        table.add_column(column, overflow="fold")
    failed = 0
    for report in reports:
        for check in report.checks:
            if check.status == "failed":
                failed += 1
            if verbose or check.status != "passed":
                style = STATUS_STYLE.get(check.status, "")
                table.add_row(
                    plain(report.snapshot_id),
                    plain(check.name),
                    f"[{style}]{check.status}[/]",
                    plain(check.detail, 2000),
                )
    if table.row_count:
        console.print(table)
    ok = sum(1 for report in reports if report.ok)
    console.print(f"{ok} of {len(reports)} snapshot(s) verified; {failed} failed check(s)")
    if failed or ok < len(reports):
        raise typer.Exit(1)
