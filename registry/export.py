"""Write the registry back in the import format, images beside it, so it can be moved or edited."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry import models
from registry.exceptions import RegistryExportError
from registry.schema import MARK_KINDS

_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\]")


class _NoAliasDumper(yaml.SafeDumper):
    """Plain YAML without &anchors/*aliases, which our own import refuses."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _file_name(label: str, position: int, taken: set[str]) -> str:
    """The stored label as a harmless file name (it becomes the label again on re-import)."""
    name = _UNSAFE_NAME.sub("_", Path(label).name)[:200]
    if not name or name.startswith("."):
        name = f"image-{position}"
    if name in taken:
        name = f"{position}-{name}"
    taken.add(name)
    return name


def _asset_entry(asset: models.Asset, folder: Path, root: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": asset.id, "kind": asset.kind, "name": asset.name}
    for key in ("registration_number", "jurisdiction"):
        if getattr(asset, key) is not None:
            entry[key] = getattr(asset, key)
    for key in ("classes", "keywords", "negative_keywords", "authorized_sellers", "claims"):
        # Marks keep even an empty keyword list: left out, the import would default it to [name].
        if getattr(asset, key) or (key == "keywords" and asset.kind in MARK_KINDS):
            entry[key] = list(getattr(asset, key))
    if asset.price_floor_amount is not None:
        entry["price_floor"] = {
            "amount": str(asset.price_floor_amount),
            "currency": asset.price_floor_currency,
        }
    if asset.images:
        # Ids are [a-z0-9._-] segments joined by '/', never '..': safe as nested folder names.
        target = folder.joinpath(*asset.id.split("/"))
        target.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        entry["images"] = []
        for image in asset.images:
            file = target / _file_name(image.label, image.position, taken)
            file.write_bytes(image.data)
            entry["images"].append(file.relative_to(root).as_posix())
    for key in ("valid_from", "valid_until"):
        if getattr(asset, key) is not None:
            entry[key] = getattr(asset, key)
    return entry


def export_registry(session: Session, path: Path, owner: str | None = None) -> int:
    """Write owners and assets (one owner if named) to ``path``; returns the number of assets."""
    root = path.resolve().parent
    query = (
        select(models.Owner)
        .options(
            selectinload(models.Owner.assets)
            .selectinload(models.Asset.images)
            .undefer(models.AssetImage.data)
        )
        .order_by(models.Owner.name)
    )
    if owner is not None:
        query = query.where(models.Owner.name == owner)
    owners = session.scalars(query).all()
    if owner is not None and not owners:
        raise RegistryExportError(
            f"no owner named {owner!r}; list owners with `ipwatch assets list`"
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        document = {
            "owners": [
                {
                    "name": row.name,
                    **({"contact": row.contact} if row.contact else {}),
                    "assets": [_asset_entry(a, root / "images", root) for a in row.assets],
                }
                for row in owners
            ]
        }
        if path.suffix.lower() == ".json":
            text = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
        else:
            text = yaml.dump(document, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        raise RegistryExportError(
            f"{path}: cannot write the export ({exc.strerror}); choose a writable folder"
        ) from None
    return sum(len(row.assets) for row in owners)
