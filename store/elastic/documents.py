"""Index records as JSON documents and back; times as fixed-width ISO UTC, like the SQLite rows."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from model import (
    CrawlRun,
    FindingRecord,
    FindingStatus,
    ListingRecord,
    ReviewEvent,
    Seller,
    SnapshotRef,
)
from model.sellers import fold_name, normalise_contacts


def ts(moment: datetime) -> str:
    """Microsecond UTC text; the cluster's date type reads it, _source keeps it exact."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()} is ambiguous; pass datetime.now(UTC) or similar"
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


SELLER_FIELDS = ["key", "marketplace", "id", "name", "url", "contacts", "first_seen", "last_seen"]
# A listing or finding write carries its seller's document under this key, so the two travel
# (and wait in the spool) as one op; the seller is written first, into the sellers index.
WITH_SELLER = "_seller"
LEGACY_SELLER = ("seller_id", "seller_name", "seller_url")  # mapping v1 copied these


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
    del doc["seller"]  # stored once, in the sellers index; the listing keeps its key
    doc.update(
        first_seen=ts(listing.first_seen),
        last_seen=ts(listing.last_seen),
        data=_plain(listing.data),
    )
    return doc


def legacy_seller(values: dict[str, Any]) -> Seller | None:
    """The seller a mapping v1 document copied (removed from ``values``); None when none."""
    ident, name, url = (values.pop(k, None) for k in LEGACY_SELLER)
    if not (ident or name or url):
        return None
    contacts = normalise_contacts({"store_url": url})
    return Seller(ident, name, url, marketplace=values["marketplace"], contacts=contacts)


def listing_from(source: dict[str, Any], seller: Seller | None = None) -> ListingRecord:
    values = {k: v for k, v in source.items() if k != "last_change"}
    old = legacy_seller(values)
    values.update(
        first_seen=dt(source["first_seen"]),
        last_seen=dt(source["last_seen"]),
        seller=seller or old,
        seller_key=values.get("seller_key") or (old.key if old else None),
    )
    return ListingRecord(**values)


def finding_doc(finding: FindingRecord) -> dict[str, Any]:
    doc = _shallow(finding)
    doc.pop("revision")
    del doc["seller"]
    doc.update(
        risk=float(finding.risk),
        flagged=bool(finding.flagged),
        signals=_plain(finding.signals),
        created=ts(finding.created),
        updated=ts(finding.updated),
        status=FindingStatus(finding.status).value,
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


def finding_from(hit: dict[str, Any], seller: Seller | None = None) -> FindingRecord:
    """From a get or search hit carrying ``_seq_no``/``_primary_term``."""
    values = dict(hit["_source"])
    old = legacy_seller(values)
    if old is not None:  # mapping v1: seller_key was the folded name
        values["seller_key"] = old.key
    values.update(
        seller=seller or old,
        created=dt(values["created"]),
        updated=dt(values["updated"]),
        status=FindingStatus(values["status"]),
        revision=revision(hit["_seq_no"], hit["_primary_term"]),
    )
    return FindingRecord(**values)


def seller_doc(seller: Seller) -> dict[str, Any]:
    return {
        "key": seller.key,
        "marketplace": seller.marketplace,
        "id": seller.id,
        "name": seller.name,
        "name_folded": fold_name(seller.name),
        "url": seller.url,
        "contacts": dict(seller.contacts),
        "first_seen": ts(seller.first_seen) if seller.first_seen else None,
        "last_seen": ts(seller.last_seen) if seller.last_seen else None,
    }


def with_seller(doc: dict[str, Any], seller: Seller | None) -> dict[str, Any]:
    if seller is not None:
        doc[WITH_SELLER] = seller_doc(seller)
    return doc


def split_seller(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The record's own document and the seller document it carries (None when none)."""
    if WITH_SELLER not in doc:
        return doc, None
    own = {k: v for k, v in doc.items() if k != WITH_SELLER}
    return own, doc[WITH_SELLER]


def seller_from(source: dict[str, Any]) -> Seller:
    return Seller(
        id=source.get("id"),
        name=source.get("name"),
        url=source.get("url"),
        marketplace=source["marketplace"],
        contacts=dict(source.get("contacts") or {}),
        first_seen=dt(source.get("first_seen")),
        last_seen=dt(source.get("last_seen")),
    )


def upgrade_v1(kind: str, source: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A listing or finding document of mapping v1 in the v2 shape, and its seller's document.

    v1 documents always carry the copied seller fields (``None`` when absent); v2 ones never
    do and come back unchanged, with no seller to backfill.
    """
    if not any(k in source for k in LEGACY_SELLER):
        return source, None
    doc = dict(source)
    seller = legacy_seller(doc)
    doc["seller_key"] = seller.key if seller is not None else None  # v1 findings: folded name
    if seller is None:
        return doc, None
    first, last = ("created", "updated") if kind == "findings" else ("first_seen", "last_seen")
    sdoc = seller_doc(seller)
    sdoc.update(first_seen=doc.get(first), last_seen=doc.get(last))
    return doc, sdoc


def snapshot_doc(snapshot: SnapshotRef) -> dict[str, Any]:
    doc = _shallow(snapshot)
    doc.update(captured_at=ts(snapshot.captured_at), artifacts=_plain(snapshot.artifacts))
    return doc


def snapshot_from(source: dict[str, Any]) -> SnapshotRef:
    values = dict(source)
    values["captured_at"] = dt(values["captured_at"])
    return SnapshotRef(**values)


def run_doc(run: CrawlRun) -> dict[str, Any]:
    doc = _shallow(run)
    doc.update(
        started=ts(run.started),
        finished=ts(run.finished) if run.finished else None,
        counters=_plain(run.counters),
    )
    return doc


def run_from(source: dict[str, Any]) -> CrawlRun:
    values = dict(source)
    values.update(started=dt(values["started"]), finished=dt(values.get("finished")))
    return CrawlRun(**values)


def event_from(source: dict[str, Any]) -> ReviewEvent:
    return ReviewEvent(
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

# Sellers keep what is known (id, name, URL), merge contacts and widen first/last seen.
SELLER_SCRIPT = """
Map doc = new HashMap(params.doc);
if (ctx.op == 'create') { ctx._source.putAll(doc); return; }
Map old = ctx._source;
for (String f : ['id', 'name', 'name_folded', 'url']) {
  if (doc.get(f) == null) { doc.put(f, old.get(f)); }
}
Map contacts = new HashMap();
if (old.contacts != null) { contacts.putAll(old.contacts); }
if (doc.contacts != null) { contacts.putAll(doc.contacts); }
doc.contacts = contacts;
String of = old.first_seen; String nf = doc.first_seen;
if (of != null && (nf == null || of.compareTo(nf) < 0)) { doc.first_seen = of; }
String ol = old.last_seen; String nl = doc.last_seen;
if (ol != null && (nl == null || ol.compareTo(nl) > 0)) { doc.last_seen = ol; }
if (doc.equals(old)) { ctx.op = 'none'; }
else { ctx._source.clear(); ctx._source.putAll(doc); }
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


def seller_update(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "scripted_upsert": True,
        "script": {"source": SELLER_SCRIPT, "lang": "painless", "params": {"doc": doc}},
        "upsert": {},
    }
