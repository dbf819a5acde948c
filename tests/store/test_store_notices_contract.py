"""Takedown notices and webhook deliveries, through the Protocol, on SQLite and OpenSearch."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from model.notices import (
    DeliveryStatus,
    NoticeFile,
    NoticeQuery,
    NoticeRecord,
    NoticeState,
    WebhookDelivery,
)
from store.exceptions import RecordConflictError, RecordNotFoundError
from tests.store import test_store_contract as contract

T0 = contract.T0
backend = contract.backend  # the contract suite's fixture: SQLite and a real OpenSearch node


def notice(i: str, owner: str = "Nike", minutes: int = 0, **kw) -> NoticeRecord:
    base = dict(
        id=i,
        owner=owner,
        marketplace="demo",
        template="generic",
        state=NoticeState.DRAFT,
        created=T0 + timedelta(minutes=minutes),
        updated=T0 + timedelta(minutes=minutes),
        created_by="ana",
        finding_ids=["F-1", "F-2"],
        urls=["http://127.0.0.1/1?a=<b>&c", "http://127.0.0.1/2"],
        evidence=[{"finding_id": "F-1", "snapshot_id": "S-1", "manifest_sha256": "ab" * 32}],
        files=[NoticeFile("N-1.txt", "cd" * 32, 120, "text/plain; charset=utf-8")],
        sha256="ef" * 32,
    )
    base.update(kw)
    return NoticeRecord(**base)


def test_a_notice_round_trips_whole(backend):
    stored = notice("N-1")
    backend.add_notice(stored)
    got = backend.get_notice("N-1")
    assert got is not None and got.revision
    assert replace(got, revision=None) == stored
    assert backend.get_notice("N-none") is None
    assert backend.get_notice("") is None


def test_a_stored_notice_is_never_rewritten(backend):
    backend.add_notice(notice("N-1"))
    with pytest.raises(RecordConflictError, match="never rewritten"):
        backend.add_notice(notice("N-1", template="ebay-vero"))
    assert backend.get_notice("N-1").template == "generic"


def test_notices_list_newest_first_within_the_owners_scope(backend):
    backend.add_notice(notice("N-a", "Nike", 1))
    backend.add_notice(notice("N-b", "Puma", 2))
    backend.add_notice(notice("N-c", "Nike", 3, marketplace="ebay"))
    ids = lambda q: [n.id for n in backend.list_notices(q)]  # noqa: E731
    assert ids(NoticeQuery()) == ["N-c", "N-b", "N-a"]
    assert ids(NoticeQuery(owners=("Nike",))) == ["N-c", "N-a"]
    assert ids(NoticeQuery(owners=())) == []  # a user tied to no owner sees nothing
    assert ids(NoticeQuery(owners=("Acme",))) == []
    assert ids(NoticeQuery(marketplace="ebay")) == ["N-c"]
    assert ids(NoticeQuery(limit=1)) == ["N-c"]
    backend.set_notice_state("N-a", NoticeState.SENT, "ana")
    assert ids(NoticeQuery(state=NoticeState.SENT)) == ["N-a"]
    assert ids(NoticeQuery(state=NoticeState.DRAFT, owners=("Puma",))) == ["N-b"]


def test_a_state_change_is_compare_and_set_and_leaves_an_event(backend):
    backend.add_notice(notice("N-1"))
    before = backend.get_notice("N-1")
    event = backend.set_notice_state(
        "N-1", NoticeState.SENT, "ana", "filed", expected_revision=before.revision
    )
    assert (event.from_state, event.to_state, event.actor) == ("draft", "sent", "ana")
    after = backend.get_notice("N-1")
    assert after.state == NoticeState.SENT and after.revision != before.revision
    assert after.updated > before.updated
    # a second person who loaded the draft cannot move it too
    with pytest.raises(RecordConflictError):
        backend.set_notice_state(
            "N-1", NoticeState.REJECTED, "bob", "late", expected_revision=before.revision
        )
    backend.set_notice_state("N-1", NoticeState.REJECTED, "bob", "no right shown")
    events = backend.list_notice_events("N-1")
    assert [(e.from_state, e.to_state, e.actor, e.reason) for e in events] == [
        ("draft", "sent", "ana", "filed"),
        ("sent", "rejected", "bob", "no right shown"),
    ]
    assert events[0].at < events[1].at
    assert backend.list_notice_events("N-2") == []


def test_a_state_change_of_a_missing_notice_is_not_found(backend):
    with pytest.raises(RecordNotFoundError):
        backend.set_notice_state("N-none", NoticeState.SENT, "ana")


def test_webhook_deliveries_are_kept_and_updated_in_place(backend):
    first = WebhookDelivery(
        id="D-1",
        event="notice.state",
        target="http://127.0.0.1:9/hook",
        created=T0,
        status=DeliveryStatus.FAILED,
        attempts=1,
        body='{"event": "notice.state", "x": "=cmd|"}',
        error="connection refused",
    )
    backend.put_delivery(first)
    second = replace(first, id="D-2", created=T0 + timedelta(minutes=1))
    backend.put_delivery(second)
    done = replace(
        first,
        attempts=3,
        status=DeliveryStatus.DELIVERED,
        response_status=204,
        error="",
        finished=T0 + timedelta(minutes=2),
    )
    backend.put_delivery(done)
    assert backend.list_deliveries() == [second, done]
    assert backend.list_deliveries(limit=1) == [second]
