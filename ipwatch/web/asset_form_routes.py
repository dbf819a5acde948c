"""The asset form: create or edit one asset with its images; errors beside their fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ipwatch.services.asset_forms import FIELDS, FormRejected, form_for, save_asset
from ipwatch.services.asset_upload import (
    MAX_FILES,
    MAX_UPLOAD_BYTES,
    UploadedFile,
    rescan_asset,
    scoped_assets,
)
from ipwatch.web.app import render
from ipwatch.web.asset_routes import read_upload
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.security import checked_caller
from model import AssetKind

router = APIRouter(include_in_schema=False)
KIND_LABELS = {
    AssetKind.WORD_MARK: "Word mark",
    AssetKind.FIGURATIVE_MARK: "Logo (figurative mark)",
    AssetKind.DESIGN_PATENT: "Design (drawings)",
    AssetKind.UTILITY_PATENT: "Patent (claims)",
    AssetKind.PRODUCT_IMAGE: "Product photo",
}


def _page(
    request: Request,
    who: Caller,
    values: dict[str, str],
    owners: tuple[str, ...] | None,
    editing: str | None,
    errors: dict[str, list[str]] | None = None,
) -> Response:
    context: dict[str, object] = {
        "who": who,
        "values": values,
        "owners": owners,
        "editing": editing,
        "errors": errors or {},
        "kinds": KIND_LABELS,
    }
    return render(request, "asset_form.html", context, 422 if errors else 200)


@router.get("/assets/new")
def new_asset(request: Request, who: Annotated[Caller, Depends(caller)]) -> Response:
    with desk_of(request).use() as workspace:
        values, owners = form_for(workspace, who.principal, None)
    return _page(request, who, {**values, "rescan": "on"}, owners, None)


@router.get("/assets/edit/{asset_id:path}")
def edit_asset(
    request: Request, asset_id: str, who: Annotated[Caller, Depends(caller)]
) -> Response:
    with desk_of(request).use() as workspace:
        values, owners = form_for(workspace, who.principal, asset_id)
    return _page(request, who, values, owners, asset_id)


async def _posted(request: Request) -> tuple[dict[str, str], list[UploadedFile]]:
    fields: dict[str, str] = {}
    images = []
    async with request.form(max_files=MAX_FILES, max_fields=40) as form:
        for key in (*FIELDS, "rescan", "keep_images"):
            value = form.get(key)
            if isinstance(value, str):
                fields[key] = value
        for item in form.getlist("images"):
            if isinstance(item, UploadFile) and item.filename:
                images.append(
                    UploadedFile(item.filename, await read_upload(item, MAX_UPLOAD_BYTES))
                )
    return fields, images


async def _save(request: Request, who: Caller, editing: str | None) -> Response:
    fields, images = await _posted(request)
    keep = editing is None or fields.get("keep_images") == "on"
    try:
        with desk_of(request).use() as workspace:
            saved = save_asset(workspace, who.principal, fields, images, editing, keep)
            rescanned = None
            if fields.get("rescan") == "on":
                rescanned = rescan_asset(workspace, who.principal, saved.asset_id)
            rows = scoped_assets(workspace, who.principal)
    except FormRejected as exc:
        with desk_of(request).use() as workspace:
            stored, owners = form_for(workspace, who.principal, editing)
        if editing is not None:  # shown as stored: an edit moves neither owner nor id
            fields.update(owner=stored["owner"], keep_images="on" if keep else "off")
        return _page(request, who, fields, owners, editing, exc.errors)
    message = f"saved {saved.asset_id} ({'created' if saved.created else 'updated'})"
    if rescanned is not None:
        message += (
            f"; rescanned {rescanned.listings} stored listing(s): "
            f"{rescanned.new_findings} new finding(s)"
        )
    context = {"who": who, "rows": rows, "message": message, "saved": saved.asset_id}
    return render(request, "assets.html", context)


@router.post("/assets/new")
async def create_asset(
    request: Request, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    return await _save(request, who, None)


@router.post("/assets/edit/{asset_id:path}")
async def update_asset(
    request: Request, asset_id: str, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    return await _save(request, who, asset_id)
