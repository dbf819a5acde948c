"""``ipwatch sellers``: seller networks and the repeat-infringer record."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import state
from ipwatch.commands.output import CsvOption, JsonOption, emit, to_json_line, wants_machine
from ipwatch.console import console, plain
from ipwatch.services.repeat_record import CSV_COLUMNS, repeat_record
from ipwatch.services.seller_network import seller_network, seller_networks

app = typer.Typer(help="Seller networks and the repeat-infringer record.", no_args_is_help=True)
NETWORK_COLUMNS = ("network", "sellers", "marketplaces", "members", "names", "links", "reasons")


@app.command("network")
def network(
    ctx: typer.Context,
    seller_key: Annotated[
        str, typer.Argument(help="A seller key (S-...) from `sellers networks`.", metavar="KEY")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one seller's network: its linked sellers and why each link holds."""
    st = state(ctx)
    found = seller_network(st.workspace(), st.principal(), seller_key)
    if as_json:
        typer.echo(to_json_line(found.to_dict(), indent=2))
        return
    table = Table(title=f"network of {found.focus}: {len(found.members)} seller(s)")
    for column in ("seller", "name", "marketplace"):
        table.add_column(column, overflow="fold")
    for seller in found.members:
        table.add_row(plain(seller.key), plain(seller.name or "—"), plain(seller.marketplace))
    console.print(table)
    links = Table(title="links")
    for column in ("seller", "why"):
        links.add_column(column, overflow="fold")
    for link in found.links:
        links.add_row(plain(link.a), plain(link.reason, 1000))
    console.print(links)
    for ignored in found.ignored:
        console.print(f"ignored {plain(ignored.kind)} {plain(ignored.value)}: {ignored.reason}")


@app.command("networks")
def networks(ctx: typer.Context, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List every network of two or more sellers, largest first."""
    st = state(ctx)
    rows = seller_networks(st.workspace(), st.principal())
    if wants_machine(as_json, as_csv):
        emit(rows, NETWORK_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(rows)} network(s)")
    for column in ("network", "sellers", "marketplaces", "linked by"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            plain(row.network),
            str(row.sellers),
            plain(", ".join(row.marketplaces)),
            plain(", ".join(row.reasons)),
        )
    console.print(table)


@app.command("record")
def record(ctx: typer.Context, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """The repeat-infringer record per seller and per network (docs/repeat-infringer-record.md)."""
    st = state(ctx)
    found = repeat_record(st.workspace(), st.principal())
    if wants_machine(as_json, as_csv):
        emit(found.rows(), CSV_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(found.sellers)} seller(s), {len(found.networks)} network(s)")
    for column in ("scope", "key", "name", "strikes", "level", "notices", "removed", "gravity"):
        table.add_column(column, overflow="fold")
    for row in found.rows():
        table.add_row(
            row["scope"],
            plain(row["key"]),
            plain(row["name"] or "—"),
            str(row["strikes"]),
            row["strike_level"],
            str(row["notices_sent"]),
            str(row["removals"]),
            str(row["gravity"]),
        )
    console.print(table)
