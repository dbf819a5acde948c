"""Findings: what the detector concludes (``Finding``) and what the store keeps and filters."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from model.listings import SellerRef

if TYPE_CHECKING:
    from datetime import datetime

    from model.sellers import Seller


@dataclass(frozen=True)
class Signal:
    """One reason a listing looks infringing; ``detail`` is a plain sentence for reviewers."""

    kind: str
    score: float
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A listing x asset pair with risk > 0 and the signals that produced it."""

    listing_id: str
    asset_id: str
    risk: float
    flagged: bool
    signals: tuple[Signal, ...]

    @property
    def id(self) -> str:
        """Deterministic, so a re-crawl updates the same finding instead of adding one."""
        return finding_id(self.listing_id, self.asset_id)


def finding_id(listing_id: str, asset_id: str) -> str:
    digest = hashlib.sha256(f"{listing_id}\x00{asset_id}".encode()).hexdigest()
    return f"F-{digest[:16]}"


class FindingStatus(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    NOTICE_SENT = "notice_sent"
    REMOVED = "removed"
    REAPPEARED = "reappeared"


@dataclass
class FindingRecord(SellerRef):
    """A listing x asset finding as the store keeps it, with its review status."""

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
    seller_key: str | None = None
    seller: Seller | None = None
    title: str = ""
    url: str = ""
    registration_number: str | None = None
    snapshot_ids: list[str] = field(default_factory=list)
    # Opaque concurrency token set by the backend on read; pass it back to ``set_status`` so a
    # reviewer cannot silently overwrite a change made since they loaded the finding.
    revision: str | None = None

    def __post_init__(self) -> None:
        self._seller_ref()

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of ``findings list --json``: the record plus its seller's id and name."""
        out = asdict(self)
        out.update(seller_id=self.seller_id, seller_name=self.seller_name)
        return out


@dataclass
class FindingQuery:
    """Filters for ``findings list``; ``None`` means no filter. Sorted by risk, highest first."""

    asset_id: str | None = None
    seller: str | None = None  # matches the seller's id, name or key
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
