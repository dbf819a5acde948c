"""Takedown notices, their state events and webhook deliveries on the cluster.

These writes go live or fail: a notice's state is compare-and-set on (seq_no, primary_term),
which only the cluster can check, so nothing here waits in the spool (as with a review
decision made against a revision).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from model.notices import (
    NoticeEvent,
    NoticeFile,
    NoticeRecord,
    NoticeState,
    delivery_from_json,
    delivery_json,
)
from store.elastic.base import ElasticBase
from store.elastic.documents import dt, parse_revision, revision, ts
from store.elastic.queries import EVENT_SORT
from store.exceptions import RecordConflictError, RecordNotFoundError

if TYPE_CHECKING:
    from model.notices import NoticeQuery, WebhookDelivery

NOTICE_SORT: list[dict[str, Any]] = [{"created": "desc"}, {"id": "asc"}]
DELIVERY_SORT: list[dict[str, Any]] = [{"created": "desc"}, {"id": "desc"}]
STATE_RETRIES = 5


def notice_doc(notice: NoticeRecord) -> dict[str, Any]:
    doc = notice.to_dict()
    doc.pop("revision", None)
    doc.update(created=ts(notice.created), updated=ts(notice.updated))
    return doc


def notice_from(hit: dict[str, Any]) -> NoticeRecord:
    src = dict(hit["_source"])
    created, updated = dt(src.pop("created")), dt(src.pop("updated"))
    assert created is not None and updated is not None
    return NoticeRecord(
        **{
            **src,
            "created": created,
            "updated": updated,
            "state": NoticeState(src["state"]),
            "files": [NoticeFile(**f) for f in src.get("files", [])],
            "revision": revision(hit["_seq_no"], hit["_primary_term"]),
        }
    )


def _event_from(src: dict[str, Any]) -> NoticeEvent:
    at = dt(src["at"])
    assert at is not None
    return NoticeEvent(
        src["notice_id"],
        at,
        src["actor"],
        NoticeState(src["from_state"]),
        NoticeState(src["to_state"]),
        src["reason"],
    )


class ElasticNotices(ElasticBase):
    """Notices and webhook deliveries; mixed into ``ElasticStore``."""

    def add_notice(self, notice: NoticeRecord) -> None:
        self._ensure()
        try:
            self.adapter.index(
                self._ops.alias("notices"), notice.id, notice_doc(notice), op_type="create"
            )
        except RecordConflictError:
            raise RecordConflictError(
                f"notice {notice.id} is already stored; a notice is never rewritten"
            ) from None
        self._dirty.add("notices")

    def get_notice(self, notice_id: str) -> NoticeRecord | None:
        hit = self._get("notices", notice_id)
        return None if hit is None else notice_from(hit)

    def list_notices(self, query: NoticeQuery) -> list[NoticeRecord]:
        if query.owners is not None and not query.owners:
            return []
        filters: list[dict[str, Any]] = []
        if query.owners is not None:
            filters.append({"terms": {"owner": list(query.owners)}})
        if query.state is not None:
            filters.append({"term": {"state": NoticeState(query.state).value}})
        if query.marketplace is not None:
            filters.append({"term": {"marketplace": query.marketplace}})
        hits = self._scan(
            "notices",
            {"bool": {"filter": filters}},
            NOTICE_SORT,
            limit=max(query.limit, 0),
            seq_no=True,
        )
        return [notice_from(h) for h in hits]

    def set_notice_state(
        self,
        notice_id: str,
        state: NoticeState,
        actor: str,
        reason: str = "",
        expected_revision: str | None = None,
    ) -> NoticeEvent:
        self._ensure()
        index = self._ops.alias("notices")
        to_state = NoticeState(state)
        at = self._clock()
        for _ in range(STATE_RETRIES):
            hit = self._get("notices", notice_id)
            if hit is None:
                raise RecordNotFoundError(f"no notice {notice_id}; `ipwatch notices list`")
            current = revision(hit["_seq_no"], hit["_primary_term"])
            if expected_revision is not None and current != expected_revision:
                parse_revision(expected_revision)  # malformed: ValueError, not a conflict
                raise RecordConflictError(
                    f"notice {notice_id} changed since revision {expected_revision}; reload it"
                )
            try:
                answer = self.adapter.update(
                    index,
                    notice_id,
                    {"doc": {"state": to_state.value, "updated": ts(at)}},
                    if_seq_no=hit["_seq_no"],
                    if_primary_term=hit["_primary_term"],
                )
            except RecordConflictError:
                if expected_revision is not None:
                    raise RecordConflictError(
                        f"notice {notice_id} changed since revision {expected_revision}; reload it"
                    ) from None
                continue
            from_state = NoticeState(hit["_source"]["state"])
            event = {
                "id": uuid.uuid4().hex,
                "notice_id": notice_id,
                "at": ts(at),
                "seq": answer["_seq_no"],
                "actor": actor,
                "from_state": from_state.value,
                "to_state": to_state.value,
                "reason": reason,
            }
            self.adapter.index(self._ops.alias("notice_events"), event["id"], event)
            self._dirty.update(("notices", "notice_events"))
            return NoticeEvent(notice_id, at, actor, from_state, to_state, reason)
        raise RecordConflictError(f"notice {notice_id} kept changing; try again")

    def list_notice_events(self, notice_id: str) -> list[NoticeEvent]:
        query = {"term": {"notice_id": notice_id}}
        return [_event_from(h["_source"]) for h in self._scan("notice_events", query, EVENT_SORT)]

    def put_delivery(self, delivery: WebhookDelivery) -> None:
        self._ensure()
        self.adapter.index(self._ops.alias("deliveries"), delivery.id, delivery_json(delivery))
        self._dirty.add("deliveries")

    def list_deliveries(self, limit: int = 100) -> list[WebhookDelivery]:
        hits = self._scan("deliveries", {"match_all": {}}, DELIVERY_SORT, limit=max(limit, 0))
        return [delivery_from_json(h["_source"]) for h in hits]
