"""Findings: what the detector concludes (``Finding``) and what the store keeps and filters."""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from model.listings import SellerRef

if TYPE_CHECKING:
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


# A query names at most this many listings (one queue page's cards) or owners (a user's tenants):
# larger sets would exceed what one SQL statement or cluster request should carry.
MAX_LISTING_IDS = 500
MAX_OWNERS = 500


@dataclass
class FindingQuery:
    """Filters for ``findings list`` and the review queue; ``None`` means no filter, and every
    filter given must hold. Sorted by risk, highest first, then id.

    Tuple filters (``owners``, ``listing_ids``, ``statuses``) match any of their values; an
    empty tuple matches nothing, so a user tied to no owner sees and counts nothing.
    """

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
    owners: tuple[str, ...] | None = None  # tenant scope: the owners a user may see
    owner: str | None = None  # one owner, exactly
    listing_ids: tuple[str, ...] | None = None  # at most MAX_LISTING_IDS
    risk_min: float | None = None  # inclusive
    risk_max: float | None = None  # inclusive
    created_from: datetime | None = None  # first seen, inclusive; timezone-aware
    created_to: datetime | None = None  # first seen, exclusive; timezone-aware
    signal_kind: str | None = None  # at least one signal of this kind
    statuses: tuple[FindingStatus, ...] | None = None  # any of these

    def checked(self) -> FindingQuery:
        """A copy with tuple filters as tuples and statuses as ``FindingStatus``; ValueError
        with a one-line reason for a filter no backend should guess about (a bare string
        where a tuple belongs would otherwise be read one character at a time)."""
        return replace(
            self,
            owners=_names("owners", self.owners, MAX_OWNERS),
            listing_ids=_names("listing_ids", self.listing_ids, MAX_LISTING_IDS),
            statuses=_statuses(self.statuses),
            risk_min=_risk("risk_min", self.risk_min),
            risk_max=_risk("risk_max", self.risk_max),
            created_from=_moment("created_from", self.created_from),
            created_to=_moment("created_to", self.created_to),
        )


def _values(name: str, value: object) -> tuple[object, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list | set | frozenset):
        raise ValueError(
            f"FindingQuery.{name} must be a tuple of values, not {type(value).__name__}; "
            f"write {name}=(value,) for one"
        )
    return tuple(value)


def _names(name: str, value: object, most: int) -> tuple[str, ...] | None:
    if value is None:
        return None
    values = _values(name, value)
    if len(values) > most:
        raise ValueError(
            f"FindingQuery.{name} holds {len(values)} values; at most {most} per query: "
            "split it into several queries"
        )
    if not all(isinstance(v, str) for v in values):
        raise ValueError(f"FindingQuery.{name} must hold strings only")
    return tuple(str(v) for v in values)


def _statuses(value: object) -> tuple[FindingStatus, ...] | None:
    if value is None:
        return None
    values = _values("statuses", value)
    known = [s.value for s in FindingStatus]
    wrong = [v for v in values if not isinstance(v, str) or v not in known]
    if wrong:
        raise ValueError(
            f"FindingQuery.statuses holds unknown status {wrong[0]!r}; use {', '.join(known)}"
        )
    return tuple(FindingStatus(str(v)) for v in values)


def _risk(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"FindingQuery.{name} must be a finite number, not {value!r}")
    return float(value)


def _moment(name: str, value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"FindingQuery.{name} must be a timezone-aware datetime (e.g. datetime(..., "
            f"tzinfo=UTC)), not {value!r}"
        )
    return value


CountBy = Literal["marketplace", "asset", "seller", "day", "status", "owner", "signal_kind"]
