"""Each write as a replayable op: the live path and spool replay run exactly this code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from model import FindingStatus, ListingChange
from store.elastic.bulk import BulkItem, BulkResult
from store.elastic.documents import (
    finding_update,
    link_update,
    listing_update,
    parse_revision,
    revision,
    seller_update,
    split_seller,
)
from store.elastic.templates import alias_name
from store.exceptions import RecordConflictError, RecordNotFoundError

if TYPE_CHECKING:
    from store.elastic.client import Adapter
    from store.elastic.templates import Kind

# Op kind -> the index kind it writes (its doc_key namespace, and what to refresh before reads).
OP_TARGET: dict[str, Kind] = {
    "seller": "sellers",
    "listing": "listings",
    "finding": "findings",
    "snapshot": "snapshots",
    "status": "findings",
    "event": "events",
    "start_run": "runs",
    "finish_run": "runs",
}
BULKABLE = frozenset({"seller", "listing", "finding"})
STATUS_RETRIES = 5
UPDATES = {"seller": seller_update, "listing": listing_update, "finding": finding_update}


def doc_key(kind: str, doc_id: str) -> str:
    return f"{OP_TARGET[kind]}/{doc_id}"


def listing_change(response: dict[str, Any]) -> ListingChange:
    """Read NEW/CHANGED/UNCHANGED from an update answer (see documents.LISTING_SCRIPT)."""
    result = response.get("result")
    if result == "created":
        return ListingChange.NEW
    if result == "noop":
        return ListingChange.UNCHANGED
    source = response.get("get", {}).get("_source", {})
    return ListingChange(source.get("last_change", "changed"))


LISTING_STATE = ["content_hash", "first_seen"]


def guarded_listing_item(
    index: str, doc: dict[str, Any], known: dict[str, Any]
) -> tuple[BulkItem, ListingChange]:
    """A plain bulk write of a listing whose stored state (from a multi-get) is ``known``.

    New documents are ``create``d (fails if someone created it meanwhile); stored ones are
    re-``index``ed only if still at the version read, keeping ``first_seen``.
    """
    if not known.get("found"):
        action = {"create": {"_index": index, "_id": doc["id"]}}
        return BulkItem(action=action, body={**doc, "last_change": "new"}), ListingChange.NEW
    source = known.get("_source", {})
    same = source.get("content_hash") == doc["content_hash"]
    change = ListingChange.UNCHANGED if same else ListingChange.CHANGED
    action = {
        "index": {
            "_index": index,
            "_id": doc["id"],
            "if_seq_no": known["_seq_no"],
            "if_primary_term": known["_primary_term"],
        }
    }
    body = {
        **doc,
        "first_seen": source.get("first_seen", doc["first_seen"]),
        "last_change": change.value,
    }
    return BulkItem(action=action, body=body), change


class Ops:
    """Apply ops to the cluster through the adapter; raise our exceptions on failure."""

    def __init__(self, adapter: Adapter, prefix: str) -> None:
        self.adapter = adapter
        self.prefix = prefix

    def alias(self, kind: Kind) -> str:
        return alias_name(self.prefix, kind)

    def bulk_item(self, kind: str, payload: dict[str, Any]) -> BulkItem:
        """The bulk form of a seller, listing or finding upsert (same body as the single one)."""
        payload = split_seller(payload)[0]  # the seller went first (Ops.sellers_item)
        body = UPDATES[kind](payload)
        doc_id = payload["key"] if kind == "seller" else payload["id"]
        action: dict[str, Any] = {"update": {"_index": self.alias(OP_TARGET[kind]), "_id": doc_id}}
        if kind == "seller":  # many listings of one seller may be written at once
            action["update"]["retry_on_conflict"] = 5
        return BulkItem(action=action, body=body)

    @staticmethod
    def bulk_outcome(kind: str, result: BulkResult) -> ListingChange | bool:
        if kind == "listing":
            return listing_change(result.response)
        return result.response.get("result") == "created"

    def apply(self, kind: str, payload: dict[str, Any], *, replay: bool = False) -> Any:
        return getattr(self, f"_{kind}")(payload, replay)

    def _seller(self, doc: dict[str, Any], replay: bool) -> None:
        self.adapter.update(
            self.alias("sellers"), doc["key"], seller_update(doc), retry_on_conflict=5
        )

    def _listing(self, doc: dict[str, Any], replay: bool) -> ListingChange:
        doc, seller = split_seller(doc)
        if seller is not None:
            self._seller(seller, replay)
        answer = self.adapter.update(self.alias("listings"), doc["id"], listing_update(doc))
        return listing_change(answer)

    def _finding(self, doc: dict[str, Any], replay: bool) -> bool:
        doc, seller = split_seller(doc)
        if seller is not None:
            self._seller(seller, replay)
        answer = self.adapter.update(self.alias("findings"), doc["id"], finding_update(doc))
        return answer.get("result") == "created"

    def _snapshot(self, doc: dict[str, Any], replay: bool) -> None:
        """Create once; an identical copy is fine, different content is a conflict."""
        index = self.alias("snapshots")
        try:
            self.adapter.index(index, doc["id"], doc, op_type="create")
        except RecordConflictError:
            stored = self.adapter.get(index, doc["id"])
            if stored is None or stored["_source"] != doc:
                raise RecordConflictError(
                    f"snapshot {doc['id']} is already indexed with other content; sealed "
                    "evidence is never rewritten: seal a new snapshot instead"
                ) from None
        # Link every time (idempotent), so a crash between create and link heals on replay.
        for finding_id in doc["finding_ids"]:
            try:
                self.adapter.update(
                    self.alias("findings"), finding_id, link_update(doc["id"]), retry_on_conflict=5
                )
            except RecordNotFoundError:
                continue  # the finding is not indexed (yet): nothing to link, as in SQLite

    def _status(self, op: dict[str, Any], replay: bool) -> dict[str, Any]:
        """Compare-and-set on (seq_no, primary_term); returns the audit event to store."""
        index = self.alias("findings")
        expected = op.get("expected_revision")
        for _ in range(STATUS_RETRIES):
            hit = self.adapter.get(index, op["finding_id"])
            if hit is None:
                raise RecordNotFoundError(
                    f"no finding {op['finding_id']}; list ids with `ipwatch findings list`"
                )
            current = revision(hit["_seq_no"], hit["_primary_term"])
            if expected is not None and current != expected:
                parse_revision(expected)  # a malformed token is a ValueError, not a conflict
                raise self._conflict(op["finding_id"])
            try:
                answer = self.adapter.update(
                    index,
                    op["finding_id"],
                    {"doc": {"status": op["to_status"], "updated": op["at"]}},
                    if_seq_no=hit["_seq_no"],
                    if_primary_term=hit["_primary_term"],
                )
            except RecordConflictError:
                if expected is not None:
                    raise self._conflict(op["finding_id"]) from None
                continue  # last writer wins: re-read and try again
            return {
                "id": op["event_id"],
                "finding_id": op["finding_id"],
                "at": op["at"],
                "seq": answer["_seq_no"],
                "actor": op["actor"],
                "from_status": FindingStatus(hit["_source"]["status"]).value,
                "to_status": op["to_status"],
                "reason": op["reason"],
            }
        raise self._conflict(op["finding_id"])

    @staticmethod
    def _conflict(finding_id: str) -> RecordConflictError:
        return RecordConflictError(
            f"finding {finding_id} changed since you loaded it; reload it and decide again"
        )

    def _event(self, doc: dict[str, Any], replay: bool) -> None:
        self.adapter.index(self.alias("events"), doc["id"], doc)

    def _start_run(self, doc: dict[str, Any], replay: bool) -> None:
        index = self.alias("runs")
        try:
            self.adapter.index(index, doc["id"], doc, op_type="create")
        except RecordConflictError:
            stored = self.adapter.get(index, doc["id"])
            if replay and stored is not None and stored["_source"] == doc:
                return  # our own earlier attempt reached the cluster before the ack was lost
            raise RecordConflictError(
                f"crawl run {doc['id']} was already started; give each run a new id"
            ) from None

    def _finish_run(self, doc: dict[str, Any], replay: bool) -> None:
        try:
            self.adapter.update(self.alias("runs"), doc["id"], {"doc": doc})
        except RecordNotFoundError:
            raise RecordNotFoundError(f"no crawl run {doc['id']}; call start_run first") from None
