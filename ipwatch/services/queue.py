"""The review queue: findings grouped into one card per listing, riskiest first, keyset-paged.

One listing that matches a word mark and a logo of the same owner is one card with both
findings: a reviewer judges the listing once. A card sits where its riskiest finding (under the
current filters) falls in the (risk desc, id asc) order, so paging by that finding's key never
shows a listing twice and never skips one, on every backend. Counts per facet show how many
findings each filter value would give, each counted without its own facet's filter.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ipwatch.services.errors import InvalidRequestError
from model import FindingQuery, FindingStatus

if TYPE_CHECKING:
    from datetime import datetime

    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord, Seller
    from store.protocol import Store

OPEN = (FindingStatus.NEW, FindingStatus.IN_REVIEW)
MAX_CARD_FINDINGS = 50  # findings of one listing shown on its card
MAX_PAGE = 100
FACETS = ("status", "owner", "marketplace", "signal_kind")


@dataclass(frozen=True)
class QueueFilters:
    """What the reviewer narrowed the queue to; the default is the open findings."""

    statuses: tuple[FindingStatus, ...] | None = OPEN
    owner: str | None = None
    asset_id: str | None = None
    marketplace: str | None = None
    seller: str | None = None
    signal_kind: str | None = None
    risk_min: float | None = None
    risk_max: float | None = None
    since: datetime | None = None

    def __post_init__(self) -> None:
        for bound in (self.risk_min, self.risk_max):
            if bound is not None and not 0.0 <= bound <= 1.0:
                raise InvalidRequestError("risk bounds are between 0 and 1")
        low, high = self.risk_min, self.risk_max
        if low is not None and high is not None and low > high:
            raise InvalidRequestError("the lowest risk is above the highest")

    def query(self, **extra: object) -> FindingQuery:
        base = FindingQuery(
            asset_id=self.asset_id,
            seller=self.seller,
            marketplace=self.marketplace,
            owner=self.owner,
            statuses=self.statuses,
            signal_kind=self.signal_kind,
            risk_min=self.risk_min,
            risk_max=self.risk_max,
            created_from=self.since,
        )
        return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Card:
    """One listing and its findings under the filters, riskiest first."""

    listing_id: str
    title: str
    url: str
    marketplace: str
    seller: Seller | None
    findings: list[FindingRecord]

    @property
    def risk(self) -> float:
        return self.findings[0].risk

    @property
    def top(self) -> FindingRecord:
        return self.findings[0]


@dataclass
class QueuePage:
    cards: list[Card]
    next_after: tuple[float, str] | None  # key of the last card's top finding; None: the end
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def queue_page(
    workspace: Workspace,
    principal: Principal,
    filters: QueueFilters,
    after: tuple[float, str] | None = None,
    size: int = 25,
    with_counts: bool = True,
) -> QueuePage:
    """``size`` cards after ``after`` (a previous page's ``next_after``), in the user's scope."""
    principal.require("read")
    if not 1 <= size <= MAX_PAGE:
        raise InvalidRequestError(f"a queue page holds 1 to {MAX_PAGE} cards")
    index = workspace.index
    cards: list[Card] = []
    cursor = after
    fetch = size * 2
    exhausted = False
    while len(cards) < size and not exhausted:
        batch = index.list_findings(
            principal.scope(filters.query(limit=fetch, search_after=cursor))
        )
        exhausted = len(batch) < fetch
        groups = _groups(index, principal, filters, {f.listing_id for f in batch})
        for finding in batch:
            cursor = (finding.risk, finding.id)
            group = groups.get(finding.listing_id)
            if not group or group[0].id != finding.id:
                continue  # the card is where the listing's riskiest finding is
            cards.append(_card(group))
            if len(cards) == size:
                break
    last = cards[-1].top if len(cards) == size else None
    next_after = (last.risk, last.id) if last is not None else None
    counts = facet_counts(workspace, principal, filters) if with_counts else {}
    return QueuePage(cards, next_after, counts)


def _groups(
    index: Store, principal: Principal, filters: QueueFilters, listing_ids: set[str]
) -> dict[str, list[FindingRecord]]:
    """Each listing's findings under the filters, in queue order, fetched in one query."""
    if not listing_ids:
        return {}
    limit = min(500, MAX_CARD_FINDINGS * len(listing_ids))
    query = filters.query(listing_ids=tuple(sorted(listing_ids)), limit=limit)
    groups: dict[str, list[FindingRecord]] = {}
    for finding in index.list_findings(principal.scope(query)):
        groups.setdefault(finding.listing_id, []).append(finding)
    return groups


def _card(findings: list[FindingRecord]) -> Card:
    top = findings[0]
    return Card(
        top.listing_id,
        top.title,
        top.url,
        top.marketplace,
        top.seller,
        findings[:MAX_CARD_FINDINGS],
    )


def facet_counts(
    workspace: Workspace, principal: Principal, filters: QueueFilters
) -> dict[str, dict[str, int]]:
    """Per facet value, how many findings the filters give with that facet's own filter off."""
    principal.require("read")
    without = {
        "status": {"statuses": None},
        "owner": {"owner": None},
        "marketplace": {"marketplace": None},
        "signal_kind": {"signal_kind": None},
    }
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        query = principal.scope(filters.query(**without[facet]))
        counts[facet] = workspace.index.count_findings(facet, query)  # type: ignore[arg-type]
    return counts
