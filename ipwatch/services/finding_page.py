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
class ImagePair:
    """A registered image beside the listing image it was found in, with the region found."""

    kind: str
    score: float
    detail: str
    reference_sha256: str | None
    listing_sha256: str | None
    snapshot_id: str | None  # the snapshot whose artifacts hold the listing image
    region: tuple[float, float, float, float] | None  # fractions of the listing image


@dataclass(frozen=True)
class TextMatch:
    """The listing text split around the matched span, for highlighting (escaped on output)."""

    field: str
    before: str
    match: str
    after: str


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
    images: list[ImagePair]
    text_matches: list[TextMatch]
    screenshots: list[tuple[str, str]]  # (snapshot id, artifact sha256)


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
        images=_image_pairs(workspace, finding, detail.snapshots),
        text_matches=_text_matches(finding, listing),
        screenshots=[
            (snap.id, str(a["sha256"]))
            for snap in detail.snapshots
            for a in snap.artifacts
            if str(a.get("name", "")).rsplit("/", 1)[-1].startswith("screenshot")
            and str(a.get("media_type", "")).startswith("image/")
        ],
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


IMAGE_SIGNALS = ("image_copy", "logo", "design")


def _image_pairs(
    workspace: Workspace, finding: FindingRecord, snapshots: list[SnapshotRef]
) -> list[ImagePair]:
    pairs = []
    for signal in finding.signals:
        if not isinstance(signal, dict) or signal.get("kind") not in IMAGE_SIGNALS:
            continue
        evidence = signal.get("evidence") or {}
        listing_sha = evidence.get("listing_image_sha256")
        holder = next(
            (s for s in snapshots if any(a.get("sha256") == listing_sha for a in s.artifacts)),
            None,
        )
        region = None
        if holder is not None and isinstance(listing_sha, str):
            region = _region(workspace, listing_sha, evidence.get("bbox"))
        pairs.append(
            ImagePair(
                str(signal.get("kind")),
                float(signal.get("score") or 0.0),
                str(signal.get("detail") or ""),
                str(evidence.get("reference_sha256") or "") or None,
                listing_sha if holder is not None else None,
                holder.id if holder is not None else None,
                region,
            )
        )
    return pairs


def _region(
    workspace: Workspace, sha256: str, bbox: object
) -> tuple[float, float, float, float] | None:
    """The found box as fractions of the listing image (its size read from the header only)."""
    import io

    from PIL import Image

    if not isinstance(bbox, list) or len(bbox) != 4:
        return None
    if not all(isinstance(v, int | float) for v in bbox):
        return None
    try:
        with Image.open(io.BytesIO(workspace.blobs.get(sha256))) as image:
            width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    x0, y0, x1, y1 = (float(v) for v in bbox)
    box = tuple(min(1.0, max(0.0, v)) for v in (x0 / width, y0 / height, x1 / width, y1 / height))
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    return box  # type: ignore[return-value]


def _text_matches(finding: FindingRecord, listing: ListingRecord | None) -> list[TextMatch]:
    texts = {
        "title": listing.title if listing else finding.title,
        "description": listing.description if listing else "",
    }
    matches = []
    for signal in finding.signals:
        evidence = signal.get("evidence") if isinstance(signal, dict) else None
        if not isinstance(evidence, dict):
            continue
        field, start, end = evidence.get("field"), evidence.get("start"), evidence.get("end")
        text = texts.get(str(field))
        if not text or not isinstance(start, int) or not isinstance(end, int):
            continue
        if 0 <= start < end <= len(text):
            matches.append(TextMatch(str(field), text[:start], text[start:end], text[end:]))
    return matches
