"""SQL for the read side of the SQLite index: finding filters, keyset paging, counts, search."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from model import FindingStatus
from model.sellers import fold_name
from store.sqlite.rows import FINDING_COLS, LISTING_COLS, ts
from store.sqlite.text import match_expression

if TYPE_CHECKING:
    from model import CountBy, FindingQuery

COUNT_KEYS: dict[str, str] = {
    "marketplace": "marketplace",
    "asset": "asset_id",
    "seller": "COALESCE((SELECT id FROM sellers WHERE sellers.key = findings.seller_key), '')",
    "day": "substr(created, 1, 10)",  # created is fixed-width UTC text: the UTC day
    "status": "status",
    "owner": "owner",
    "signal_kind": "finding_signals.kind",  # joined: one row per distinct kind of a finding
}


# Fewer findings than this with a signal kind make it rare (see ``finding_filter``): about
# sqrt(page size x findings) for a 50-finding page of 100,000, where both plans cost the same.
RARE_KIND = 2000
RARE_KIND_SQL = "SELECT count(*) FROM (SELECT 1 FROM finding_signals WHERE kind = ? LIMIT ?)"


def check_page(limit: int, offset: int = 0) -> None:
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must be zero or more")


def _any_of(column: str, values: tuple[str, ...]) -> str:
    """``column IN (?, ...)``; no values match nothing (SQL has no empty IN list)."""
    return f"{column} IN ({', '.join('?' * len(values))})" if values else "0 = 1"


def finding_filter(query: FindingQuery, rare_kind: bool = True) -> tuple[str, list[Any]]:
    """The WHERE clause (and its arguments) every finding read shares; paging excluded.

    Columns are those of ``findings``; a count may join ``finding_signals``, whose columns
    (kind, finding_n) no finding column shares. ``rare_kind``: whether few findings have a
    signal of ``query.signal_kind`` (``RARE_KIND_SQL``), which picks the cheaper plan.
    """
    query = query.checked()
    where: list[str] = ["1 = 1"]
    args: list[Any] = []
    for column, values in (
        ("owner", query.owners),
        ("listing_id", query.listing_ids),
        ("status", None if query.statuses is None else tuple(s.value for s in query.statuses)),
    ):
        if values is not None:
            where.append(_any_of(column, values))
            args += values
    for column, op, value in (
        ("owner", "=", query.owner),
        ("risk", ">=", query.risk_min),
        ("risk", "<=", query.risk_max),
        ("created", ">=", None if query.created_from is None else ts(query.created_from)),
        ("created", "<", None if query.created_to is None else ts(query.created_to)),
    ):
        if value is not None:
            where.append(f"{column} {op} ?")
            args.append(value)
    if query.signal_kind is not None:
        # A rare kind: read its few findings first. A common one: check each candidate row in
        # risk order, which stops at the page's end instead of listing every such finding.
        where.append(
            "n IN (SELECT finding_n FROM finding_signals WHERE kind = ?)"
            if rare_kind
            else "EXISTS (SELECT 1 FROM finding_signals WHERE kind = ? AND finding_n = findings.n)"
        )
        args.append(query.signal_kind)
    if query.asset_id is not None:
        where.append("asset_id = ?")
        args.append(query.asset_id)
    if query.seller is not None:
        # The seller is stored once: match its id, name (case-insensitive) or key there.
        where.append(
            "seller_key IN (SELECT key FROM sellers WHERE id = ? OR name_folded = ? OR key = ?)"
        )
        args += [query.seller, fold_name(query.seller), query.seller]
    if query.marketplace is not None:
        where.append("marketplace = ?")
        args.append(query.marketplace)
    if query.status is not None:
        where.append("status = ?")
        args.append(FindingStatus(query.status).value)
    if query.flagged_only:
        where.append("flagged = 1")
    if query.text is not None:
        expression = match_expression(query.text)
        if expression is None:
            where.append("0 = 1")
        else:
            where.append("n IN (SELECT rowid FROM findings_fts WHERE findings_fts MATCH ?)")
            args.append(expression)
    return " AND ".join(where), args


def list_findings_sql(query: FindingQuery, rare_kind: bool = True) -> tuple[str, list[Any]]:
    """Risk descending then id ascending; keyset paging with ``search_after`` else offset."""
    check_page(query.limit, query.offset)
    where, args = finding_filter(query, rare_kind)
    offset = query.offset
    if query.search_after is not None:
        risk, last_id = query.search_after
        where += " AND (risk < ? OR (risk = ? AND id > ?))"
        args += [float(risk), float(risk), str(last_id)]
        offset = 0
    sql = (
        f"SELECT {FINDING_COLS} FROM findings WHERE {where} "  # noqa: S608
        "ORDER BY risk DESC, id ASC LIMIT ? OFFSET ?"
    )
    return sql, [*args, query.limit, offset]


def count_findings_sql(
    by: CountBy, query: FindingQuery, rare_kind: bool = True
) -> tuple[str, list[Any]]:
    key = COUNT_KEYS.get(by)
    if key is None:
        raise ValueError(f"cannot count findings by {by!r}; use one of {', '.join(COUNT_KEYS)}")
    where, args = finding_filter(query, rare_kind)
    source = "findings"
    if by == "signal_kind" and where == "1 = 1":
        source = "finding_signals"  # no filter: the kinds' own index holds every count
    elif by == "signal_kind":
        source = "finding_signals JOIN findings ON findings.n = finding_signals.finding_n"
    sql = f"SELECT {key} AS k, COUNT(*) AS c FROM {source} WHERE {where} GROUP BY k"  # noqa: S608
    return sql, args


def search_listings_sql(
    text: str, marketplace: str | None, limit: int, search_after: str | None
) -> tuple[str, list[Any]] | None:
    """Listings holding every part of ``text`` in their title or description, by id."""
    check_page(limit)
    expression = match_expression(text)
    if expression is None:
        return None
    where = ["n IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)"]
    args: list[Any] = [expression]
    if marketplace is not None:
        where.append("marketplace = ?")
        args.append(marketplace)
    if search_after is not None:
        where.append("id > ?")
        args.append(search_after)
    sql = (
        f"SELECT {LISTING_COLS} FROM listings WHERE {' AND '.join(where)} "  # noqa: S608
        "ORDER BY id LIMIT ?"
    )
    return sql, [*args, limit]
