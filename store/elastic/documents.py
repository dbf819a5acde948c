"""Index records as JSON documents and back; times as fixed-width ISO UTC, like the SQLite rows."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from evidence.index.records import (
    AuditEventRecord,
    CrawlRunRecord,
    FindingRecord,
    FindingStatus,
    ListingRecord,
    SnapshotRecord,
)


def ts(moment: datetime) -> str:
    """Microsecond UTC text; the cluster's date type reads it, _source keeps it exact."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()} is ambiguous; pass datetime.now(UTC) or similar"
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def seller_key(name: str | None) -> str | None:
    """Case-insensitive seller name match, the same folding the SQLite backend uses."""
    return name.casefold().strip() if name else None


def _plain(value: Any) -> Any:
    """JSON-safe copy (datetimes and other odd values in free-form dicts become strings)."""
    return json.loads(json.dumps(value, default=str))


def _shallow(record: Any) -> dict[str, Any]:
    """A record's fields as a dict; ``dataclasses.asdict`` deep-copies every value, which was
    the largest cost of bulk indexing. Free-form nested values still go through ``_plain``."""
    return {
        f.name: list(value) if isinstance(value := getattr(record, f.name), list) else value
        for f in fields(record)
    }


def listing_doc(listing: ListingRecord) -> dict[str, Any]:
    doc = _shallow(listing)
    doc.update(
        first_seen=ts(listing.first_seen),
        last_seen=ts(listing.last_seen),
        data=_plain(listing.data),
    )
    return doc


def listing_from(source: dict[str, Any]) -> ListingRecord:
    values = {k: v for k, v in source.items() if k != "last_change"}
    values.update(first_seen=dt(source["first_seen"]), last_seen=dt(source["last_seen"]))
    return ListingRecord(**values)


def finding_doc(finding: FindingRecord) -> dict[str, Any]:
    doc = _shallow(finding)
    doc.pop("revision")
    doc.update(
        risk=float(finding.risk),
        flagged=bool(finding.flagged),
        signals=_plain(finding.signals),
        created=ts(finding.created),
        updated=ts(finding.updated),
        status=FindingStatus(finding.status).value,
        seller_key=seller_key(finding.seller_name),
    )
    return doc


def revision(seq_no: int, primary_term: int) -> str:
    """The opaque revision token: changes on every write of the document."""
    return f"{seq_no}:{primary_term}"


def parse_revision(text: str) -> tuple[int, int]:
    seq, _, term = text.partition(":")
    if not (seq.isdigit() and term.isdigit()):
        raise ValueError(f"revision {text!r} is not one this index handed out; reload the finding")
    return int(seq), int(term)


def finding_from(hit: dict[str, Any]) -> FindingRecord:
    """From a get or search hit carrying ``_seq_no``/``_primary_term``."""
    values = dict(hit["_source"])
    values.pop("seller_key", None)
    values.update(
        created=dt(values["created"]),
        updated=dt(values["updated"]),
        status=FindingStatus(values["status"]),
        revision=revision(hit["_seq_no"], hit["_primary_term"]),
    )
    return FindingRecord(**values)


def snapshot_doc(snapshot: SnapshotRecord) -> dict[str, Any]:
    doc = _shallow(snapshot)
    doc.update(captured_at=ts(snapshot.captured_at), artifacts=_plain(snapshot.artifacts))
    return doc


def snapshot_from(source: dict[str, Any]) -> SnapshotRecord:
    values = dict(source)
    values["captured_at"] = dt(values["captured_at"])
    return SnapshotRecord(**values)


def run_doc(run: CrawlRunRecord) -> dict[str, Any]:
    doc = _shallow(run)
    doc.update(
        started=ts(run.started),
        finished=ts(run.finished) if run.finished else None,
        counters=_plain(run.counters),
    )
    return doc


def run_from(source: dict[str, Any]) -> CrawlRunRecord:
    values = dict(source)
    values.update(started=dt(values["started"]), finished=dt(values.get("finished")))
    return CrawlRunRecord(**values)


def event_from(source: dict[str, Any]) -> AuditEventRecord:
    return AuditEventRecord(
        finding_id=source["finding_id"],
        at=dt(source["at"]),  # type: ignore[arg-type]
        actor=source["actor"],
        from_status=FindingStatus(source["from_status"]),
        to_status=FindingStatus(source["to_status"]),
        reason=source.get("reason", ""),
    )


# Painless scripts. Each replaces the stored document with the new one in the same request,
# keeping what the index owns, so a re-crawl is one round trip and never a read-then-write race.

# Listings keep first_seen; `last_change` records whether content_hash moved, and the update
# returns it (``_source: ["last_change"]``), so the caller learns CHANGED/UNCHANGED from the
# same request. last_seen always moves forward, so an unchanged re-crawl is still a write; only
# a byte-identical replay is a no-op.
LISTING_SCRIPT = """
Map doc = new HashMap(params.doc);
if (ctx.op == 'create') { doc.last_change = 'new'; ctx._source.putAll(doc); return; }
doc.first_seen = ctx._source.first_seen;
doc.last_change = ctx._source.content_hash == doc.content_hash ? 'unchanged' : 'changed';
if (doc.equals(ctx._source)) { ctx.op = 'none'; }
else { ctx._source.clear(); ctx._source.putAll(doc); }
"""

# Findings keep the reviewer's status, the first detection time and linked snapshots. No noop:
# every upsert moves the revision, as the contract requires.
FINDING_SCRIPT = """
Map doc = new HashMap(params.doc);
doc.status = ctx._source.status;
doc.created = ctx._source.created;
doc.snapshot_ids = ctx._source.snapshot_ids;
ctx._source.clear(); ctx._source.putAll(doc);
"""

LINK_SNAPSHOT_SCRIPT = """
if (ctx._source.snapshot_ids == null) { ctx._source.snapshot_ids = new ArrayList(); }
if (ctx._source.snapshot_ids.contains(params.id)) { ctx.op = 'none'; }
else { ctx._source.snapshot_ids.add(params.id); }
"""


def listing_update(doc: dict[str, Any]) -> dict[str, Any]:
    """Update body: LISTING_SCRIPT inserts as NEW or compares with the stored copy.

    A scripted upsert sends the document once instead of twice (script params + upsert body).
    """
    return {
        "scripted_upsert": True,
        "script": {"source": LISTING_SCRIPT, "lang": "painless", "params": {"doc": doc}},
        "upsert": {},
        "_source": ["last_change"],
    }


def finding_update(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "script": {"source": FINDING_SCRIPT, "lang": "painless", "params": {"doc": doc}},
        "upsert": doc,
    }


def link_update(snapshot_id: str) -> dict[str, Any]:
    return {
        "script": {
            "source": LINK_SNAPSHOT_SCRIPT,
            "lang": "painless",
            "params": {"id": snapshot_id},
        }
    }
