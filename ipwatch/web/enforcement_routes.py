"""Seller networks, the repeat-infringer record and the dashboard in the desk: pages, their
``.json``/``.csv`` twins and /api/v1 routes, each over one service call with the caller's
principal."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ipwatch.services.dashboard import dashboard
from ipwatch.services.errors import InvalidRequestError
from ipwatch.services.repeat_record import CSV_COLUMNS, repeat_record
from ipwatch.services.seller_network import seller_network, seller_networks
from ipwatch.web.app import render
from ipwatch.web.charts import Chart, bar_chart
from ipwatch.web.desk import Caller, caller, desk_of
from ipwatch.web.responses import json_response, list_response

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["enforcement"])
Format = Literal["json", "csv"]
NETWORK_COLUMNS = ["network", "sellers", "marketplaces", "members", "names", "links", "reasons"]


@pages.get("/record")
@pages.get("/record.{fmt}")
def record_page(
    request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html"
) -> Response:
    if fmt not in ("html", "json", "csv"):
        raise InvalidRequestError("the record comes as .json or .csv")
    with desk_of(request).use() as workspace:
        found = repeat_record(workspace, who.principal)
    if fmt != "html":
        return list_response(found.rows(), CSV_COLUMNS, fmt, "repeat-infringer-record")
    return render(request, "record.html", {"who": who, "rows": found.rows()})


@pages.get("/networks")
@pages.get("/networks.{fmt}")
def networks_page(
    request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html"
) -> Response:
    if fmt not in ("html", "json", "csv"):
        raise InvalidRequestError("networks come as .json or .csv")
    with desk_of(request).use() as workspace:
        rows = seller_networks(workspace, who.principal)
    if fmt != "html":
        return list_response(rows, NETWORK_COLUMNS, fmt, "seller-networks")
    return render(request, "networks.html", {"who": who, "rows": rows})


@api.get("/record")
def record(
    request: Request, who: Annotated[Caller, Depends(caller)], format: Format = "json"
) -> Response:
    """The repeat-infringer record per seller and per network in your scope; every count with
    the finding ids behind it (docs/repeat-infringer-record.md)."""
    with desk_of(request).use() as workspace:
        found = repeat_record(workspace, who.principal)
    return list_response(found.rows(), CSV_COLUMNS, format, "repeat-infringer-record")


@api.get("/networks")
def networks(
    request: Request, who: Annotated[Caller, Depends(caller)], format: Format = "json"
) -> Response:
    """Seller networks of two or more sellers in your scope, largest first."""
    with desk_of(request).use() as workspace:
        rows = seller_networks(workspace, who.principal)
    return list_response(rows, NETWORK_COLUMNS, format, "seller-networks")


@api.get("/sellers/{seller_key}/network")
def network(request: Request, seller_key: str, who: Annotated[Caller, Depends(caller)]) -> Response:
    """One seller's network in your scope: members, explained links, ignored identifiers."""
    with desk_of(request).use() as workspace:
        found = seller_network(workspace, who.principal, seller_key)
    return json_response(found.to_dict())


def _charts(data: dict[str, Any]) -> list[Chart]:
    days: list[str] = data["days"]
    charts = [
        bar_chart(title, days, [float(data[key].get(day, 0)) for day in days])
        for title, key in (
            ("Findings per day", "findings"),
            ("Confirmations per day", "confirmations"),
            ("Notices sent per day", "notices"),
            ("Removals per day", "removals"),
        )
    ]
    takedowns = data["takedowns"]
    charts.append(
        bar_chart(
            "Takedown success rate per marketplace",
            [t["marketplace"] for t in takedowns],
            [float(t["success_rate"] or 0) for t in takedowns],
        )
    )
    return charts


@pages.get("/dashboard")
@pages.get("/dashboard.{fmt}")
def dashboard_page(
    request: Request, who: Annotated[Caller, Depends(caller)], fmt: str = "html"
) -> Response:
    if fmt not in ("html", "json"):
        raise InvalidRequestError("the dashboard comes as .json")
    with desk_of(request).use() as workspace:
        data = dashboard(workspace, who.principal).to_dict()
    if fmt == "json":
        return json_response(data)
    return render(request, "dashboard.html", {"who": who, "data": data, "charts": _charts(data)})


@api.get("/dashboard")
def dashboard_api(request: Request, who: Annotated[Caller, Depends(caller)]) -> Response:
    """Findings, confirmations, notices and removals per day; takedown success rate and median
    hours to removal per marketplace; top sellers and networks; all within your scope."""
    with desk_of(request).use() as workspace:
        return json_response(dashboard(workspace, who.principal).to_dict())
