"""``ipwatch assets``: register, list and remove the rights being watched."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import state
from ipwatch.commands.output import CsvOption, JsonOption, emit, wants_machine
from ipwatch.console import console, plain
from ipwatch.services.assets import import_assets, list_assets, remove_asset
from model import AssetKind

app = typer.Typer(help="Register, list and remove watched assets.", no_args_is_help=True)

CSV_COLUMNS = ("id", "owner", "kind", "name", "jurisdiction", "registration_number", "classes")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Registry file (YAML or JSON); see README.", metavar="FILE")
    ],
) -> None:
    """Import owners and assets from FILE. All or nothing: an invalid file changes nothing."""
    result = import_assets(state(ctx).workspace(), file)
    console.print(
        f"imported {file}: {result.owners_created} owner(s) created, "
        f"{result.assets_created} asset(s) created, {result.assets_updated} updated, "
        f"{result.assets_unchanged} unchanged",
        markup=False,
        highlight=False,
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    owner: Annotated[
        str | None, typer.Option(help="Only this owner's assets.", metavar="NAME")
    ] = None,
    kind: Annotated[
        AssetKind | None, typer.Option(help="Only assets of this kind.", metavar="KIND")
    ] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List registered assets."""
    assets = list_assets(state(ctx).workspace(), owner=owner, kind=kind)
    if wants_machine(as_json, as_csv):
        emit(assets, CSV_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(assets)} asset(s)")
    for column in ("id", "owner", "kind", "name", "registration", "classes", "images"):
        table.add_column(column)
    for asset in assets:
        table.add_row(
            plain(asset.id),
            plain(asset.owner),
            asset.kind.value,
            plain(asset.name),
            plain(" ".join(filter(None, [asset.jurisdiction, asset.registration_number]))),
            plain(", ".join(asset.classes)),
            str(len(asset.images)),
        )
    console.print(table)


@app.command("remove")
def remove(
    ctx: typer.Context,
    asset_id: Annotated[
        str, typer.Argument(help="The asset id shown by `assets list`.", metavar="ID")
    ],
) -> None:
    """Remove one asset (its findings stay in the evidence index)."""
    remove_asset(state(ctx).workspace(), asset_id)
    console.print(f"removed {asset_id}", markup=False, highlight=False)
