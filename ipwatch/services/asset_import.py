"""One way in for assets from the desk: a registry document (from a form, a CSV or a YAML file)
and its uploaded images, imported all or nothing by the registry's own importer.

The registry validates; this module only says *where* each problem is (owner, asset, field),
so a form can show it beside the field and a CSV upload can name the row and column. Checks
that depend on who asks (owners the user manages, ids already taken by other owners) are made
here, before the import, and never name another owner's records.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ipwatch.services.errors import InvalidRequestError
from registry.exceptions import RegistryError, RegistryImportError
from registry.problems import asset_label, owner_label, where
from registry.schema import RegistryFile, duplicate_problems

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ipwatch.services.asset_upload import UploadedFile
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from registry.importer import ImportResult

DOCUMENT = "registry.json"  # the name the document gets beside the uploaded images
_FIELD = re.compile(r"^ → ([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)?)(?::| →) ?(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """One reason a document was refused: which owner/asset (indexes) and field, and why."""

    owner: int | None
    asset: int | None
    field: str  # "name", "images[0]", "price_floor.amount"; "" for the entry or the document
    message: str

    def line(self) -> str:
        where_ = " → ".join(
            part
            for part in (
                None if self.owner is None else f"owners[{self.owner}]",
                None if self.asset is None else f"assets[{self.asset}]",
                self.field or None,
            )
            if part
        )
        return f"{where_}: {self.message}" if where_ else self.message


class RegistryRejected(InvalidRequestError):
    """The document was refused and nothing was stored; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"{count} problem(s), nothing was stored; fix them and try again:"
        super().__init__("\n".join([head, *(f"  - {p.line()}" for p in problems)]))


def _loc_field(loc: tuple[int | str, ...]) -> tuple[int | None, int | None, str]:
    """A pydantic location as (owner index, asset index, dotted field inside the entry)."""
    owner = loc[1] if len(loc) > 1 and loc[0] == "owners" and isinstance(loc[1], int) else None
    rest = loc[2:] if owner is not None else loc
    asset = None
    if len(rest) > 1 and rest[0] == "assets" and isinstance(rest[1], int):
        asset, rest = rest[1], rest[2:]
    field = ""
    for key in rest:
        field += f"[{key}]" if isinstance(key, int) else (f".{key}" if field else str(key))
    return owner, asset, field


def _message(problem: Any) -> str:
    if problem["type"] == "missing":
        return "required; fill it in"
    if problem["type"] == "extra_forbidden":
        return "not a field of the registry format; remove it"
    return str(problem["msg"]).removeprefix("Value error, ")


def validated(data: Any) -> RegistryFile:
    """The document as the registry's schema reads it, or every problem located."""
    if not isinstance(data, dict):
        raise RegistryRejected([Problem(None, None, "", "expected a mapping with 'owners:'")])
    try:
        registry = RegistryFile.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(*_loc_field(tuple(p["loc"])), _message(p)) for p in exc.errors()]
        raise RegistryRejected(problems) from None
    duplicates = [Problem(o, a, "", message) for (o, a), message in duplicate_problems(registry)]
    if duplicates:
        raise RegistryRejected(duplicates)
    return registry


def _scope_problems(
    workspace: Workspace, principal: Principal, registry: RegistryFile, creating: bool
) -> list[Problem]:
    """Owners the user may not manage; ids that are taken (never naming who holds them)."""
    problems = []
    for o, owner in enumerate(registry.owners):
        if not principal.sees(owner.name):
            mine = ", ".join(principal.owners or ())
            problems.append(
                Problem(o, None, "name", f"{owner.name} is not yours to manage (yours: {mine})")
            )
            continue
        for a, asset in enumerate(owner.assets):
            held = workspace.registry.get_asset(asset.id or "")
            if held is None:
                continue
            if not principal.sees(held.owner) or held.owner != owner.name:
                problems.append(Problem(o, a, "id", f"id {asset.id!r} is taken; choose another"))
            elif creating:
                problems.append(
                    Problem(
                        o,
                        a,
                        "id",
                        f"an asset with id {asset.id!r} exists already; edit it from the "
                        "asset list, or give this one another id",
                    )
                )
    return problems


def _located(exc: RegistryImportError, source: str, registry: RegistryFile) -> list[Problem]:
    """The importer's problem lines mapped back to owner, asset and field by their exact prefix."""
    prefixes: list[tuple[str, int, int | None]] = []
    for o, owner in enumerate(registry.owners):
        label = owner_label(o, owner.name)
        prefixes.append((where(source, label), o, None))
        for a, asset in enumerate(owner.assets):
            prefixes.append((where(source, label, asset_label(a, asset.id)), o, a))
    prefixes.sort(key=lambda item: len(item[0]), reverse=True)
    folder = str(Path(source).parent)

    def clean(text: str) -> str:  # never show the server's temporary folder
        return text.replace(source, "upload").replace(folder + "/", "").replace(folder, "upload")

    problems = []
    for raw in exc.problems:
        found = next((item for item in prefixes if raw.startswith(item[0])), None)
        if found is None:
            problems.append(Problem(None, None, "", clean(raw)))
            continue
        prefix, owner_at, asset_at = found
        rest = clean(raw[len(prefix) :])
        match = _FIELD.match(rest)
        field, message = (match.group(1), match.group(2)) if match else ("", rest.lstrip(" →:"))
        problems.append(Problem(owner_at, asset_at, field, message))
    return problems


def import_document(
    workspace: Workspace,
    principal: Principal,
    data: Any,
    images: Sequence[UploadedFile],
    *,
    creating: bool = False,
) -> ImportResult:
    """Validate ``data`` (the import format) with its ``images`` and import it all or nothing.

    ``images`` are plain file names already checked by the caller; the document may name only
    those. ``creating``: refuse ids that exist (a "new asset" form must not overwrite one).
    """
    principal.require("manage_assets")
    registry = validated(data)
    problems = _scope_problems(workspace, principal, registry, creating)
    if problems:
        raise RegistryRejected(problems)
    with tempfile.TemporaryDirectory(prefix="ipwatch-assets-") as tmp:
        folder = Path(tmp)
        for image in images:
            (folder / image.name).write_bytes(image.data)
        path = folder / DOCUMENT
        path.write_text(json.dumps(data, default=str), encoding="utf-8")
        allowed = None if principal.owners is None else frozenset(principal.owners)
        try:
            result = workspace.registry.import_file(path, confined=True, allowed_owners=allowed)
        except RegistryImportError as exc:
            raise RegistryRejected(_located(exc, str(path), registry)) from None
        except RegistryError as exc:
            raise InvalidRequestError(str(exc).replace(str(folder), "upload")) from None
    workspace.registry_changed()
    return result
