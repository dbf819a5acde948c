"""``ipwatch assets``: register, list and remove the rights being watched."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import UserError, state
from ipwatch.console import console, plain
from model import AssetKind

app = typer.Typer(help="Register, list and remove watched assets.", no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Registry file (YAML or JSON); see README.")],
) -> None:
    """Import owners and assets from FILE. All or nothing: an invalid file changes nothing."""
    result = state(ctx).workspace().registry.import_file(file)
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
    owner: Annotated[str | None, typer.Option(help="Only this owner's assets.")] = None,
    kind: Annotated[AssetKind | None, typer.Option(help="Only assets of this kind.")] = None,
) -> None:
    """List registered assets."""
    assets = state(ctx).workspace().registry.list_assets(owner=owner, kind=kind)
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
    asset_id: Annotated[str, typer.Argument(help="The asset id shown by `assets list`.")],
) -> None:
    """Remove one asset (its findings stay in the evidence index)."""
    if not state(ctx).workspace().registry.remove_asset(asset_id):
        raise UserError(f"no asset with id {asset_id!r}; `ipwatch assets list` shows the ids")
    console.print(f"removed {asset_id}", markup=False, highlight=False)
