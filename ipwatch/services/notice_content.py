"""Gather what a notice says from confirmed findings: the right (from the registry), the
listing, the detector's sentences and the sealed evidence (from the index)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from enforcement.content import EvidenceRef, Item, NoticeContent, Notifier, Right, Statements
from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from config.enforcement import NoticeSettings
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord

# The right in plain words, as a notice names it.
KIND_LABELS = {
    "word_mark": "registered trade mark (word)",
    "figurative_mark": "registered trade mark (figurative)",
    "design_patent": "registered design",
    "utility_patent": "patent",
    "product_image": "copyright in the product photograph",
}
PHOTO_COPY = "image_copy"  # the signal kind that claims a copied photo: the DMCA part applies


def notifier_of(settings: NoticeSettings) -> tuple[Notifier, Statements]:
    """The notifier from ``notices:`` in ipwatch.yaml; refused until name and e-mail are set."""
    if not settings.notifier_name.strip() or not settings.notifier_email.strip():
        raise InvalidRequestError(
            "a notice must name its sender (EU DSA Art. 16(2)(c)): set notices.notifier_name "
            "and notices.notifier_email in ipwatch.yaml in the data folder"
        )
    notifier = Notifier(
        settings.notifier_name.strip(),
        settings.notifier_email.strip(),
        settings.notifier_address.strip(),
        settings.notifier_phone.strip(),
        settings.signature.strip(),
    )
    statements = Statements(
        settings.bona_fide_statement,
        settings.dmca_good_faith_statement,
        settings.dmca_accuracy_statement,
    )
    return notifier, statements


def right_of(workspace: Workspace, finding: FindingRecord) -> Right:
    """The registered right a finding is about; the finding's own copy if the asset is gone."""
    view = workspace.registry.get_asset(finding.asset_id)
    if view is None:
        return Right(
            finding.asset_id,
            "word_mark",
            "registered right",
            finding.asset_id,
            finding.registration_number or "",
        )
    return Right(
        view.id,
        view.kind.value,
        KIND_LABELS.get(view.kind.value, view.kind.value),
        view.name,
        view.registration_number or "",
        view.jurisdiction or "",
        tuple(view.classes),
    )


def item_of(workspace: Workspace, finding: FindingRecord, right: Right, wacz: str = "") -> Item:
    index = workspace.index
    listing = index.get_listing(finding.listing_id)
    evidence = []
    for snapshot_id in finding.snapshot_ids:
        snapshot = index.get_snapshot(snapshot_id)
        if snapshot is not None:
            evidence.append(
                EvidenceRef(
                    snapshot.id,
                    snapshot.manifest_sha256,
                    snapshot.captured_at.isoformat(timespec="seconds"),
                    wacz,
                )
            )
    kinds = tuple(str(s.get("kind", "")) for s in finding.signals)
    return Item(
        finding_id=finding.id,
        url=finding.url or (listing.url if listing else ""),
        item_id=(listing.item_id if listing else None) or "",
        title=finding.title or (listing.title if listing else ""),
        seller_name=finding.seller_name or "",
        seller_id=finding.seller_id or "",
        right=right,
        signals=tuple(str(s.get("detail", "")) for s in finding.signals),
        signal_kinds=kinds,
        photo_copy=PHOTO_COPY in kinds,
        evidence=tuple(evidence),
    )


def content_of(
    workspace: Workspace,
    notice_id: str,
    date: str,
    findings: Sequence[FindingRecord],
    wacz: str = "",
) -> NoticeContent:
    """One notice's content; every finding has the same owner and marketplace."""
    notifier, statements = notifier_of(workspace.config.notices)
    items = tuple(item_of(workspace, f, right_of(workspace, f), wacz) for f in findings)
    return NoticeContent(
        notice_id=notice_id,
        date=date,
        marketplace=findings[0].marketplace,
        owner=findings[0].owner,
        notifier=notifier,
        statements=statements,
        items=items,
        rights=tuple({item.right.asset_id: item.right for item in items}.values()),
    )
