"""The JSON API (/api/v1): the desk's services for scripts, with the same checks.

Authenticate with ``Authorization: Bearer TOKEN`` (``ipwatch users token NAME``); a browser
session works too, with the ``X-CSRF-Token`` header on every state-changing call. Lists take
``?format=csv``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ipwatch.services import evidence_access as access
from ipwatch.services.findings import list_findings, show_finding
from ipwatch.services.queue import queue_page
from ipwatch.services.review import MAX_BULK, ReviewRequest, bulk_review, review_finding
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.filters import cursor_text, parse_after, parse_filters
from ipwatch.web.pages import CARD_COLUMNS, card_row
from ipwatch.web.responses import json_response, list_response
from ipwatch.web.security import checked_caller
from model import FindingStatus

router = APIRouter(prefix="/api/v1", tags=["review"])
Format = Literal["json", "csv"]
FINDING_COLUMNS = [
    "id",
    "listing_id",
    "asset_id",
    "owner",
    "marketplace",
    "risk",
    "flagged",
    "status",
    "seller_id",
    "seller_name",
    "title",
    "url",
    "created",
    "updated",
    "revision",
]


class Decision(BaseModel):
    status: Literal["confirmed", "dismissed", "in_review"]
    reason: str = Field(min_length=1, max_length=2000)
    revision: str | None = Field(default=None, max_length=200)


FindingId = Annotated[str, Field(min_length=1, max_length=200)]


class BulkDecision(BaseModel):
    ids: list[FindingId] = Field(min_length=1, max_length=MAX_BULK)
    status: Literal["confirmed", "dismissed", "in_review"]  # in_review: reopen (the queue's undo)
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/me")
def me(who: Annotated[Caller, Depends(caller)]) -> Response:
    """Who the token or session acts as: name, role, owners (null: every owner)."""
    p = who.principal
    return json_response({"name": p.name, "role": p.role, "owners": p.owners})


@router.get("/queue")
def queue(
    request: Request,
    who: Annotated[Caller, Depends(caller)],
    format: Format = "json",
) -> Response:
    """Open findings grouped per listing, riskiest first; filters as on the queue page;
    ``next`` is the ``after`` value of the next page."""
    params = request.query_params
    with desk_of(request).use() as workspace:
        page = queue_page(workspace, who.principal, parse_filters(params), parse_after(params))
    rows = [card_row(c) for c in page.cards]
    if format == "csv":
        return list_response(rows, CARD_COLUMNS, "csv", "queue")
    nxt = cursor_text(page.next_after) if page.next_after else None
    return json_response({"items": rows, "count": len(rows), "next": nxt, "counts": page.counts})


@router.get("/findings")
def findings(
    request: Request,
    who: Annotated[Caller, Depends(caller)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    format: Format = "json",
) -> Response:
    """Findings (filters as on the queue page, ``status=any`` for all), riskiest first."""
    params = request.query_params
    query = parse_filters(params).query(limit=limit, search_after=parse_after(params))
    with desk_of(request).use() as workspace:
        rows = list_findings(workspace, query, who.principal)
    return list_response(rows, FINDING_COLUMNS, format, "findings")


@router.get("/findings/{finding_id}")
def finding(request: Request, finding_id: str, who: Annotated[Caller, Depends(caller)]) -> Response:
    """One finding with its signals, review history and snapshots."""
    with desk_of(request).use() as workspace:
        detail = show_finding(workspace, finding_id, who.principal)
    return json_response(
        {**detail.finding.to_dict(), "history": detail.events, "snapshots": detail.snapshots}
    )


@router.post("/findings/{finding_id}/decision")
def decide(
    request: Request,
    finding_id: str,
    body: Decision,
    who: Annotated[Caller, Depends(checked_caller)],
) -> Response:
    """Confirm, dismiss or reopen (in_review); give the revision you read to refuse a stale
    decision (409 says who decided first)."""
    review = ReviewRequest(finding_id, FindingStatus(body.status), body.reason, body.revision)
    with desk_of(request).use() as workspace:
        outcome = review_finding(workspace, review, who.principal)
    return json_response(outcome)


@router.post("/findings/bulk-decision")
def bulk(
    request: Request, body: BulkDecision, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    """One decision and reason for up to 300 findings (in_review reopens them, as the queue's
    undo does); each is applied or refused on its own."""
    with desk_of(request).use() as workspace:
        batch = bulk_review(
            workspace, body.ids, FindingStatus(body.status), body.reason, who.principal
        )
    return json_response(
        {
            "decided": batch.outcomes,
            "refused": [{"id": fid, "error": str(exc)} for fid, exc in batch.refused],
        }
    )


@router.get("/sellers")
def sellers(
    request: Request,
    who: Annotated[Caller, Depends(caller)],
    q: Annotated[str | None, Query(max_length=200)] = None,
    format: Format = "json",
) -> Response:
    """Sellers named by findings in your scope, with counts."""
    from ipwatch.services.sellers import seller_rows

    with desk_of(request).use() as workspace:
        rows = seller_rows(workspace, who.principal, q)
    columns = ["key", "name", "marketplace", "url", "findings", "open", "confirmed", "max_risk"]
    return list_response(rows, columns, format, "sellers")


@router.post("/snapshots/{snapshot_id}/verify")
def verify(
    request: Request, snapshot_id: str, who: Annotated[Caller, Depends(checked_caller)]
) -> Response:
    """Run every check on one snapshot: each passed, failed or not checked."""
    with desk_of(request).use() as workspace:
        result = access.verify_snapshot(workspace, who.principal, snapshot_id)
    return json_response({"ok": result.ok, "reports": result.reports})
