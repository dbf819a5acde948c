"""Queue filters and the paging cursor, read from (and written back to) a query string.

The same query string drives the page, its JSON and CSV, saved views and the API, so a link
or a saved view reproduces exactly what the reviewer saw.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from ipwatch.services.errors import InvalidRequestError
from ipwatch.services.queue import OPEN, QueueFilters
from model import FindingStatus

FIELDS = (
    "status",
    "owner",
    "asset",
    "marketplace",
    "seller",
    "signal",
    "risk_min",
    "risk_max",
    "since",
)
MAX_VALUE = 200


def _text(params: QueryParams, name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > MAX_VALUE:
        raise InvalidRequestError(f"filter {name} is longer than {MAX_VALUE} characters")
    return value or None


def _risk(params: QueryParams, name: str) -> float | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidRequestError(f"{name} must be a number between 0 and 1") from None


def parse_filters(params: QueryParams) -> QueueFilters:
    statuses: tuple[FindingStatus, ...] | None
    chosen = [s for s in params.getlist("status") if s]
    if not chosen:
        statuses = OPEN
    elif chosen == ["any"]:
        statuses = None
    else:
        try:
            statuses = tuple(FindingStatus(s) for s in chosen)
        except ValueError:
            known = ", ".join(s.value for s in FindingStatus)
            raise InvalidRequestError(f"status must be one of {known} or any") from None
    since = _text(params, "since")
    since_at = None
    if since is not None:
        try:
            since_at = datetime.fromisoformat(since).replace(tzinfo=UTC)
        except ValueError:
            raise InvalidRequestError("since must be a date, YYYY-MM-DD") from None
    return QueueFilters(
        statuses=statuses,
        owner=_text(params, "owner"),
        asset_id=_text(params, "asset"),
        marketplace=_text(params, "marketplace"),
        seller=_text(params, "seller"),
        signal_kind=_text(params, "signal"),
        risk_min=_risk(params, "risk_min"),
        risk_max=_risk(params, "risk_max"),
        since=since_at,
    )


def parse_after(params: QueryParams) -> tuple[float, str] | None:
    """The cursor ``RISK:ID`` of the last card of the previous page."""
    value = _text(params, "after")
    if value is None:
        return None
    risk, _, finding_id = value.partition(":")
    try:
        return float(risk), finding_id
    except ValueError:
        raise InvalidRequestError("after must be RISK:FINDING_ID from a queue page") from None


def cursor_text(after: tuple[float, str]) -> str:
    return f"{after[0]!r}:{after[1]}"


def filter_query(params: QueryParams, **changes: str | None) -> str:
    """The filter part of ``params`` with ``changes`` applied, as a query string."""
    pairs = [(k, v) for k, v in params.multi_items() if k in FIELDS and k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v]
    return urlencode(pairs)
