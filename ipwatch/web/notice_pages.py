"""The desk's notice screens: the list (with a form to draft notices) and a notice's page with
its files, evidence, state history and a button per state it may go to next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ipwatch.services.errors import ConflictError, InvalidRequestError
from ipwatch.services.notice_states import allowed_next, mark_notice, parse_state
from ipwatch.services.notices import (
    NOTICE_COLUMNS,
    NoticeRequest,
    create_notices,
    get_notice,
    list_notices,
    notice_formats,
)
from ipwatch.web.app import render
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.notice_api import notice_file_response
from ipwatch.web.responses import list_response
from ipwatch.web.security import checked_caller
from model.notices import NoticeQuery

if TYPE_CHECKING:
    from ipwatch.services.notices import NoticeDetail

router = APIRouter(include_in_schema=False)


@router.get("/notices")
@router.get("/notices.{fmt}")
def notices(
    request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html"
) -> Response:
    if fmt not in ("html", "json", "csv"):
        raise InvalidRequestError("the notices list comes as .json or .csv")
    state = request.query_params.get("state") or None
    query = NoticeQuery(state=None if state is None else parse_state(state[:40]))
    with desk_of(request).use() as workspace:
        rows = list_notices(workspace, query, who.principal)
        formats = sorted(notice_formats(workspace)) if fmt == "html" else []
    if fmt != "html":
        return list_response(rows, NOTICE_COLUMNS, fmt, "notices")
    return render(
        request,
        "notices.html",
        {"who": who, "rows": rows, "state": state or "", "formats": formats},
    )


@router.post("/notices/create")
def create(
    request: Request,
    who: Annotated[Caller, Depends(checked_caller)],
    marketplace: Annotated[str, Form(max_length=200)] = "",
    owner: Annotated[str, Form(max_length=200)] = "",
    template: Annotated[str, Form(max_length=40)] = "",
    finding_ids: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    ids = tuple(i for i in finding_ids.replace(",", " ").split() if i)
    ask = NoticeRequest(ids, owner or None, marketplace or None, template or None)
    with desk_of(request).use() as workspace:
        made = create_notices(workspace, ask, who.principal)
    target = f"/notices/{made[0].id}" if len(made) == 1 else "/notices?state=draft"
    return RedirectResponse(target, status_code=303)


@router.get("/notices/{notice_id}")
def notice(request: Request, notice_id: str, who: Annotated[Caller, Depends(caller)]) -> Response:
    with desk_of(request).use() as workspace:
        detail = get_notice(workspace, notice_id, who.principal)
    return _page(request, who, detail, None, 200)


def _page(
    request: Request, who: Caller, detail: NoticeDetail, conflict: str | None, code: int
) -> Response:
    n = detail.notice
    return render(
        request,
        "notice.html",
        {
            "who": who,
            "n": n,
            "events": detail.events,
            "next_states": [s.value for s in allowed_next(n.state)],
            "conflict": conflict,
        },
        status_code=code,
    )


@router.post("/notices/{notice_id}/mark")
def mark(
    request: Request,
    notice_id: str,
    who: Annotated[Caller, Depends(checked_caller)],
    state: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    revision: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    with desk_of(request).use() as workspace:
        try:
            mark_notice(workspace, notice_id, state, reason, who.principal, revision or None)
        except ConflictError as exc:
            detail = get_notice(workspace, notice_id, who.principal)
            return _page(request, who, detail, str(exc), 409)
    return RedirectResponse(f"/notices/{notice_id}", status_code=303)


@router.get("/notices/{notice_id}/files/{name}")
def file(
    request: Request, notice_id: str, name: str, who: Annotated[Caller, Depends(caller)]
) -> Response:
    return notice_file_response(request, who, notice_id, name)
