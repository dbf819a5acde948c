"""Counts of a seller's infringements and the factors EU DSA Art. 23 weighs, each traceable.

Every count is the length of a list of finding ids (or of their distinct listings) kept beside
it, so a number in an export can be checked against the findings behind it. Definitions
(docs/repeat-infringer-record.md has them for readers of the export):

- confirmed: findings whose status is confirmed or later (notice_sent, removed, reappeared);
  ``strikes`` counts their distinct listings, so one listing matching two assets is one strike.
- notices / removals / reappearances: findings whose status is, or whose history passed,
  notice_sent / removed / reappeared (every notice outcome moves its findings, signed, so the
  findings' history is the notices' record per listing).
- counter_notices: findings cited by a notice the seller answered with a counter-notice.
- manifestly illegal (Art. 23(1)): confirmed by a reviewer *and* scored at or above
  ``manifest_risk`` by the detector, i.e. obvious without a detailed legal examination.
- share: distinct listings of that kind / every listing of the seller the index holds.
- gravity (Art. 23(3)(c)): the highest gravity weight (0-3) of the signal kinds of confirmed
  findings (a counterfeit mark weighs more than a price signal).
- intent (Art. 23(3)(d)): confirmed findings whose mark was disguised (misspelt, homoglyphs,
  spaced out) or whose listing calls itself a replica, and listings back after removal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import datetime

CONFIRMED = frozenset({"confirmed", "notice_sent", "removed", "reappeared"})
NOTICED = frozenset({"notice_sent", "removed", "reappeared"})
INTENT_KINDS = frozenset({"counterfeit_wording"})
LEVELS = ("none", "warning", "suspend")


@dataclass(frozen=True)
class FindingFacts:
    """What the record needs of one finding: its status, the statuses it passed, its signals."""

    id: str
    listing_id: str
    marketplace: str
    status: str
    risk: float
    kinds: frozenset[str]
    disguised: bool = False
    history: frozenset[str] = frozenset()  # every status it has had (review events)
    counter_noticed: bool = False  # cited by a notice that received a counter-notice
    created: datetime | None = None
    updated: datetime | None = None


@dataclass(frozen=True)
class Thresholds:
    warning: int
    suspend: int
    manifest_risk: float
    gravity: Mapping[str, int]


@dataclass
class Record:
    """One seller's (or one network's) record; ``*_ids`` are the findings behind each count."""

    key: str
    name: str | None
    sellers: list[str]
    marketplaces: list[str]
    first_seen: datetime | None
    last_seen: datetime | None
    listings_seen: int
    confirmed_ids: list[str] = field(default_factory=list)
    notice_ids: list[str] = field(default_factory=list)
    removal_ids: list[str] = field(default_factory=list)
    reappearance_ids: list[str] = field(default_factory=list)
    counter_notice_ids: list[str] = field(default_factory=list)
    manifest_ids: list[str] = field(default_factory=list)
    gravity_ids: list[str] = field(default_factory=list)
    intent_ids: list[str] = field(default_factory=list)
    confirmed_listings: list[str] = field(default_factory=list)
    manifest_listings: list[str] = field(default_factory=list)
    gravity: int = 0
    strike_level: str = "none"

    @property
    def strikes(self) -> int:
        return len(self.confirmed_listings)

    def to_dict(self) -> dict[str, object]:
        """The documented export row (docs/repeat-infringer-record.md)."""
        seen = self.listings_seen
        return {
            "key": self.key,
            "name": self.name,
            "sellers": self.sellers,
            "marketplaces": self.marketplaces,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "listings_seen": seen,
            "confirmed": len(self.confirmed_ids),
            "strikes": self.strikes,
            "strike_level": self.strike_level,
            "notices_sent": len(self.notice_ids),
            "removals": len(self.removal_ids),
            "counter_notices": len(self.counter_notice_ids),
            "reappearances": len(self.reappearance_ids),
            "infringing_share": round(self.strikes / seen, 4) if seen else None,
            "manifestly_illegal": len(self.manifest_listings),
            "manifestly_illegal_share": round(len(self.manifest_listings) / seen, 4)
            if seen
            else None,
            "gravity": self.gravity,
            "intent": bool(self.intent_ids),
            "finding_ids": {
                "confirmed": self.confirmed_ids,
                "notices_sent": self.notice_ids,
                "removals": self.removal_ids,
                "reappearances": self.reappearance_ids,
                "counter_notices": self.counter_notice_ids,
                "manifestly_illegal": self.manifest_ids,
                "gravity": self.gravity_ids,
                "intent": self.intent_ids,
            },
        }


def _level(strikes: int, thresholds: Thresholds) -> str:
    if strikes >= thresholds.suspend:
        return "suspend"
    return "warning" if strikes >= thresholds.warning else "none"


def _gravity(finding: FindingFacts, weights: Mapping[str, int]) -> int:
    return max((weights.get(kind, 1) for kind in finding.kinds), default=0)


def seller_record(
    key: str,
    name: str | None,
    findings: Iterable[FindingFacts],
    listings_seen: int,
    thresholds: Thresholds,
    seen: tuple[datetime | None, datetime | None] = (None, None),
) -> Record:
    """One seller's record from its findings (in the caller's scope)."""
    chosen = sorted(findings, key=lambda f: f.id)
    passed = [(f, f.history | {f.status}) for f in chosen]
    confirmed = [f for f in chosen if f.status in CONFIRMED]
    manifest = [f for f in confirmed if f.risk >= thresholds.manifest_risk]
    gravity = max((_gravity(f, thresholds.gravity) for f in confirmed), default=0)
    record = Record(
        key=key,
        name=name,
        sellers=[key],
        marketplaces=sorted({f.marketplace for f in chosen}),
        first_seen=seen[0] or min((f.created for f in chosen if f.created), default=None),
        last_seen=seen[1] or max((f.updated for f in chosen if f.updated), default=None),
        listings_seen=max(listings_seen, len({f.listing_id for f in chosen})),
        confirmed_ids=[f.id for f in confirmed],
        notice_ids=[f.id for f, s in passed if s & NOTICED],
        removal_ids=[f.id for f, s in passed if "removed" in s],
        reappearance_ids=[f.id for f, s in passed if "reappeared" in s],
        counter_notice_ids=[f.id for f in chosen if f.counter_noticed],
        manifest_ids=[f.id for f in manifest],
        gravity_ids=[
            f.id for f in confirmed if gravity and _gravity(f, thresholds.gravity) == gravity
        ],
        intent_ids=[
            f.id
            for f, s in passed
            if f.status in CONFIRMED
            and (f.disguised or f.kinds & INTENT_KINDS or "reappeared" in s)
        ],
        confirmed_listings=sorted({f.listing_id for f in confirmed}),
        manifest_listings=sorted({f.listing_id for f in manifest}),
        gravity=gravity,
    )
    record.strike_level = _level(record.strikes, thresholds)
    return record


def combine_records(key: str, records: Sequence[Record], thresholds: Thresholds) -> Record:
    """A network's record: its sellers' records summed (ids joined, gravity the highest)."""

    def joined(name: str) -> list[str]:
        return sorted({i for r in records for i in getattr(r, name)})

    firsts = [r.first_seen for r in records if r.first_seen]
    lasts = [r.last_seen for r in records if r.last_seen]
    gravity = max((r.gravity for r in records), default=0)
    record = Record(
        key=key,
        name=next((r.name for r in records if r.name), None),
        sellers=sorted(s for r in records for s in r.sellers),
        marketplaces=joined("marketplaces"),
        first_seen=min(firsts, default=None),
        last_seen=max(lasts, default=None),
        listings_seen=sum(r.listings_seen for r in records),
        confirmed_ids=joined("confirmed_ids"),
        notice_ids=joined("notice_ids"),
        removal_ids=joined("removal_ids"),
        reappearance_ids=joined("reappearance_ids"),
        counter_notice_ids=joined("counter_notice_ids"),
        manifest_ids=joined("manifest_ids"),
        gravity_ids=sorted({i for r in records if r.gravity == gravity for i in r.gravity_ids}),
        intent_ids=joined("intent_ids"),
        confirmed_listings=joined("confirmed_listings"),
        manifest_listings=joined("manifest_listings"),
        gravity=gravity,
    )
    record.strike_level = _level(record.strikes, thresholds)
    return record
