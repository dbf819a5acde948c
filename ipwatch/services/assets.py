"""Register, list and remove the rights being watched (the registry's use-cases)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipwatch.services.errors import NotFoundError

if TYPE_CHECKING:
    from pathlib import Path

    from ipwatch.services.workspace import Workspace
    from model import AssetKind
    from registry.importer import ImportResult
    from registry.views import AssetView


def import_assets(workspace: Workspace, path: Path) -> ImportResult:
    """All or nothing: an invalid file raises a RegistryError naming file, entry and field."""
    result = workspace.registry.import_file(path)
    workspace.registry_changed()
    return result


def list_assets(
    workspace: Workspace, owner: str | None = None, kind: AssetKind | None = None
) -> list[AssetView]:
    return workspace.registry.list_assets(owner=owner, kind=kind)


def remove_asset(workspace: Workspace, asset_id: str) -> None:
    """Remove one asset; its findings stay in the index as the record of what was found."""
    if not workspace.registry.remove_asset(asset_id):
        raise NotFoundError(f"no asset with id {asset_id!r}; `ipwatch assets list` shows the ids")
    workspace.registry_changed()
