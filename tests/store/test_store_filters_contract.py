"""The review queue's filters and tenant scope, through the Protocol, on every backend.

Each filter is checked against a plain-Python reading of the same records (``expected``), alone
and inside an owners scope, for lists, keyset pages and counts alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from model import FindingQuery, FindingRecord, FindingStatus
from model.findings import MAX_LISTING_IDS
from tests.store import test_store_contract as contract

T0 = contract.T0
backend = contract.backend  # the contract suite's fixture: SQLite and a real OpenSearch node
finding = contract.finding

OWNERS = ("Nike", "Puma", "Acme")
KINDS = ("text", "image", "price", "patent")
STATUSES = (FindingStatus.NEW, FindingStatus.IN_REVIEW, FindingStatus.CONFIRMED)
COUNT_KEYS = ("marketplace", "asset", "seller", "day", "status", "owner", "signal_kind")


def signals(*kinds: str) -> list[dict[str, object]]:
    return [{"kind": k, "score": 0.5, "detail": f"{k} matched", "evidence": {}} for k in kinds]


def records(n: int = 60) -> list[FindingRecord]:
    """Findings spread over owners, listings, risks (with ties), days, signal kinds, statuses."""
    out = []
    for i in range(n):
        kinds = [KINDS[i % 4]] + ([KINDS[(i // 4) % 4]] if i % 3 == 0 else [])
        out.append(
            finding(
                f"F-{i:03}",
                round((i * 7 % 10) / 10, 1),
                owner=OWNERS[i % 3],
                listing_id=f"L-{i % 7}",
                asset_id=f"A-{i % 2}",
                created=T0 + timedelta(days=i % 5, hours=i % 4),
                signals=signals(*kinds),
                status=STATUSES[i % 3],
            )
        )
    return out


def load(backend, data: list[FindingRecord]) -> None:
    """Store new findings, then review them into the status each record names."""
    for f in data:
        backend.upsert_finding(replace(f, status=FindingStatus.NEW))
        if f.status is not FindingStatus.NEW:
            backend.set_status(f.id, f.status, actor="setup")


def matches(f: FindingRecord, q: FindingQuery) -> bool:
    """The reference reading of a FindingQuery's queue filters."""
    kinds = {s["kind"] for s in f.signals}
    return (
        (q.owners is None or f.owner in q.owners)
        and (q.owner is None or f.owner == q.owner)
        and (q.listing_ids is None or f.listing_id in q.listing_ids)
        and (q.risk_min is None or f.risk >= q.risk_min)
        and (q.risk_max is None or f.risk <= q.risk_max)
        and (q.created_from is None or f.created >= q.created_from)
        and (q.created_to is None or f.created < q.created_to)
        and (q.signal_kind is None or q.signal_kind in kinds)
        and (q.statuses is None or f.status in q.statuses)
        and (q.status is None or f.status == q.status)
        and (q.asset_id is None or f.asset_id == q.asset_id)
    )


def expected(data: list[FindingRecord], q: FindingQuery) -> list[str]:
    return [f.id for f in sorted(data, key=lambda f: (-f.risk, f.id)) if matches(f, q)]


def expected_counts(data: list[FindingRecord], by: str, q: FindingQuery) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for f in data:
        if not matches(f, q):
            continue
        if by == "signal_kind":
            counts.update({s["kind"] for s in f.signals})
        else:
            counts[{"status": f.status.value, "owner": f.owner, "asset": f.asset_id}[by]] += 1
    return dict(counts)


def listed(backend, q: FindingQuery) -> list[str]:
    return [f.id for f in backend.list_findings(q)]


SINGLE_FILTERS = {
    "owner": dict(owner="Puma"),
    "listing_ids": dict(listing_ids=("L-1", "L-4", "L-none")),
    "risk_range": dict(risk_min=0.3, risk_max=0.7),
    "created_range": dict(created_from=T0 + timedelta(days=1), created_to=T0 + timedelta(days=3)),
    "signal_kind": dict(signal_kind="image"),
    "statuses": dict(statuses=(FindingStatus.NEW, FindingStatus.IN_REVIEW)),
    "status": dict(status=FindingStatus.CONFIRMED),
    "asset": dict(asset_id="A-1"),
}


def test_each_new_filter_alone_and_inside_an_owners_scope_leaks_no_other_tenant(backend):
    data = records()
    load(backend, data)
    scopes = [None, ("Nike",), ("Nike", "Acme"), ()]
    for name, filters in SINGLE_FILTERS.items():
        for owners in scopes:
            q = FindingQuery(limit=1000, owners=owners, **filters)
            want = expected(data, q)
            assert listed(backend, q) == want, (name, owners)
            if owners:
                assert {f.owner for f in data if f.id in want} <= set(owners)
            if owners == ():
                assert want == []
    every = FindingQuery(
        limit=1000,
        owners=("Nike", "Acme"),
        risk_min=0.2,
        created_to=T0 + timedelta(days=4),
        statuses=(FindingStatus.NEW, FindingStatus.CONFIRMED),
        signal_kind="text",
        listing_ids=tuple(f"L-{i}" for i in range(6)),
    )
    assert listed(backend, every) == expected(data, every) != []


def test_tenant_with_no_owner_sees_and_counts_nothing(backend):
    load(backend, records(12))
    nothing = FindingQuery(owners=())
    assert listed(backend, nothing) == []
    assert listed(backend, FindingQuery(owners=(), search_after=(1.0, ""))) == []
    for by in COUNT_KEYS:
        assert backend.count_findings(by, nothing) == {}, by
    assert listed(backend, FindingQuery(listing_ids=())) == []
    assert listed(backend, FindingQuery(statuses=())) == []
    assert listed(backend, FindingQuery(owners=("Nobody",))) == []


def test_owners_given_as_a_bare_string_are_refused_not_read_letter_by_letter(backend):
    # "Nike" as a sequence would be the owners N, i, k, e: a scope that is not the one meant.
    backend.upsert_finding(finding("F-1", 0.9, owner="N"))
    for bad in ("Nike", b"Nike", FindingStatus.NEW):
        with pytest.raises(ValueError, match=r"tuple of values.*owners=\(value,\)"):
            backend.list_findings(FindingQuery(owners=bad))  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="tuple of values"):
            backend.count_findings("owner", FindingQuery(owners=bad))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tuple of values"):
        backend.list_findings(FindingQuery(statuses=FindingStatus.NEW))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tuple of values"):
        backend.list_findings(FindingQuery(listing_ids="L-1"))  # type: ignore[arg-type]
    assert listed(backend, FindingQuery(owners=["N"])) == ["F-1"]  # type: ignore[arg-type]


def test_keyset_pages_inside_an_owners_scope_give_exactly_the_scoped_set(backend):
    data = records(250)
    load(backend, data)
    for scope in (
        dict(owners=("Nike", "Acme")),
        dict(owners=("Puma",), statuses=(FindingStatus.NEW, FindingStatus.IN_REVIEW)),
        dict(owners=("Nike",), signal_kind="price", risk_max=0.8),
    ):
        want = expected(data, FindingQuery(**scope))
        got = [f.id for f in backend.list_findings(FindingQuery(limit=17, **scope))]
        while True:
            last = backend.get_finding(got[-1])
            page = backend.list_findings(
                FindingQuery(limit=17, offset=5, search_after=(last.risk, last.id), **scope)
            )
            if not page:
                break
            got += [f.id for f in page]
        assert len(got) == len(set(got)), "a finding appeared on two pages"
        assert got == want and want, scope


@pytest.mark.parametrize("buckets", [1000, 1], ids=["one-page", "a-bucket-per-request"])
def test_counts_by_status_owner_and_signal_kind_within_a_scope(backend, buckets, monkeypatch):
    import store.elastic.findings

    # one bucket per request: composite pages and signal-kind partitions must still add up
    monkeypatch.setattr(store.elastic.findings, "BUCKETS", buckets)
    data = records()
    load(backend, data)
    for owners in (None, ("Puma",), ("Nike", "Acme")):
        for filters in ({}, SINGLE_FILTERS["risk_range"], SINGLE_FILTERS["signal_kind"]):
            q = FindingQuery(owners=owners, **filters)
            for by in ("status", "owner", "signal_kind", "asset"):
                assert backend.count_findings(by, q) == expected_counts(data, by, q), (
                    by,
                    owners,
                    filters,
                )
    scoped = backend.count_findings("owner", FindingQuery(owners=("Puma", "Ghost")))
    assert scoped == {"Puma": 20}


@pytest.mark.parametrize("rare_below", [2000, 1], ids=["rare-kind-plan", "common-kind-plan"])
def test_signal_kind_matches_a_finding_with_several_signals_once(backend, rare_below, monkeypatch):
    import store.sqlite.findings

    monkeypatch.setattr(store.sqlite.findings, "RARE_KIND", rare_below)  # both SQLite plans
    backend.upsert_finding(finding("F-1", 0.9, signals=signals("text", "image", "text")))
    backend.upsert_finding(finding("F-2", 0.8, signals=signals("image")))
    backend.upsert_finding(finding("F-3", 0.7, signals=[]))
    assert listed(backend, FindingQuery(signal_kind="text")) == ["F-1"]
    assert listed(backend, FindingQuery(signal_kind="image")) == ["F-1", "F-2"]
    assert listed(backend, FindingQuery(signal_kind="TEXT")) == []  # exact kind
    assert listed(backend, FindingQuery(signal_kind="")) == []
    assert listed(backend, FindingQuery(signal_kind="x' OR '1'='1")) == []
    assert backend.count_findings("signal_kind", FindingQuery()) == {"text": 1, "image": 2}
    # a re-detected finding's kinds follow its new signals
    backend.upsert_finding(finding("F-1", 0.9, signals=signals("price")))
    assert listed(backend, FindingQuery(signal_kind="text")) == []
    assert listed(backend, FindingQuery(signal_kind="price")) == ["F-1"]
    assert backend.count_findings("signal_kind", FindingQuery()) == {"price": 1, "image": 1}


def test_risk_range_is_inclusive_and_first_seen_range_is_half_open(backend):
    backend.upsert_finding(finding("F-1", 0.3, created=T0))
    backend.upsert_finding(finding("F-2", 0.5, created=T0 + timedelta(days=1)))
    backend.upsert_finding(finding("F-3", 0.7, created=T0 + timedelta(days=2)))
    assert listed(backend, FindingQuery(risk_min=0.3, risk_max=0.5)) == ["F-2", "F-1"]
    assert listed(backend, FindingQuery(risk_min=0.5)) == ["F-3", "F-2"]
    assert listed(backend, FindingQuery(risk_max=0.29)) == []
    assert listed(backend, FindingQuery(risk_min=0.6, risk_max=0.4)) == []
    day = FindingQuery(created_from=T0 + timedelta(days=1), created_to=T0 + timedelta(days=2))
    assert listed(backend, day) == ["F-2"]
    assert listed(backend, FindingQuery(created_to=T0)) == []
    assert listed(backend, FindingQuery(created_to=T0 + timedelta(milliseconds=1))) == ["F-1"]
    # the same instant written in UTC+8 is the same bound
    plus8 = timezone(timedelta(hours=8))
    later = FindingQuery(created_from=(T0 + timedelta(days=2)).astimezone(plus8))
    assert listed(backend, later) == ["F-3"]
    assert backend.count_findings("day", day) == {"2024-05-02": 1}


def test_statuses_match_any_of_them_and_combine_with_status(backend):
    for i, status in enumerate(FindingStatus):
        backend.upsert_finding(finding(f"F-{i}", 0.9 - i / 10))
        if status is not FindingStatus.NEW:
            backend.set_status(f"F-{i}", status, actor="setup")
    queue = FindingQuery(statuses=(FindingStatus.NEW, FindingStatus.IN_REVIEW))
    assert listed(backend, queue) == ["F-0", "F-1"]
    assert listed(backend, FindingQuery(statuses=("confirmed",))) == ["F-2"]  # type: ignore[arg-type]
    assert listed(backend, FindingQuery(statuses=queue.statuses, status="new")) == ["F-0"]
    assert backend.count_findings("status", queue) == {"new": 1, "in_review": 1}
    assert backend.count_findings("status", FindingQuery()) == {s.value: 1 for s in FindingStatus}


def test_a_card_fetches_its_listings_findings_in_one_query_and_the_list_is_bounded(backend):
    backend.upsert_finding(finding("F-1", 0.9, listing_id="L-1", owner="Nike"))
    backend.upsert_finding(finding("F-2", 0.4, listing_id="L-1", asset_id="A-2", owner="Nike"))
    backend.upsert_finding(finding("F-3", 0.8, listing_id="L-1", asset_id="A-3", owner="Puma"))
    backend.upsert_finding(finding("F-4", 0.7, listing_id="L-2"))
    card = FindingQuery(listing_ids=("L-1",), owners=("Nike",))
    assert listed(backend, card) == ["F-1", "F-2"]
    many = tuple(f"L-{i}" for i in range(MAX_LISTING_IDS))
    assert listed(backend, FindingQuery(listing_ids=many)) == ["F-1", "F-3", "F-4", "F-2"]
    with pytest.raises(ValueError, match=f"at most {MAX_LISTING_IDS} per query"):
        backend.list_findings(FindingQuery(listing_ids=(*many, "L-x")))
    with pytest.raises(ValueError, match=f"at most {MAX_LISTING_IDS} per query"):
        backend.count_findings("owner", FindingQuery(listing_ids=(*many, "L-x")))


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (dict(risk_min=float("nan")), "risk_min must be a finite number"),
        (dict(risk_max="0.5"), "risk_max must be a finite number"),
        (dict(created_from=datetime(2024, 5, 1)), "created_from must be a timezone-aware"),
        (dict(created_to="2024-05-01"), "created_to must be a timezone-aware"),
        (dict(statuses=("new", "open")), "unknown status 'open'"),
        (dict(owners=("Nike", None)), "owners must hold strings only"),
    ],
)
def test_malformed_filters_are_refused_with_one_line_errors(backend, filters, message):
    backend.upsert_finding(finding("F-1", 0.5, created=datetime(2024, 5, 1, tzinfo=UTC)))
    with pytest.raises(ValueError, match=message) as error:
        backend.list_findings(FindingQuery(**filters))
    assert "\n" not in str(error.value)
    with pytest.raises(ValueError, match=message):
        backend.count_findings("status", FindingQuery(**filters))
