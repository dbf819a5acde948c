"""The notices JSON API (/api/v1/notices): create from confirmed findings, list, show, record
outcomes and download files, through the same services (and checks) as the CLI and the desk."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ipwatch.services.notice_states import allowed_next, mark_notice, parse_state
from ipwatch.services.notices import (
    MAX_FINDINGS,
    NOTICE_COLUMNS,
    NoticeRequest,
    create_notices,
    get_notice,
    list_notices,
    notice_files,
)
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.responses import json_response, list_response
from ipwatch.web.security import checked_caller
from model.notices import NoticeQuery

router = APIRouter(prefix="/api/v1", tags=["notices"])
Name = Annotated[str, Field(min_length=1, max_length=200)]


class NewNotices(BaseModel):
    finding_ids: list[Name] = Field(default_factory=list, max_length=MAX_FINDINGS)
    owner: str | None = Field(default=None, max_length=200)
    marketplace: str | None = Field(default=None, max_length=200)
    template: str | None = Field(default=None, max_length=40)


class StateChange(BaseModel):
    state: str = Field(min_length=1, max_length=40)
    reason: str = Field(default="", max_length=2000)
    revision: str | None = Field(default=None, max_length=200)


def notice_json(request: Request, who: Caller, notice_id: str) -> dict[str, object]:
    with desk_of(request).use() as workspace:
        detail = get_notice(workspace, notice_id, who.principal)
    n = detail.notice
    return {
        **n.to_dict(),
        "history": detail.events,
        "next_states": [s.value for s in allowed_next(n.state)],
    }


@router.get("/notices")
def notices(
    request: Request,
    who: Annotated[Caller, Depends(caller)],
    state: Annotated[str | None, Query(max_length=40)] = None,
    marketplace: Annotated[str | None, Query(max_length=200)] = None,
    owner: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Notices in your scope, newest first; ``state``, ``marketplace``, ``owner`` filter."""
    query = NoticeQuery(
        owners=None if owner is None else (owner,),
        state=None if state is None else parse_state(state),
        marketplace=marketplace,
        limit=limit,
    )
    with desk_of(request).use() as workspace:
        rows = list_notices(workspace, query, who.principal)
    return list_response(rows, NOTICE_COLUMNS, format, "notices")


@router.post("/notices")
def create(
    request: Request, body: NewNotices, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    """Draft notices from confirmed findings (by id, or every confirmed one in scope matching
    owner/marketplace): one per marketplace and owner. 422 names an unconfirmed finding."""
    ask = NoticeRequest(tuple(body.finding_ids), body.owner, body.marketplace, body.template)
    with desk_of(request).use() as workspace:
        made = create_notices(workspace, ask, who.principal)
    return json_response({"items": made, "count": len(made)}, 201)


@router.get("/notices/{notice_id}")
def notice(request: Request, notice_id: str, who: Annotated[Caller, Depends(caller)]) -> Response:
    """One notice with its state history and the states it may go to next."""
    return json_response(notice_json(request, who, notice_id))


@router.post("/notices/{notice_id}/state")
def change_state(
    request: Request,
    notice_id: str,
    body: StateChange,
    who: Annotated[Caller, Depends(checked_caller)],
) -> Response:
    """Record an outcome; 409 when the notice's state does not lead there (or it changed since
    ``revision``), 422 for an unknown state or a missing reason."""
    with desk_of(request).use() as workspace:
        result = mark_notice(
            workspace, notice_id, body.state, body.reason, who.principal, body.revision
        )
    return json_response(
        {
            "notice": result.notice,
            "event": result.event,
            "findings": result.findings,
            "unchanged": result.unchanged,
            "refused": [{"id": fid, "error": why} for fid, why in result.refused],
        }
    )


@router.get("/notices/{notice_id}/files/{name}")
def file(
    request: Request, notice_id: str, name: str, who: Annotated[Caller, Depends(caller)]
) -> Response:
    """One of the notice's files, as rendered (checked against its SHA-256)."""
    return notice_file_response(request, who, notice_id, name)


def notice_file_response(request: Request, who: Caller, notice_id: str, name: str) -> Response:
    from ipwatch.services.errors import NotFoundError

    with desk_of(request).use() as workspace:
        files = notice_files(workspace, notice_id, who.principal)
    for f, data in files:
        if f.name == name:
            return Response(
                data,
                media_type=f.media_type,
                headers={
                    "Content-Disposition": f'attachment; filename="{f.name}"',
                    "X-Content-SHA256": f.sha256,
                },
            )
    raise NotFoundError(f"notice {notice_id} has no file {name!r}")
