"""Table layout of the SQLite index and the conversions between rows and index records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from evidence.index.records import (
    CrawlRunRecord,
    FindingRecord,
    FindingStatus,
    ListingRecord,
    SnapshotRecord,
)

if TYPE_CHECKING:
    import sqlite3

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS listings (
  id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL,
  content_hash TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  description TEXT NOT NULL, price TEXT, currency TEXT, seller_id TEXT, seller_name TEXT,
  seller_url TEXT, item_id TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS listings_marketplace ON listings(marketplace);
CREATE TABLE IF NOT EXISTS findings (
  id TEXT PRIMARY KEY, listing_id TEXT NOT NULL, asset_id TEXT NOT NULL, owner TEXT NOT NULL,
  marketplace TEXT NOT NULL, risk REAL NOT NULL, flagged INTEGER NOT NULL, signals TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, status TEXT NOT NULL, seller_id TEXT,
  seller_name TEXT, seller_key TEXT, title TEXT NOT NULL, url TEXT NOT NULL,
  registration_number TEXT, snapshot_ids TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_risk ON findings(risk DESC, id);
CREATE INDEX IF NOT EXISTS findings_asset ON findings(asset_id);
CREATE INDEX IF NOT EXISTS findings_listing ON findings(listing_id);
CREATE TABLE IF NOT EXISTS finding_events (
  n INTEGER PRIMARY KEY AUTOINCREMENT, finding_id TEXT NOT NULL, at TEXT NOT NULL,
  actor TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS finding_events_finding ON finding_events(finding_id, n);
CREATE TABLE IF NOT EXISTS snapshots (
  id TEXT PRIMARY KEY, finding_ids TEXT NOT NULL, listing_id TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL, ledger_seq INTEGER NOT NULL, captured_at TEXT NOT NULL,
  url TEXT NOT NULL, artifacts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, trigger TEXT NOT NULL, started TEXT NOT NULL,
  finished TEXT, counters TEXT NOT NULL, status TEXT NOT NULL);
"""
FINDING_COLS = (
    "id, listing_id, asset_id, owner, marketplace, risk, flagged, signals, created, updated, "
    "status, seller_id, seller_name, title, url, registration_number, snapshot_ids"
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
