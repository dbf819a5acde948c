"""Enforcement over time: findings, confirmations and removals per day, and takedown results
per marketplace, from findings and their status history.

Until notices are stored, a takedown is a finding that reached ``notice_sent``; it succeeded
when it later reached ``removed``; time to removal runs from the first ``notice_sent`` event to
the first ``removed`` event after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

MAX_DAYS = 366  # days a series spans at most (the latest)


@dataclass(frozen=True)
class FindingHistory:
    """One finding as the dashboard reads it: when it was found, and each status change."""

    id: str
    marketplace: str
    created: datetime
    events: tuple[tuple[datetime, str], ...] = ()  # (at, to_status), oldest first


@dataclass
class Takedowns:
    """One marketplace's takedowns: the finding ids behind each count."""

    marketplace: str
    noticed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    hours_to_removal: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        hours = self.hours_to_removal
        return {
            "marketplace": self.marketplace,
            "noticed": len(self.noticed),
            "removed": len(self.removed),
            "success_rate": round(len(self.removed) / len(self.noticed), 4)
            if self.noticed
            else None,
            "median_hours_to_removal": round(median(hours), 2) if hours else None,
            "finding_ids": {"noticed": self.noticed, "removed": self.removed},
        }


@dataclass
class Series:
    """Counts per UTC day (``YYYY-MM-DD``), days without any left out."""

    findings: dict[str, int] = field(default_factory=dict)
    confirmations: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)
    removals: dict[str, int] = field(default_factory=dict)

    def days(self) -> list[str]:
        """Every day from the first to the last with a count (the latest ``MAX_DAYS``), so a
        chart's time axis has no gaps."""
        every = self.findings.keys() | self.confirmations.keys() | self.removals.keys()
        known = sorted(every | self.notices.keys())
        if not known:
            return []
        first, last = date.fromisoformat(known[0]), date.fromisoformat(known[-1])
        first = max(first, last - timedelta(days=MAX_DAYS - 1))
        return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _bump(counts: dict[str, int], moment: datetime) -> None:
    counts[_day(moment)] = counts.get(_day(moment), 0) + 1


def summarise(findings: Iterable[FindingHistory]) -> tuple[Series, list[Takedowns]]:
    """The day series and the per-marketplace takedowns, marketplaces sorted by name."""
    series = Series()
    markets: dict[str, Takedowns] = {}
    for finding in sorted(findings, key=lambda f: f.id):
        _bump(series.findings, finding.created)
        first: dict[str, datetime] = {}
        for at, status in finding.events:
            first.setdefault(status, at)
        if "confirmed" in first:
            _bump(series.confirmations, first["confirmed"])
        noticed, removed = first.get("notice_sent"), first.get("removed")
        if noticed is not None:
            _bump(series.notices, noticed)
        if removed is not None:
            _bump(series.removals, removed)
        if noticed is None:
            continue
        market = markets.setdefault(finding.marketplace, Takedowns(finding.marketplace))
        market.noticed.append(finding.id)
        if removed is not None and removed >= noticed:
            market.removed.append(finding.id)
            market.hours_to_removal.append((removed - noticed).total_seconds() / 3600)
    return series, [markets[m] for m in sorted(markets)]
