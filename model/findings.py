"""Records stored in the evidence index. Plain dataclasses: both backends store exactly these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal


class FindingStatus(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    NOTICE_SENT = "notice_sent"
    REMOVED = "removed"
    REAPPEARED = "reappeared"


class ListingChange(StrEnum):
    """What an upsert did, so the pipeline knows whether fresh evidence is needed."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    # Accepted into the local spool while the cluster was away; the change is not known yet.
    SPOOLED = "spooled"


@dataclass
class ListingRecord:
    id: str
    marketplace: str
    url: str
    title: str
    content_hash: str
    first_seen: datetime
    last_seen: datetime
    description: str = ""
    price: str | None = None  # decimal string, never a float
    currency: str | None = None
    seller_id: str | None = None
    seller_name: str | None = None
    seller_url: str | None = None
    item_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the full extracted listing


@dataclass
class FindingRecord:
    id: str
    listing_id: str
    asset_id: str
    owner: str
    marketplace: str
    risk: float
    flagged: bool
    signals: list[dict[str, Any]]  # [{"kind", "score", "detail", "evidence"}]
    created: datetime
    updated: datetime
    status: FindingStatus = FindingStatus.NEW
    seller_id: str | None = None
    seller_name: str | None = None
    title: str = ""
    url: str = ""
    registration_number: str | None = None
    snapshot_ids: list[str] = field(default_factory=list)
    # Opaque concurrency token set by the backend on read; pass it back to ``set_status`` so a
    # reviewer cannot silently overwrite a change made since they loaded the finding.
    revision: str | None = None


@dataclass
class SnapshotRecord:
    id: str
    finding_ids: list[str]
    listing_id: str
    manifest_sha256: str
    ledger_seq: int
    captured_at: datetime
    url: str
    artifacts: list[dict[str, Any]]  # [{"name", "sha256", "size", "media_type"}]


@dataclass
class AuditEventRecord:
    """One status change of a finding: who, when, from what to what, and why (append-only)."""

    finding_id: str
    at: datetime
    actor: str
    from_status: FindingStatus
    to_status: FindingStatus
    reason: str = ""


@dataclass
class CrawlRunRecord:
    id: str
    marketplace: str
    trigger: str  # "manual" | "schedule" | "demo"
    started: datetime
    finished: datetime | None = None
    counters: dict[str, int] = field(default_factory=dict)
    status: str = "running"  # running | finished | failed


@dataclass
class FindingQuery:
    """Filters for ``findings list``; ``None`` means no filter. Sorted by risk, highest first."""

    asset_id: str | None = None
    seller: str | None = None  # matches seller id or name
    marketplace: str | None = None
    status: FindingStatus | None = None
    flagged_only: bool = False
    text: str | None = None  # full-text match on the listing title (English and Chinese)
    limit: int = 100
    offset: int = 0
    # Keyset paging for large result sets: the (risk, id) of the last finding of the previous
    # page. Results are ordered by risk descending, then id ascending, on every backend.
    search_after: tuple[float, str] | None = None


CountBy = Literal["marketplace", "asset", "seller", "day"]
