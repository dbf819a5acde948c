"""Query DSL for the Protocol's reads: the same filters, order and text rules as SQLite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from model import FindingStatus
from model.sellers import fold_name
from store.elastic.documents import ts

if TYPE_CHECKING:
    from model import CountBy, FindingQuery

FINDING_SORT: list[dict[str, Any]] = [{"risk": "desc"}, {"id": "asc"}]
LISTING_SORT: list[dict[str, Any]] = [{"id": "asc"}]
SNAPSHOT_SORT: list[dict[str, Any]] = [{"captured_at": "asc"}, {"id": "asc"}]
RUN_SORT: list[dict[str, Any]] = [{"started": "desc"}, {"id": "desc"}]
EVENT_SORT: list[dict[str, Any]] = [{"at": "asc"}, {"seq": "asc"}, {"id": "asc"}]

# Every query word must appear (a word absent from the title must not match); for Chinese the
# search analyzer turns 雷霆充电 into the bigrams 雷霆/霆充/充电, all of which must be present.
TEXT_OPERATOR = "and"


def text_match(text: str, fields: list[str]) -> dict[str, Any]:
    """All words of ``text`` across ``fields`` (a word may sit in the title, another in the
    description, like a row match in SQLite FTS)."""
    if len(fields) == 1:
        return {"match": {fields[0]: {"query": text, "operator": TEXT_OPERATOR}}}
    return {
        "multi_match": {
            "query": text,
            "fields": fields,
            "type": "cross_fields",
            "operator": TEXT_OPERATOR,
        }
    }


def seller_filter(seller: str) -> dict[str, Any]:
    """Sellers a ``FindingQuery.seller`` names: by marketplace id, folded name or key."""
    either: list[dict[str, Any]] = [{"term": {"id": seller}}, {"term": {"key": seller}}]
    folded = fold_name(seller)
    if folded:
        either.append({"term": {"name_folded": folded}})
    return {"bool": {"should": either, "minimum_should_match": 1}}


def finding_filter(query: FindingQuery, seller_keys: list[str] | None = None) -> dict[str, Any]:
    """The bool query for a FindingQuery's filters (paging and order are handled elsewhere).

    The cluster cannot join: a seller filter is first resolved to ``seller_keys`` through the
    sellers index (``seller_filter``); without them ``query.seller`` is taken as a key.
    """
    query = query.checked()
    must: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    for field, values in (
        ("owner", query.owners),
        ("listing_id", query.listing_ids),
        ("status", None if query.statuses is None else [s.value for s in query.statuses]),
    ):
        if values is not None:
            # An empty terms list would be refused or read as "no filter": match nothing.
            filters.append({"terms": {field: list(values)}} if values else {"match_none": {}})
    if query.owner is not None:
        filters.append({"term": {"owner": query.owner}})
    risk = {"gte": query.risk_min, "lte": query.risk_max}
    created = {
        "gte": None if query.created_from is None else ts(query.created_from),
        "lt": None if query.created_to is None else ts(query.created_to),
    }
    # Dates are indexed to the millisecond (the SQLite rows keep microseconds): a bound finer
    # than that is compared at millisecond precision there.
    for field, bounds in (("risk", risk), ("created", created)):
        given = {op: value for op, value in bounds.items() if value is not None}
        if given:
            filters.append({"range": {field: given}})
    if query.signal_kind is not None:
        filters.append(
            {"nested": {"path": "signals", "query": {"term": {"signals.kind": query.signal_kind}}}}
        )
    if query.asset_id is not None:
        filters.append({"term": {"asset_id": query.asset_id}})
    if query.seller is not None:
        keys = seller_keys if seller_keys is not None else [query.seller]
        filters.append({"terms": {"seller_key": keys}})
    if query.marketplace is not None:
        filters.append({"term": {"marketplace": query.marketplace}})
    if query.status is not None:
        filters.append({"term": {"status": FindingStatus(query.status).value}})
    if query.flagged_only:
        filters.append({"term": {"flagged": True}})
    if query.text is not None:
        must.append(text_match(query.text, ["title"]))
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}


def listing_filter(text: str, marketplace: str | None) -> dict[str, Any]:
    filters = [] if marketplace is None else [{"term": {"marketplace": marketplace}}]
    return {"bool": {"must": [text_match(text, ["title", "description"])], "filter": filters}}


# Composite aggregations page through every bucket, so counts stay exact at any cardinality.
COUNT_SOURCES: dict[str, dict[str, Any]] = {
    "marketplace": {"terms": {"field": "marketplace"}},
    "asset": {"terms": {"field": "asset_id"}},
    # Per seller key; the backend maps keys to marketplace seller ids (as SQLite counts).
    "seller": {"terms": {"field": "seller_key", "missing_bucket": True}},
    "day": {
        "date_histogram": {
            "field": "created",
            "calendar_interval": "1d",
            "format": "yyyy-MM-dd",
            "time_zone": "UTC",
        }
    },
    "status": {"terms": {"field": "status"}},
    "owner": {"terms": {"field": "owner"}},
}
# Signal kinds sit in nested documents, which a composite aggregation cannot reach: a terms
# aggregation counts them, each bucket counting findings (reverse_nested), not signals.
NESTED_COUNTS: dict[str, tuple[str, str]] = {"signal_kind": ("signals", "signals.kind")}


def count_body(
    by: CountBy,
    query: FindingQuery,
    after: dict[str, Any] | None,
    size: int,
    seller_keys: list[str] | None = None,
) -> dict[str, Any]:
    """One page of a composite aggregation over the findings the query matches."""
    check_count(by)
    if by in NESTED_COUNTS:
        raise ValueError(f"findings per {by} are counted by nested_count_body")
    composite: dict[str, Any] = {"size": size, "sources": [{"key": COUNT_SOURCES[by]}]}
    if after is not None:
        composite["after"] = after
    return {
        "size": 0,
        "track_total_hits": False,
        "query": finding_filter(query, seller_keys),
        "aggs": {"counts": {"composite": composite}},
    }


def check_count(by: str) -> None:
    if by not in COUNT_SOURCES and by not in NESTED_COUNTS:
        known = ", ".join([*COUNT_SOURCES, *NESTED_COUNTS])
        raise ValueError(f"cannot count findings by {by!r}; use one of {known}")


def nested_count_body(
    by: CountBy,
    query: FindingQuery,
    size: int,
    partition: tuple[int, int] | None = None,
    seller_keys: list[str] | None = None,
) -> dict[str, Any]:
    """Findings per value of a nested field; ``partition`` = (index, count) splits the values
    into disjoint sets when there are more than ``size`` of them."""
    path, field = NESTED_COUNTS[by]
    terms: dict[str, Any] = {"field": field, "size": size, "order": {"_key": "asc"}}
    if partition is not None:
        terms["include"] = {"partition": partition[0], "num_partitions": partition[1]}
    return {
        "size": 0,
        "track_total_hits": False,
        "query": finding_filter(query, seller_keys),
        "aggs": {
            "nested": {
                "nested": {"path": path},
                "aggs": {"counts": {"terms": terms, "aggs": {"findings": {"reverse_nested": {}}}}},
            }
        },
    }


def bucket_key(value: Any) -> str:
    """A missing seller id is the empty string, as in SQLite."""
    return "" if value is None else str(value)
