"""``ipwatch webhooks``: the actioner hooks' delivery log."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import state
from ipwatch.commands.output import CsvOption, JsonOption, emit, wants_machine
from ipwatch.console import console, plain
from ipwatch.services.webhooks import list_deliveries

app = typer.Typer(help="Webhook deliveries (configured under webhooks: in ipwatch.yaml).")

CSV_COLUMNS = (
    "id",
    "event",
    "target",
    "status",
    "attempts",
    "response_status",
    "error",
    "created",
    "finished",
)


@app.command("deliveries")
def deliveries(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List webhook deliveries, newest first: event, target, outcome and attempts."""
    st = state(ctx)
    found = list_deliveries(st.workspace(), st.principal(), limit)
    if wants_machine(as_json, as_csv):
        emit(found, CSV_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(found)} deliver(ies)", box=None, header_style="bold")
    for column in ("delivery", "event", "target", "status", "tries", "answer", "when"):
        table.add_column(column, overflow="fold")
    for d in found:
        table.add_row(
            d.id,
            d.event,
            plain(d.target, 120),
            d.status.value,
            str(d.attempts),
            str(d.response_status or "") or plain(d.error, 120),
            d.created.isoformat(timespec="seconds"),
        )
    console.print(table)
