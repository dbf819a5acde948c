"""Conversions between SQLite rows and index records (the layout is in ``sqlite_schema``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from evidence.index.records import (
    CrawlRunRecord,
    FindingRecord,
    FindingStatus,
    ListingRecord,
    SnapshotRecord,
)
from evidence.index.sqlite_text import terms

if TYPE_CHECKING:
    import sqlite3

LISTING_COLS = (
    "id, marketplace, url, title, content_hash, first_seen, last_seen, description, price, "
    "currency, seller_id, seller_name, seller_url, item_id, data"
)
FINDING_COLS = (
    "id, listing_id, asset_id, owner, marketplace, risk, flagged, signals, created, updated, "
    "status, seller_id, seller_name, title, url, registration_number, snapshot_ids, revision"
)


def ts(moment: datetime) -> str:
    """Fixed-width UTC text, so string order is time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()} is ambiguous; pass datetime.now(UTC) or similar"
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def seller_key(name: str | None) -> str | None:
    return name.casefold().strip() if name else None


def listing_row(listing: ListingRecord) -> dict[str, Any]:
    """Column values for a listing, with the normalised text the full-text index reads."""
    row = asdict(listing)
    row.update(
        first_seen=ts(listing.first_seen),
        last_seen=ts(listing.last_seen),
        data=json.dumps(listing.data, sort_keys=True, default=str),
        title_terms=terms(listing.title),
        description_terms=terms(listing.description),
    )
    return row


def finding_row(finding: FindingRecord) -> dict[str, Any]:
    """Column values for a finding; ``revision`` is the index's to set, never the caller's."""
    row = asdict(finding)
    del row["revision"]
    row.update(
        risk=float(finding.risk),
        flagged=int(bool(finding.flagged)),
        signals=json.dumps(finding.signals, sort_keys=True, default=str),
        created=ts(finding.created),
        updated=ts(finding.updated),
        status=FindingStatus(finding.status).value,
        snapshot_ids=json.dumps(finding.snapshot_ids),
        seller_key=seller_key(finding.seller_name),
        title_terms=terms(finding.title),
    )
    return row


def listing_from(row: sqlite3.Row) -> ListingRecord:
    values: dict[str, Any] = dict(row)
    values.update(
        first_seen=dt(row["first_seen"]),
        last_seen=dt(row["last_seen"]),
        data=json.loads(row["data"]),
    )
    return ListingRecord(**values)


def finding_from(row: sqlite3.Row) -> FindingRecord:
    values: dict[str, Any] = dict(row)
    values.update(
        flagged=bool(row["flagged"]),
        signals=json.loads(row["signals"]),
        created=dt(row["created"]),
        updated=dt(row["updated"]),
        status=FindingStatus(row["status"]),
        snapshot_ids=json.loads(row["snapshot_ids"]),
        revision=str(row["revision"]),
    )
    return FindingRecord(**values)


def snapshot_from(row: sqlite3.Row) -> SnapshotRecord:
    values: dict[str, Any] = dict(row)
    values.update(
        finding_ids=json.loads(row["finding_ids"]),
        captured_at=dt(row["captured_at"]),
        artifacts=json.loads(row["artifacts"]),
    )
    return SnapshotRecord(**values)


def run_row(run: CrawlRunRecord) -> tuple[Any, ...]:
    finished = ts(run.finished) if run.finished else None
    counters = json.dumps(run.counters, sort_keys=True)
    return (run.id, run.marketplace, run.trigger, ts(run.started), finished, counters, run.status)


def run_from(row: sqlite3.Row) -> CrawlRunRecord:
    values: dict[str, Any] = dict(row)
    values.update(
        started=dt(row["started"]),
        finished=dt(row["finished"]),
        counters=json.loads(row["counters"]),
    )
    return CrawlRunRecord(**values)
