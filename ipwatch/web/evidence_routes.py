"""Evidence in the desk: images of a finding, verify, and the downloads a case needs.

Downloads are POSTs with the CSRF token: making a bundle or a case package writes a signed
custody event, which no cross-site link may trigger. Artifacts are listing content (hostile):
raster images are served inline with a sandboxing CSP and ``nosniff``; anything else downloads
as an attachment and is never rendered by the browser.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ipwatch.services import evidence_access as access
from ipwatch.services.errors import InvalidRequestError
from ipwatch.web.app import render
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.security import checked_caller

router = APIRouter(include_in_schema=False)
SANDBOX = {"Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "private"}


def _blob(blob: access.Blob) -> Response:
    name = blob.name.rsplit("/", 1)[-1].replace('"', "")[:100] or "artifact"
    disposition = "inline" if blob.inline else "attachment"
    media = blob.media_type if blob.inline else "application/octet-stream"
    headers = {**SANDBOX, "Content-Disposition": f'{disposition}; filename="{name}"'}
    return Response(blob.data, media_type=media, headers=headers)


@router.get("/snapshots/{snapshot_id}/artifacts/{sha256}")
def artifact(
    request: Request, snapshot_id: str, sha256: str, who: Annotated[Caller, Depends(caller)]
) -> Response:
    with desk_of(request).use() as workspace:
        return _blob(access.artifact(workspace, who.principal, snapshot_id, sha256))


@router.get("/findings/{finding_id}/reference/{sha256}")
def reference(
    request: Request, finding_id: str, sha256: str, who: Annotated[Caller, Depends(caller)]
) -> Response:
    with desk_of(request).use() as workspace:
        return _blob(access.reference_image(workspace, who.principal, finding_id, sha256))


@router.post("/snapshots/{snapshot_id}/verify")
def verify(
    request: Request, snapshot_id: str, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    with desk_of(request).use() as workspace:
        result = access.verify_snapshot(workspace, who.principal, snapshot_id)
    return render(
        request,
        "verify.html",
        {
            "who": who,
            "result": result,
            "snapshot_id": snapshot_id,
            "back": request.headers.get("referer", "/queue"),
        },
    )


@router.post("/snapshots/{snapshot_id}/bundle.zip")
def bundle(
    request: Request, snapshot_id: str, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    with desk_of(request).use() as workspace:
        data = access.bundle_zip(workspace, who.principal, snapshot_id)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{snapshot_id}.zip"'},
    )


@router.post("/findings/{finding_id}/case.{kind}")
def case(
    request: Request, finding_id: str, kind: str, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    if kind not in ("wacz", "html", "pdf"):
        raise InvalidRequestError("a case package is case.wacz, case.html or case.pdf")
    with desk_of(request).use() as workspace:
        data, name = access.case_package(workspace, who.principal, finding_id, kind)
    media = {"wacz": "application/wacz", "html": "text/html", "pdf": "application/pdf"}[kind]
    return Response(
        data,
        media_type=media,
        headers={**SANDBOX, "Content-Disposition": f'attachment; filename="{name}"'},
    )
