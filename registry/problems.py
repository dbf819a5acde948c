"""Turn validation failures into lines that name the file, the owner, the asset and the field."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from model import AssetKind
from registry.ids import derive_asset_id
from registry.schema import AssetEntry, OwnerEntry, PriceFloor, RegistryFile

# Which model a key leads into, to list the allowed fields when an unknown one shows up.
_NESTED: dict[str, type[BaseModel]] = {
    "owners": OwnerEntry,
    "assets": AssetEntry,
    "price_floor": PriceFloor,
}


def owner_label(index: int, name: object) -> str:
    return f'owners[{index}] "{name}"' if isinstance(name, str) else f"owners[{index}]"


def asset_label(index: int, asset_id: object) -> str:
    return f"assets[{index}] ({asset_id})" if isinstance(asset_id, str) else f"assets[{index}]"


def where(source: str, owner: str | None = None, asset: str | None = None, field: str = "") -> str:
    """``file: owners[0] "Acme" → assets[2] (id) → field`` with the missing parts left out."""
    parts = [part for part in (owner, asset, field) if part]
    return f"{source}: {' → '.join(parts)}" if parts else source


def _raw_asset_id(owner: object, asset: object) -> object:
    """The id the asset has or would get, to name it even when the entry is invalid."""
    if not isinstance(asset, dict):
        return None
    if isinstance(asset.get("id"), str):
        return asset["id"]
    name, kind = asset.get("name"), asset.get("kind")
    number = asset.get("registration_number")
    owner_name = owner.get("name") if isinstance(owner, dict) else None
    known_kind = kind in {k.value for k in AssetKind}
    if known_kind and all(isinstance(value, str) and value for value in (owner_name, name)):
        return derive_asset_id(owner_name, kind, number if isinstance(number, str) else None, name)  # type: ignore[arg-type]
    return name if isinstance(name, str) else None


def _locate(loc: tuple[int | str, ...], data: Any) -> tuple[list[str], type[BaseModel]]:
    """Render a pydantic location against the raw data; also return the model it ends in."""
    parts: list[str] = []
    model: type[BaseModel] = RegistryFile
    node: Any = data
    owner: Any = None
    i = 0
    while i < len(loc):
        key = loc[i]
        index = loc[i + 1] if i + 1 < len(loc) and isinstance(loc[i + 1], int) else None
        child = node.get(key) if isinstance(node, dict) and isinstance(key, str) else None
        if key in ("owners", "assets") and isinstance(index, int):
            item = child[index] if isinstance(child, list) and index < len(child) else None
            if key == "owners":
                owner = item
                name = item.get("name") if isinstance(item, dict) else None
                parts.append(owner_label(index, name))
            else:
                parts.append(asset_label(index, _raw_asset_id(owner, item)))
            model, node, i = _NESTED[key], item, i + 2
            continue
        text = f"[{key}]" if isinstance(key, int) else str(key)
        if parts and (isinstance(key, int) or not parts[-1].startswith(("owners[", "assets["))):
            sep = "" if isinstance(key, int) else "."
            parts[-1] = f"{parts[-1]}{sep}{text}"
        else:
            parts.append(text)
        if isinstance(key, str) and key in _NESTED and i + 1 < len(loc):
            model = _NESTED[key]
        node = child if isinstance(key, str) else None
        i += 1
    return parts, model


def _message(problem: Any, loc: tuple[int | str, ...], model: type[BaseModel]) -> str:
    kind, value = problem["type"], problem.get("input")
    if kind == "extra_forbidden":
        allowed = ", ".join(model.model_fields)
        return f'unknown field "{loc[-1]}"; check the spelling (allowed: {allowed})'
    if kind == "missing":
        return "required field is missing; add it"
    message = str(problem["msg"]).removeprefix("Value error, ")
    if isinstance(value, bool):
        return f'{message}; YAML read this value as {str(value).lower()}, put it in quotes ("...")'
    if isinstance(value, str | int | float) and kind not in ("value_error",):
        return f"{message} (got {value!r})"
    return message


def describe(source: str, error: ValidationError, data: Any) -> list[str]:
    """One line per pydantic problem, naming owner and asset by index and by name/id."""
    lines = []
    for problem in error.errors():
        loc = tuple(problem["loc"])
        parts, model = _locate(loc, data)
        location = where(source, field=" → ".join(parts))
        lines.append(f"{location}: {_message(problem, loc, model)}")
    return lines
