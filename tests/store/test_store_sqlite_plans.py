"""The review queue's SQLite reads search an index instead of scanning every finding.

Query plans, not timings: ``EXPLAIN QUERY PLAN`` names the index each filter uses, so a filter
that silently falls back to reading the whole table (slow at 100,000 findings) fails here.
Filters most findings pass (the whole desk's new + in_review) may rightly walk ``findings_risk``
in page order instead, stopping at the page's end; they are not listed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from model import FindingQuery, FindingRecord, FindingStatus
from store import SqliteStore
from store.sqlite.query import count_findings_sql, list_findings_sql

T0 = datetime(2024, 5, 1, tzinfo=UTC)
QUEUE = (FindingStatus.NEW, FindingStatus.IN_REVIEW)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    store = SqliteStore(tmp_path_factory.mktemp("plans") / "plans.db")
    for n in range(300):
        store.upsert_finding(
            FindingRecord(
                id=f"F-{n:03}",
                listing_id=f"L-{n // 3}",
                asset_id=f"A-{n % 9}",
                owner=f"owner-{n % 30}",
                marketplace="demo",
                risk=(n % 100) / 100,
                flagged=True,
                signals=[{"kind": ("text", "image", "price")[n % 3], "score": 0.5}],
                created=T0 + timedelta(hours=n),
                updated=T0,
            )
        )
    statuses = list(FindingStatus)
    for n in range(300):
        status = statuses[n % len(statuses)].value
        store._db.execute("UPDATE findings SET status = ? WHERE id = ?", (status, f"F-{n:03}"))
    store._db.execute("ANALYZE")  # plans as a long-used file would get them
    yield store
    store.close()


def plan(index: SqliteStore, sql: str, args: list[object]) -> list[str]:
    return [row[3] for row in index._db.execute(f"EXPLAIN QUERY PLAN {sql}", args)]


def full_scans(steps: list[str]) -> list[str]:
    """Steps that read every row of findings (an index walked from end to end included)."""
    return [s for s in steps if s.startswith("SCAN findings")]


LISTS = {
    "tenant queue": FindingQuery(owners=("owner-3",), statuses=QUEUE),
    "tenants queue": FindingQuery(owners=("owner-3", "owner-7"), statuses=QUEUE),
    "tenant page": FindingQuery(owners=("owner-3",), search_after=(0.5, "F-100")),
    "tenant risk band": FindingQuery(owners=("owner-3",), risk_min=0.2, risk_max=0.4),
    "one owner": FindingQuery(owner="owner-3"),
    "cards": FindingQuery(listing_ids=("L-1", "L-2", "L-3")),
    "first seen week": FindingQuery(created_from=T0, created_to=T0 + timedelta(days=7)),
    "tenant signal kind": FindingQuery(owners=("owner-3",), signal_kind="image"),
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("rare_kind", [True, False])
def test_filtered_queue_lists_search_an_index(index, name, rare_kind):
    sql, args = list_findings_sql(LISTS[name], rare_kind)
    steps = plan(index, sql, args)
    assert full_scans(steps) == [], steps
    assert any(s.startswith("SEARCH findings USING") for s in steps), steps


@pytest.mark.parametrize("by", ["status", "owner", "signal_kind"])
def test_tenant_counts_search_an_index(index, by):
    sql, args = count_findings_sql(by, FindingQuery(owners=("owner-3", "owner-4")))
    steps = plan(index, sql, args)
    assert full_scans(steps) == [], steps
    assert not any(s.startswith("SCAN finding_signals") for s in steps), steps


def test_a_signal_kind_uses_the_kinds_index_both_ways(index):
    for rare_kind in (True, False):
        sql, args = list_findings_sql(FindingQuery(signal_kind="image"), rare_kind)
        steps = plan(index, sql, args)
        assert any("finding_signals USING PRIMARY KEY (kind=?" in s for s in steps), steps
    sql, args = count_findings_sql("signal_kind", FindingQuery())
    assert plan(index, sql, args) == ["SCAN finding_signals"]  # the covering key, no join
