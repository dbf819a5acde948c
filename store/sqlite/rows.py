"""Conversions between SQLite rows and store records (the layout is in ``schema``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from model import (
    CrawlRun,
    FindingRecord,
    FindingStatus,
    ListingRecord,
    Seller,
    SnapshotRef,
)
from model.sellers import fold_name
from store.sqlite.text import terms

if TYPE_CHECKING:
    import sqlite3

LISTING_COLS = (
    "id, marketplace, url, title, content_hash, first_seen, last_seen, description, price, "
    "currency, seller_key, item_id, data"
)
FINDING_COLS = (
    "id, listing_id, asset_id, owner, marketplace, risk, flagged, signals, created, updated, "
    "status, seller_key, title, url, registration_number, snapshot_ids, revision"
)
SELLER_COLS = "key, marketplace, id, name, url, contacts, first_seen, last_seen"


def ts(moment: datetime) -> str:
    """Fixed-width UTC text, so string order is time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()} is ambiguous; pass datetime.now(UTC) or similar"
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def listing_row(listing: ListingRecord) -> dict[str, Any]:
    """Column values for a listing, with the normalised text the full-text index reads."""
    return {
        "id": listing.id,
        "marketplace": listing.marketplace,
        "url": listing.url,
        "title": listing.title,
        "content_hash": listing.content_hash,
        "first_seen": ts(listing.first_seen),
        "last_seen": ts(listing.last_seen),
        "description": listing.description,
        "price": listing.price,
        "currency": listing.currency,
        "seller_key": listing.seller_key,
        "item_id": listing.item_id,
        "data": json.dumps(listing.data, sort_keys=True, default=str),
        "title_terms": terms(listing.title),
        "description_terms": terms(listing.description),
    }


def finding_row(finding: FindingRecord) -> dict[str, Any]:
    """Column values for a finding; ``revision`` is the store's to set, never the caller's."""
    return {
        "id": finding.id,
        "listing_id": finding.listing_id,
        "asset_id": finding.asset_id,
        "owner": finding.owner,
        "marketplace": finding.marketplace,
        "risk": float(finding.risk),
        "flagged": int(bool(finding.flagged)),
        "signals": json.dumps(finding.signals, sort_keys=True, default=str),
        "created": ts(finding.created),
        "updated": ts(finding.updated),
        "status": FindingStatus(finding.status).value,
        "seller_key": finding.seller_key,
        "title": finding.title,
        "url": finding.url,
        "registration_number": finding.registration_number,
        "snapshot_ids": json.dumps(finding.snapshot_ids),
        "title_terms": terms(finding.title),
    }


def seller_row(seller: Seller) -> dict[str, Any]:
    return {
        "key": seller.key,
        "marketplace": seller.marketplace,
        "id": seller.id,
        "name": seller.name,
        "name_folded": fold_name(seller.name),
        "url": seller.url,
        "contacts": json.dumps(dict(seller.contacts), sort_keys=True),
        "first_seen": ts(seller.first_seen) if seller.first_seen else None,
        "last_seen": ts(seller.last_seen) if seller.last_seen else None,
    }


def seller_from(row: sqlite3.Row) -> Seller:
    return Seller(
        id=row["id"],
        name=row["name"],
        url=row["url"],
        marketplace=row["marketplace"],
        contacts=json.loads(row["contacts"]),
        first_seen=dt(row["first_seen"]),
        last_seen=dt(row["last_seen"]),
    )


def listing_from(row: sqlite3.Row, seller: Seller | None = None) -> ListingRecord:
    values: dict[str, Any] = dict(row)
    values.update(
        first_seen=dt(row["first_seen"]),
        last_seen=dt(row["last_seen"]),
        data=json.loads(row["data"]),
        seller=seller,
    )
    return ListingRecord(**values)


def finding_from(row: sqlite3.Row, seller: Seller | None = None) -> FindingRecord:
    values: dict[str, Any] = dict(row)
    values.update(
        flagged=bool(row["flagged"]),
        signals=json.loads(row["signals"]),
        created=dt(row["created"]),
        updated=dt(row["updated"]),
        status=FindingStatus(row["status"]),
        snapshot_ids=json.loads(row["snapshot_ids"]),
        revision=str(row["revision"]),
        seller=seller,
    )
    return FindingRecord(**values)


def snapshot_from(row: sqlite3.Row) -> SnapshotRef:
    values: dict[str, Any] = dict(row)
    values.update(
        finding_ids=json.loads(row["finding_ids"]),
        captured_at=dt(row["captured_at"]),
        artifacts=json.loads(row["artifacts"]),
    )
    return SnapshotRef(**values)


def run_row(run: CrawlRun) -> tuple[Any, ...]:
    finished = ts(run.finished) if run.finished else None
    counters = json.dumps(run.counters, sort_keys=True)
    return (
        run.id,
        run.marketplace,
        run.trigger,
        ts(run.started),
        finished,
        counters,
        run.status,
        run.resumed_from,
    )


def run_from(row: sqlite3.Row) -> CrawlRun:
    values: dict[str, Any] = dict(row)
    values.update(
        started=dt(row["started"]),
        finished=dt(row["finished"]),
        counters=json.loads(row["counters"]),
    )
    return CrawlRun(**values)
