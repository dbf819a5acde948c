"""Everything a reviewer needs to decide one finding, gathered within their scope.

The finding with its history and snapshots, the listing as stored (price, seller), the asset
(registration, price floor), the listing's other findings, the seller's findings across
marketplaces, and a timeline from first seen to the last decision. Every part comes from a
query scoped to the principal's owners.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from ipwatch.services.findings import show_finding
from model import FindingQuery

if TYPE_CHECKING:
    from datetime import datetime

    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord, ListingRecord, ReviewEvent, SnapshotRef
    from registry.views import AssetView

SELLER_FINDINGS = 100  # shown on the seller card


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    what: str
    who: str = ""
    detail: str = ""


@dataclass(frozen=True)
class PriceCheck:
    """The listing's price against the asset's floor, when both are known in one currency."""

    price: str | None
    currency: str | None
    floor: str | None
    floor_currency: str | None

    @property
    def below_floor(self) -> bool | None:
        if self.price is None or self.floor is None:
            return None
        if (self.currency or "").upper() != (self.floor_currency or "").upper():
            return None
        try:
            return Decimal(self.price) < Decimal(self.floor)
        except InvalidOperation:
            return None


@dataclass(frozen=True)
class FindingPage:
    finding: FindingRecord
    events: list[ReviewEvent]
    snapshots: list[SnapshotRef]
    listing: ListingRecord | None
    asset: AssetView | None
    siblings: list[FindingRecord]  # the same listing's other findings
    seller_findings: list[FindingRecord]  # the seller's findings, every marketplace
    price: PriceCheck
    timeline: list[TimelineEntry]
    reasons: list[str]


def finding_page(workspace: Workspace, principal: Principal, finding_id: str) -> FindingPage:
    detail = show_finding(workspace, finding_id, principal)
    finding = detail.finding
    index = workspace.index
    listing = index.get_listing(finding.listing_id)
    asset = workspace.registry.get_asset(finding.asset_id)
    siblings = [
        f
        for f in index.list_findings(
            principal.scope(FindingQuery(listing_ids=(finding.listing_id,), limit=50))
        )
        if f.id != finding.id
    ]
    seller_findings: list[FindingRecord] = []
    seller_name = finding.seller.name if finding.seller else None
    if seller_name or finding.seller_key:
        query = FindingQuery(seller=seller_name or finding.seller_key, limit=SELLER_FINDINGS)
        seller_findings = index.list_findings(principal.scope(query))
    price = PriceCheck(
        listing.price if listing else None,
        listing.currency if listing else None,
        str(asset.price_floor_amount) if asset and asset.price_floor_amount is not None else None,
        asset.price_floor_currency if asset else None,
    )
    return FindingPage(
        finding=finding,
        events=detail.events,
        snapshots=detail.snapshots,
        listing=listing,
        asset=asset,
        siblings=siblings,
        seller_findings=seller_findings,
        price=price,
        timeline=_timeline(finding, listing, detail.snapshots, detail.events),
        reasons=list(workspace.config.desk.reasons),
    )


def _timeline(
    finding: FindingRecord,
    listing: ListingRecord | None,
    snapshots: list[SnapshotRef],
    events: list[ReviewEvent],
) -> list[TimelineEntry]:
    entries = []
    if listing is not None:
        entries.append(TimelineEntry(listing.first_seen, "first seen", "", listing.marketplace))
        if listing.last_seen != listing.first_seen:
            entries.append(TimelineEntry(listing.last_seen, "last seen", "", listing.marketplace))
    entries.append(
        TimelineEntry(
            finding.created,
            "flagged" if finding.flagged else "found",
            "",
            f"risk {finding.risk:.2f}",
        )
    )
    for snapshot in snapshots:
        entries.append(
            TimelineEntry(
                snapshot.captured_at,
                "captured and sealed",
                "",
                f"snapshot {snapshot.id}, manifest {snapshot.manifest_sha256[:16]}…",
            )
        )
    for event in events:
        entries.append(
            TimelineEntry(
                event.at,
                f"{event.from_status.value} → {event.to_status.value}",
                event.actor,
                event.reason,
            )
        )
    return sorted(entries, key=lambda e: e.at)
