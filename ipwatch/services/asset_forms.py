"""One asset from the desk's form: create or edit it through the registry's own import.

The form is turned into a one-asset registry document and imported all or nothing
(``asset_import``), so its rules are exactly those of ``ipwatch assets import``; each problem
comes back keyed by the form field it concerns, to be shown beside that field.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ipwatch.services.asset_import import (
    Problem,
    RegistryRejected,
    import_document,
    validated,
)
from ipwatch.services.asset_upload import SAFE_NAME, UploadedFile, checked_images
from ipwatch.services.errors import InvalidRequestError, NotFoundError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from registry.importer import ImportResult
    from registry.views import AssetView

SCALARS = ("id", "kind", "name", "registration_number", "jurisdiction", "valid_from", "valid_until")
LISTS = ("classes", "keywords", "negative_keywords", "authorized_sellers", "claims")
FIELDS = ("owner", *SCALARS, *LISTS, "price_floor_amount", "price_floor_currency")
MAX_FIELD = 200_000  # the schema caps each value; this bounds what is split meanwhile
_ITEMS = re.compile(r"[\r\n]+")
_CLASSES = re.compile(r"[\r\n,]+")


class FormRejected(InvalidRequestError):
    """Nothing was stored; ``errors`` maps each form field (or "form") to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        lines = [f"{field}: {m}" for field, messages in errors.items() for m in messages]
        super().__init__("nothing was stored: " + "; ".join(lines))


@dataclass(frozen=True)
class SavedAsset:
    asset_id: str
    created: bool
    result: ImportResult


def form_values(asset: AssetView) -> dict[str, str]:
    """An asset as the form shows it (lists one item a line, classes comma-separated)."""
    values = {
        key: "" if getattr(asset, key) is None else str(getattr(asset, key)) for key in SCALARS
    }
    values["kind"] = asset.kind.value
    values["owner"] = asset.owner
    for key in LISTS:
        values[key] = ("\n" if key != "classes" else ", ").join(getattr(asset, key))
    values["price_floor_amount"] = str(asset.price_floor_amount or "")
    values["price_floor_currency"] = asset.price_floor_currency or ""
    return values


def _entry(form: Mapping[str, str], images: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": form.get("kind", ""), "name": form.get("name", "")}
    for key in SCALARS:
        value = form.get(key, "").strip()
        if value and key not in ("kind", "name"):
            entry[key] = value
    for key in LISTS:
        split = _CLASSES if key == "classes" else _ITEMS
        items = [item.strip() for item in split.split(form.get(key, "")) if item.strip()]
        if items:
            entry[key] = items
    amount, currency = (
        form.get(k, "").strip() for k in ("price_floor_amount", "price_floor_currency")
    )
    if amount or currency:
        entry["price_floor"] = {k: v for k, v in (("amount", amount), ("currency", currency)) if v}
    if images:
        entry["images"] = images
    return entry


def _field(problem: Problem) -> str:
    """The form field a registry problem concerns ("form" when it is about no one field)."""
    field = problem.field
    if problem.owner is None:
        return "form"
    if problem.asset is None:
        return "owner" if field == "name" else "form"
    base = field.split("[", 1)[0].split(".", 1)[0]
    if base == "price_floor":
        return "price_floor_currency" if field.endswith("currency") else "price_floor_amount"
    return base if base in FIELDS or base == "images" else "form"


def _kept(workspace: Workspace, asset: AssetView, taken: set[str]) -> list[UploadedFile]:
    """The asset's stored images, to import again unchanged (same bytes, same labels)."""
    kept = []
    for image in asset.images:
        stored = workspace.registry.reference_image(image.sha256)
        if stored is None:
            continue
        name = image.label
        if not SAFE_NAME.match(name) or ".." in name or name in taken:
            name = f"kept-{image.position}{mimetypes.guess_extension(image.media_type) or ''}"
        taken.add(name)
        kept.append(UploadedFile(name, stored[0]))
    return kept


def save_asset(
    workspace: Workspace,
    principal: Principal,
    form: Mapping[str, str],
    uploads: Sequence[UploadedFile],
    editing: str | None = None,
    keep_images: bool = True,
) -> SavedAsset:
    """Create (``editing`` None) or replace one asset from the form, all or nothing."""
    principal.require("manage_assets")
    too_long = [k for k in FIELDS if len(form.get(k, "")) > MAX_FIELD]
    if too_long:
        raise FormRejected({k: [f"over {MAX_FIELD} characters"] for k in too_long})
    form = dict(form)
    current = None
    if editing is not None:
        current = workspace.registry.get_asset(editing)
        if current is None or not principal.sees(current.owner):
            raise NotFoundError(f"no asset {editing!r}")
        form.update(owner=current.owner, id=current.id)  # neither moves in an edit
    owner = form.get("owner", "").strip()
    if not owner:
        raise FormRejected({"owner": ["required; choose the rights holder"]})
    try:
        images = checked_images(uploads)
    except InvalidRequestError as exc:
        raise FormRejected({"images": [str(exc)]}) from None
    if current is not None and keep_images:
        images = _kept(workspace, current, {i.name for i in images}) + images
    document = {"owners": [{"name": owner, "assets": [_entry(form, [i.name for i in images])]}]}
    try:
        result = import_document(workspace, principal, document, images, creating=editing is None)
    except RegistryRejected as exc:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            key = _field(problem)
            errors.setdefault(key, []).append(problem.message)
        raise FormRejected(errors) from None
    asset_id = validated(document).owners[0].assets[0].id or ""
    return SavedAsset(asset_id, editing is None, result)


def form_for(
    workspace: Workspace, principal: Principal, asset_id: str | None
) -> tuple[dict[str, str], tuple[str, ...] | None]:
    """The form's starting values (an asset to edit, else blank) and the owners to offer
    (None: any, for an admin of every owner)."""
    principal.require("manage_assets")
    if asset_id is None:
        owners = principal.owners
        return {"owner": owners[0] if owners and len(owners) == 1 else ""}, owners
    asset = workspace.registry.get_asset(asset_id)
    if asset is None or not principal.sees(asset.owner):
        raise NotFoundError(f"no asset {asset_id!r}")
    return form_values(asset), (asset.owner,)
