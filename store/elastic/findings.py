"""Findings on the cluster: upserts, filtered lists and counts, review status and its events."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from model import FindingStatus
from store.elastic import queries
from store.elastic.documents import event_from, finding_doc, finding_from, ts
from store.elastic.writes import SpooledWrites
from store.exceptions import IndexUnavailableError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from model import CountBy, FindingQuery, FindingRecord, ReviewEvent

BUCKETS = 1000  # composite-aggregation buckets per page when counting findings


class ElasticFindings(SpooledWrites):
    """Findings and their review; a status change checked against a revision never spools."""

    def upsert_finding(self, finding: FindingRecord) -> bool:
        doc = self._with_seller(finding_doc(finding), finding.seller)
        return bool(self._write("finding", doc, finding.id, False))

    def bulk_upsert_findings(self, findings: Sequence[FindingRecord]) -> list[bool]:
        """Many finding upserts in few requests; True where the finding was new."""
        return self._bulk(
            "finding", [self._with_seller(finding_doc(x), x.seller) for x in findings], False
        )

    def get_finding(self, finding_id: str) -> FindingRecord | None:
        hit = self._get("findings", finding_id)
        return None if hit is None else self._findings([hit])[0]

    def _findings(self, hits: list[dict[str, Any]]) -> list[FindingRecord]:
        sellers = self._sellers(h["_source"].get("seller_key") for h in hits)
        return [finding_from(h, sellers.get(h["_source"].get("seller_key"))) for h in hits]

    def list_findings(self, query: FindingQuery) -> list[FindingRecord]:
        if query.limit < 0 or query.offset < 0:
            raise ValueError("limit and offset must be zero or more")
        after = list(query.search_after) if query.search_after is not None else None
        hits = self._scan(
            "findings",
            self._finding_filter(query),
            queries.FINDING_SORT,
            after=after,
            skip=0 if after is not None else query.offset,
            limit=query.limit,
            seq_no=True,
        )
        return self._findings(list(hits))

    def _finding_filter(self, query: FindingQuery) -> dict[str, Any]:
        keys = None if query.seller is None else self._seller_keys(query.seller)
        return queries.finding_filter(query, keys)

    def count_findings(self, by: CountBy, query: FindingQuery) -> dict[str, int]:
        queries.check_count(by)
        keys = None if query.seller is None else self._seller_keys(query.seller)
        if by in queries.NESTED_COUNTS:
            return self._count_nested(by, query, keys)
        counts: dict[str, int] = {}
        after: dict[str, Any] | None = None
        while True:
            body = queries.count_body(by, query, after, BUCKETS, keys)
            agg = self._search("findings", body)["aggregations"]["counts"]
            for bucket in agg["buckets"]:
                counts[queries.bucket_key(bucket["key"]["key"])] = int(bucket["doc_count"])
            after = agg.get("after_key")
            if after is None or not agg["buckets"]:
                break
        if by != "seller":
            return counts
        # Buckets are seller keys; count per marketplace seller id, as SQLite does.
        sellers = self._sellers(counts)
        by_id: dict[str, int] = {}
        for key, n in counts.items():
            seller = sellers.get(key)
            name = (seller.id if seller is not None else None) or ""
            by_id[name] = by_id.get(name, 0) + n
        return by_id

    def _count_nested(
        self, by: CountBy, query: FindingQuery, keys: list[str] | None
    ) -> dict[str, int]:
        """Exact per-value counts: one shard answers each terms bucket exactly, and when the
        values outnumber BUCKETS they are split into partitions until each one fits."""
        parts = 1
        while True:
            counts: dict[str, int] = {}
            for part in range(parts):
                partition = None if parts == 1 else (part, parts)
                body = queries.nested_count_body(by, query, BUCKETS, partition, keys)
                agg = self._search("findings", body)["aggregations"]["nested"]["counts"]
                if agg.get("sum_other_doc_count", 0):
                    break
                for bucket in agg["buckets"]:
                    counts[str(bucket["key"])] = int(bucket["findings"]["doc_count"])
            else:
                return counts
            parts *= 2

    def set_status(
        self,
        finding_id: str,
        status: FindingStatus,
        actor: str,
        reason: str = "",
        expected_revision: str | None = None,
    ) -> None:
        op = {
            "finding_id": finding_id,
            "to_status": FindingStatus(status).value,
            "actor": actor,
            "reason": reason,
            "at": ts(self._clock()),
            "event_id": uuid.uuid4().hex,  # replaying the op rewrites the same event
            "expected_revision": expected_revision,
        }
        if expected_revision is None:
            self._write("status", op, finding_id, None)
            return
        # A revision can only be checked against the cluster: never spool a conditional change.
        if self._must_queue("status", finding_id):
            raise IndexUnavailableError(
                f"cannot check revision {expected_revision} of finding {finding_id}: the index "
                f"cluster at {self.adapter.settings.host} is unavailable or writes to this "
                "finding are still spooled; retry once `ipwatch index flush` succeeds"
            )
        self._ensure()
        event = self._ops.apply("status", op)
        self._dirty.add("findings")
        self._write("event", event, event["id"], None)

    def list_events(self, finding_id: str) -> list[ReviewEvent]:
        query = {"term": {"finding_id": finding_id}}
        return [event_from(h["_source"]) for h in self._scan("events", query, queries.EVENT_SORT)]
