"""Rights holders manage their own assets from the desk: upload a registry file with its images.

The same validation and all-or-nothing import as ``ipwatch assets import``, with what an upload
adds: file names are plain names (no folders, no ``..``), images may come only from the upload
itself, the sizes are bounded, and the file may name only the uploader's own owners. A rejected
upload stores nothing.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.limits import REFERENCE_IMAGE_MAX_BYTES
from ipwatch.services.asset_csv import read_csv
from ipwatch.services.asset_import import RegistryRejected, import_document
from ipwatch.services.errors import InvalidRequestError, NotFoundError
from registry.exceptions import RegistryError
from registry.loader import MAX_FILE_BYTES, read_document

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ipwatch.services.asset_csv import CsvDocument
    from ipwatch.services.identity import Principal
    from ipwatch.services.rescan import RescanResult
    from ipwatch.services.workspace import Workspace
    from registry.importer import ImportResult
    from registry.views import AssetView

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
REGISTRY_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIX = ".csv"
MAX_FILES = 100
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes


def _checked_names(files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_FILES:
        raise InvalidRequestError(f"{len(files)} files; upload at most {MAX_FILES} at once")
    if sum(len(f.data) for f in files) > MAX_UPLOAD_BYTES:
        raise InvalidRequestError(f"the upload is over {MAX_UPLOAD_BYTES // 2**20} MiB in all")
    names = set()
    for file in files:
        if not SAFE_NAME.match(file.name) or ".." in file.name:
            raise InvalidRequestError(
                f"file name {file.name[:100]!r} is not allowed: a plain name of letters, digits "
                "and ._- (no folders); nothing was stored"
            )
        if file.name in names:
            raise InvalidRequestError(f"{file.name} is uploaded twice; nothing was stored")
        names.add(file.name)


def checked_images(files: Sequence[UploadedFile]) -> list[UploadedFile]:
    """Uploaded images with plain, distinct names and bounded sizes (decoding comes later)."""
    _checked_names(files)
    for image in files:
        if image.name.lower().endswith((*REGISTRY_SUFFIXES, CSV_SUFFIX)):
            raise InvalidRequestError(f"{image.name} is a registry file, not an image")
        if len(image.data) > REFERENCE_IMAGE_MAX_BYTES:
            raise InvalidRequestError(
                f"{image.name} is over {REFERENCE_IMAGE_MAX_BYTES // 2**20} MiB; nothing was stored"
            )
    return list(files)


def _checked(files: Sequence[UploadedFile]) -> tuple[UploadedFile, list[UploadedFile]]:
    if not files:
        raise InvalidRequestError("choose a registry file (.yaml, .json or .csv) and its images")
    _checked_names(files)
    suffixes = (*REGISTRY_SUFFIXES, CSV_SUFFIX)
    registries = [f for f in files if f.name.lower().endswith(suffixes)]
    if len(registries) != 1:
        raise InvalidRequestError(
            "upload exactly one registry file (.yaml, .yml, .json or .csv) with its images"
        )
    registry = registries[0]
    if len(registry.data) > MAX_FILE_BYTES:
        raise InvalidRequestError(f"{registry.name} is over {MAX_FILE_BYTES // 2**20} MiB")
    return registry, checked_images([f for f in files if f is not registry])


def _document(registry_file: UploadedFile) -> tuple[Any, CsvDocument | None]:
    """The uploaded registry parsed by the registry's own reader (YAML/JSON) or as CSV."""
    if registry_file.name.lower().endswith(CSV_SUFFIX):
        table = read_csv(registry_file.data)
        return table.data, table
    with tempfile.TemporaryDirectory(prefix="ipwatch-upload-") as tmp:
        path = Path(tmp) / registry_file.name
        path.write_bytes(registry_file.data)
        try:
            return read_document(path), None
        except RegistryError as exc:
            message = str(exc).replace(str(path), registry_file.name)
            raise InvalidRequestError(message) from None


def upload_assets(
    workspace: Workspace, principal: Principal, files: Sequence[UploadedFile]
) -> ImportResult:
    """Import an uploaded registry file (YAML, JSON or CSV) and its images, all or nothing,
    within the uploader's owners; a CSV's problems name their row and column."""
    principal.require("manage_assets")
    registry_file, images = _checked(files)
    data, table = _document(registry_file)
    try:
        return import_document(workspace, principal, data, images)
    except RegistryRejected as exc:
        if table is not None:
            raise table.locate(exc) from None
        raise


def scoped_assets(workspace: Workspace, principal: Principal) -> list[AssetView]:
    principal.require("read")
    if principal.owners is None:
        return workspace.registry.list_assets()
    found: list[AssetView] = []
    for owner in principal.owners:
        found.extend(workspace.registry.list_assets(owner=owner))
    return sorted(found, key=lambda a: (a.owner, a.id))


def rescan_asset(workspace: Workspace, principal: Principal, asset_id: str) -> RescanResult:
    """Score every stored listing against one asset (e.g. just registered)."""
    from ipwatch.services.rescan import rescan

    principal.require("manage_assets")
    asset = workspace.registry.get_asset(asset_id)
    if asset is None or not principal.sees(asset.owner):
        raise NotFoundError(f"no asset {asset_id!r}")
    return rescan(workspace, [asset_id])
