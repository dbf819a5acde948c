"""Import a registry file all-or-nothing: validate every entry and image first, then write once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import models
from registry.exceptions import RegistryImportError
from registry.images import CheckedImage, ImageMissing, ImageRejected, check_image_file
from registry.loader import read_document
from registry.problems import asset_label, describe, owner_label, where
from registry.schema import AssetEntry, RegistryFile, duplicate_problems


class SessionSource(Protocol):
    """Anything with a transactional ``session()`` context manager (the ``Registry``)."""

    def session(self) -> AbstractContextManager[Session]: ...


@dataclass(frozen=True)
class ImportResult:
    """What an import changed; re-importing an unchanged file reports only unchanged assets."""

    owners_created: int
    assets_created: int
    assets_updated: int
    assets_unchanged: int = 0


@dataclass(frozen=True)
class _Validated:
    path: Path
    registry: RegistryFile
    images: dict[str, list[CheckedImage]]  # asset id -> its images, in file order


def _entries(registry: RegistryFile) -> Iterator[tuple[int, int, str, AssetEntry]]:
    for o, owner in enumerate(registry.owners):
        for a, asset in enumerate(owner.assets):
            yield o, a, owner.name, asset


def _label(registry: RegistryFile, o: int, a: int | None) -> tuple[str, str | None]:
    owner = registry.owners[o]
    asset = None if a is None else asset_label(a, owner.assets[a].id)
    return owner_label(o, owner.name), asset


def _check_images(
    path: Path, registry: RegistryFile, confined: bool = False
) -> tuple[dict[str, list[CheckedImage]], list[str]]:
    """Each asset's images, checked; ``confined``: only files inside the registry file's folder
    (an uploaded file must not name /etc/passwd or ../ anything on the server)."""
    base = path.resolve().parent
    cache: dict[Path, CheckedImage | ImageRejected] = {}
    images: dict[str, list[CheckedImage]] = {}
    problems: list[str] = []
    for o, a, _, asset in _entries(registry):
        checked: list[CheckedImage] = []
        for i, raw in enumerate(asset.images):
            target = Path(raw) if Path(raw).is_absolute() else base / raw
            if confined and not target.resolve().is_relative_to(base):
                owner, entry = _label(registry, o, a)
                problems.append(
                    f"{where(str(path), owner, entry, f'images[{i}]')}: {raw!r} is outside the "
                    "uploaded files; name an image uploaded with the registry file"
                )
                continue
            if target not in cache:
                try:
                    cache[target] = check_image_file(target)
                except ImageRejected as exc:
                    cache[target] = exc
            outcome = cache[target]
            if isinstance(outcome, CheckedImage):
                checked.append(outcome)
                continue
            hint = ""
            if isinstance(outcome, ImageMissing) and not Path(raw).is_absolute():
                hint = f" (relative paths resolve against {base})"
            owner, entry = _label(registry, o, a)
            problems.append(
                f"{where(str(path), owner, entry, f'images[{i}]')}: file {raw} {outcome}{hint}"
            )
        images[asset.id or ""] = checked
    return images, problems


def validate_file(path: Path, confined: bool = False) -> _Validated:
    """Everything that can be checked without the database: syntax, fields, duplicates, images."""
    data: Any = read_document(path)
    source = str(path)
    if data is None:
        raise RegistryImportError(path, [f"{source}: file is empty; add an 'owners:' list"])
    if not isinstance(data, dict):
        raise RegistryImportError(
            path,
            [f"{source}: expected a mapping with an 'owners:' list at the top; add one"],
        )
    try:
        registry = RegistryFile.model_validate(data)
    except ValidationError as exc:
        raise RegistryImportError(path, describe(source, exc, data)) from None
    problems = []
    for (o, a), message in duplicate_problems(registry):
        owner, entry = _label(registry, o, a)
        problems.append(f"{where(source, owner, entry)} → {message}")
    images, image_problems = _check_images(path, registry, confined)
    problems.extend(image_problems)
    if problems:
        raise RegistryImportError(path, problems)
    return _Validated(path, registry, images)


def _existing_assets(session: Session, ids: list[str]) -> dict[str, models.Asset]:
    found: dict[str, models.Asset] = {}
    for start in range(0, len(ids), 500):  # stay under bound-parameter limits
        chunk = ids[start : start + 500]
        for row in session.scalars(select(models.Asset).where(models.Asset.id.in_(chunk))):
            found[row.id] = row
    return found


def _values(asset: AssetEntry) -> dict[str, Any]:
    floor = asset.price_floor
    return {
        "kind": asset.kind.value,
        "name": asset.name,
        "registration_number": asset.registration_number,
        "jurisdiction": asset.jurisdiction,
        "classes": list(asset.classes),
        "keywords": asset.effective_keywords(),
        "negative_keywords": list(asset.negative_keywords),
        "authorized_sellers": list(asset.authorized_sellers),
        "price_floor_amount": floor.amount if floor else None,
        "price_floor_currency": floor.currency if floor else None,
        "claims": list(asset.claims),
        "valid_from": asset.valid_from,
        "valid_until": asset.valid_until,
    }


def _unchanged(row: models.Asset, values: dict[str, Any], images: list[CheckedImage]) -> bool:
    same_images = [(i.sha256, i.label) for i in row.images] == [(i.sha256, i.label) for i in images]
    return same_images and all(getattr(row, key) == value for key, value in values.items())


def _image_rows(images: list[CheckedImage]) -> list[models.AssetImage]:
    return [
        models.AssetImage(
            position=position,
            sha256=image.sha256,
            media_type=image.media_type,
            width=image.width,
            height=image.height,
            data=image.data,
            label=image.label,
        )
        for position, image in enumerate(images)
    ]


def _write(session: Session, checked: _Validated) -> ImportResult:
    registry, source = checked.registry, str(checked.path)
    existing = _existing_assets(session, [asset.id or "" for *_, asset in _entries(registry)])
    conflicts = [
        f"{where(source, *_label(registry, o, a))} → id: asset {asset.id!r} already belongs to "
        f'"{existing[asset.id].owner.name}"; give it another id or remove the old one first'
        for o, a, owner_name, asset in _entries(registry)
        if asset.id in existing and existing[asset.id].owner.name != owner_name
    ]
    if conflicts:
        raise RegistryImportError(checked.path, conflicts)
    names = [owner.name for owner in registry.owners]
    owners = {
        o.name: o for o in session.scalars(select(models.Owner).where(models.Owner.name.in_(names)))
    }
    created = updated = unchanged = owners_created = 0
    for entry in registry.owners:
        owner = owners.get(entry.name)
        if owner is None:
            owner = models.Owner(name=entry.name, contact=entry.contact)
            session.add(owner)
            owners_created += 1
        elif entry.contact is not None:
            owner.contact = entry.contact
        for asset in entry.assets:
            assert asset.id is not None  # derived during validation
            values, images = _values(asset), checked.images[asset.id]
            row = existing.get(asset.id)
            if row is None:
                row = models.Asset(id=asset.id, **values)
                row.images = _image_rows(images)
                owner.assets.append(row)
                created += 1
            elif _unchanged(row, values, images):
                unchanged += 1
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                row.images.clear()
                session.flush()  # delete old image rows before reusing their positions
                row.images.extend(_image_rows(images))
                updated += 1
    session.flush()
    return ImportResult(owners_created, created, updated, unchanged)


def import_file(
    target: Session | SessionSource,
    path: Path | str,
    confined: bool = False,
    allowed_owners: frozenset[str] | None = None,
) -> ImportResult:
    """Validate ``path`` completely, then write it in one transaction (updates, never duplicates).

    Given a ``Registry`` the import commits on success; given a ``Session`` it only flushes and
    the caller commits or rolls back.
    """
    checked = validate_file(Path(path), confined)
    if allowed_owners is not None:
        outside = sorted({o.name for o in checked.registry.owners} - allowed_owners)
        if outside:
            raise RegistryImportError(
                path, [f"{path}: owner(s) {', '.join(outside)} are not yours to manage"]
            )
    if isinstance(target, Session):
        return _write(target, checked)
    with target.session() as session:
        return _write(session, checked)
