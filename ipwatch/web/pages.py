"""The desk's pages: the queue, a finding, a seller; decisions made from them.

Each handler parses the request, calls one service with the caller's principal and renders the
result; no handler reads the store itself. Lists answer as HTML, ``.json`` or ``.csv``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ipwatch.services.errors import ConflictError, InvalidRequestError
from ipwatch.services.finding_page import finding_page
from ipwatch.services.queue import queue_page
from ipwatch.services.review import MAX_BULK, ReviewRequest, bulk_review, review_finding
from ipwatch.web.app import render
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.filters import cursor_text, filter_query, parse_after, parse_filters
from ipwatch.web.responses import list_response
from ipwatch.web.security import checked_caller
from model import FindingStatus

router = APIRouter(include_in_schema=False)
CARD_COLUMNS = [
    "listing_id",
    "title",
    "url",
    "marketplace",
    "seller",
    "risk",
    "finding_ids",
    "assets",
    "owners",
    "statuses",
]
DECISIONS = {
    "confirm": FindingStatus.CONFIRMED,
    "dismiss": FindingStatus.DISMISSED,
    "reopen": FindingStatus.IN_REVIEW,
}


def card_row(card: object) -> dict[str, object]:
    from ipwatch.services.queue import Card

    assert isinstance(card, Card)
    return {
        "listing_id": card.listing_id,
        "title": card.title,
        "url": card.url,
        "marketplace": card.marketplace,
        "seller": card.seller.name if card.seller else None,
        "risk": round(card.risk, 4),
        "finding_ids": [f.id for f in card.findings],
        "assets": [f.asset_id for f in card.findings],
        "owners": sorted({f.owner for f in card.findings}),
        "statuses": [f.status.value for f in card.findings],
    }


@router.get("/")
def home() -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
@router.get("/queue.{fmt}")
def queue(request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html") -> Response:
    if fmt not in ("html", "json", "csv"):
        raise InvalidRequestError("the queue comes as .json or .csv")
    params = request.query_params
    filters = parse_filters(params)
    with desk_of(request).use() as workspace:
        page = queue_page(
            workspace, who.principal, filters, parse_after(params), with_counts=fmt == "html"
        )
        views = workspace.directory.list_views(who.principal.name) if fmt == "html" else []
        reasons = list(workspace.config.desk.reasons)
    if fmt != "html":
        return list_response([card_row(c) for c in page.cards], CARD_COLUMNS, fmt, "queue")
    next_link = (
        f"/queue?{filter_query(params, after=cursor_text(page.next_after))}"
        if page.next_after
        else None
    )
    return render(
        request,
        "queue.html",
        {
            "who": who,
            "page": page,
            "params": params,
            "statuses": [s.value for s in FindingStatus],
            "chosen_statuses": [s.value for s in filters.statuses or ()],
            "query": filter_query(params),
            "next_link": next_link,
            "views": views,
            "reasons": reasons,
            "max_bulk": MAX_BULK,
        },
    )


@router.post("/queue/views")
def save_view(
    request: Request,
    who: Annotated[Caller, Depends(checked_caller)],
    name: Annotated[str, Form(max_length=80)],
    query: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    with desk_of(request).use() as workspace:
        workspace.directory.save_view(who.principal.name, name, query)
    return RedirectResponse(f"/queue?{query}", status_code=303)


@router.get("/findings/{finding_id}")
def finding(request: Request, finding_id: str, who: Annotated[Caller, Depends(caller)]) -> Response:
    with desk_of(request).use() as workspace:
        page = finding_page(workspace, who.principal, finding_id)
    return render(
        request,
        "finding.html",
        {"who": who, "p": page, "f": page.finding, "message": request.query_params.get("m", "")},
    )


def _reason(choice: str, text: str) -> str:
    parts = [p.strip() for p in (choice, text) if p.strip()]
    return ": ".join(parts)


@router.post("/findings/{finding_id}/decide")
def decide(
    request: Request,
    finding_id: str,
    who: Annotated[Caller, Depends(checked_caller)],
    decision: Annotated[str, Form(max_length=20)],
    reason_choice: Annotated[str, Form(max_length=500)] = "",
    reason_text: Annotated[str, Form(max_length=2000)] = "",
    revision: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    status = DECISIONS.get(decision)
    if status is None:
        raise InvalidRequestError(f"decision is one of {', '.join(DECISIONS)}")
    reason = _reason(reason_choice, reason_text)
    request_ = ReviewRequest(finding_id, status, reason, revision or None)
    with desk_of(request).use() as workspace:
        try:
            outcome = review_finding(workspace, request_, who.principal)
        except ConflictError as exc:
            page = finding_page(workspace, who.principal, finding_id)
            return render(
                request,
                "finding.html",
                {"who": who, "p": page, "f": page.finding, "conflict": str(exc)},
                status_code=409,
            )
    done = "recorded" if outcome.changed else "unchanged"
    return RedirectResponse(
        f"/findings/{finding_id}?m={outcome.to_status.value}+{done}", status_code=303
    )


@router.post("/findings/bulk")
async def bulk(request: Request, who: Annotated[Caller, Depends(checked_caller)]) -> Response:
    form = await request.form()
    ids = [i for v in form.getlist("ids") for i in str(v).split(",") if i][: MAX_BULK + 1]
    status = DECISIONS.get(str(form.get("decision") or ""))
    if status is None or status == FindingStatus.IN_REVIEW:
        raise InvalidRequestError("bulk decisions are confirm or dismiss")
    reason = _reason(str(form.get("reason_choice") or ""), str(form.get("reason_text") or ""))
    with desk_of(request).use() as workspace:
        batch = bulk_review(workspace, ids, status, reason, who.principal)
    back = str(form.get("back") or "")
    query = back if back and "\n" not in back else ""
    return render(
        request,
        "bulk_done.html",
        {"who": who, "batch": batch, "back": f"/queue?{query}", "status": status.value},
    )


@router.get("/sellers")
@router.get("/sellers.{fmt}")
def sellers(
    request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html"
) -> Response:
    from ipwatch.services.sellers import seller_rows

    if fmt not in ("html", "json", "csv"):
        raise InvalidRequestError("sellers come as .json or .csv")
    with desk_of(request).use() as workspace:
        rows = seller_rows(workspace, who.principal, request.query_params.get("q") or None)
    columns = ["key", "name", "marketplace", "url", "findings", "open", "confirmed", "max_risk"]
    if fmt != "html":
        return list_response(rows, columns, fmt, "sellers")
    return render(request, "sellers.html", {"who": who, "rows": rows})


@router.get("/sellers/{seller_key:path}")
def seller(request: Request, seller_key: str, who: Annotated[Caller, Depends(caller)]) -> Response:
    from ipwatch.services.seller_network import seller_network
    from ipwatch.services.sellers import seller_card

    with desk_of(request).use() as workspace:
        card = seller_card(workspace, who.principal, seller_key)
        network = seller_network(workspace, who.principal, card.seller.key)
    return render(request, "seller.html", {"who": who, "card": card, "network": network})
