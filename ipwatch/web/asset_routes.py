"""Assets and runs in the desk: a rights holder's own assets (list, upload, rescan); runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ipwatch.services.asset_csv import COLUMNS as CSV_COLUMNS
from ipwatch.services.asset_csv import CsvRejected
from ipwatch.services.asset_import import RegistryRejected
from ipwatch.services.asset_upload import (
    MAX_FILES,
    UploadedFile,
    rescan_asset,
    scoped_assets,
    upload_assets,
)
from ipwatch.services.errors import InvalidRequestError
from ipwatch.services.runs import visible_runs
from ipwatch.web.app import render
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.responses import list_response
from ipwatch.web.security import checked_caller

router = APIRouter(include_in_schema=False)
ASSET_COLUMNS = [
    "id",
    "owner",
    "kind",
    "name",
    "registration_number",
    "jurisdiction",
    "classes",
    "keywords",
    "authorized_sellers",
    "price_floor_amount",
    "price_floor_currency",
    "valid_from",
    "valid_until",
]
RUN_COLUMNS = ["id", "marketplace", "trigger", "started", "finished", "status", "counters"]
READ_CHUNK = 1024 * 1024


def _formats(fmt: str) -> None:
    if fmt not in ("html", "json", "csv"):
        raise InvalidRequestError("lists come as .json or .csv")


@router.get("/assets")
@router.get("/assets.{fmt}")
def assets(
    request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html"
) -> Response:
    _formats(fmt)
    with desk_of(request).use() as workspace:
        rows = scoped_assets(workspace, who.principal)
    if fmt != "html":
        return list_response(rows, ASSET_COLUMNS, fmt, "assets")
    message = request.query_params.get("m", "")
    context = {"who": who, "rows": rows, "message": message[:300], "csv_columns": CSV_COLUMNS}
    return render(request, "assets.html", context)


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes, so an oversized file is refused without reading it all."""
    data = bytearray()
    while len(data) <= limit:
        chunk = await upload.read(READ_CHUNK)
        if not chunk:
            break
        data.extend(chunk)
    return bytes(data)


@router.post("/assets/upload")
async def upload(request: Request, who: Annotated[Caller, Depends(checked_caller)]) -> Response:
    from ipwatch.services.asset_upload import MAX_UPLOAD_BYTES

    files = []
    async with request.form(max_files=MAX_FILES + 1, max_fields=20) as form:  # closes the files
        for item in form.getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                files.append(UploadedFile(item.filename, await read_upload(item, MAX_UPLOAD_BYTES)))
    try:
        with desk_of(request).use() as workspace:
            result = upload_assets(workspace, who.principal, files)
    except InvalidRequestError as exc:
        with desk_of(request).use() as workspace:
            rows = scoped_assets(workspace, who.principal)
        context = {"who": who, "rows": rows, "error": str(exc)}
        if isinstance(exc, CsvRejected):
            context.update(error="nothing was stored; fix these cells:", cells=exc.rows)
        elif isinstance(exc, RegistryRejected):
            context.update(error="nothing was stored; fix these:", lines=exc.problems)
        return render(request, "assets.html", context, 422)
    summary = (
        f"imported: {result.assets_created} created, {result.assets_updated} updated, "
        f"{result.assets_unchanged} unchanged"
    )
    with desk_of(request).use() as workspace:
        rows = scoped_assets(workspace, who.principal)
    return render(request, "assets.html", {"who": who, "rows": rows, "message": summary})


@router.post("/assets/{asset_id:path}/rescan")
def rescan(
    request: Request, asset_id: str, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    with desk_of(request).use() as workspace:
        result = rescan_asset(workspace, who.principal, asset_id)
        rows = scoped_assets(workspace, who.principal)
    message = f"rescanned {result.listings} stored listing(s): {result.new_findings} new finding(s)"
    return render(request, "assets.html", {"who": who, "rows": rows, "message": message})


@router.get("/runs")
@router.get("/runs.{fmt}")
def runs(request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html") -> Response:
    _formats(fmt)
    with desk_of(request).use() as workspace:
        rows = visible_runs(workspace, who.principal)
    if fmt != "html":
        return list_response(rows, RUN_COLUMNS, fmt, "runs")
    return render(request, "runs.html", {"who": who, "rows": rows})
