"""A workspace holding a registry, listings, findings (some confirmed, some sealed) and a
notifier: what the notice and webhook tests start from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from config.enforcement import NoticeSettings, WebhookSettings
from config.settings import AppConfig
from evidence.seal.snapshot import seal
from evidence.storage.blobstore import BlobStore
from ipwatch.services.identity import Principal
from ipwatch.services.review import ReviewRequest, review_finding
from ipwatch.services.workspace import Workspace
from model import FindingRecord, ListingRecord, Seller
from tests.evidence.evidence_samples import (
    sample_capture,
    sample_citations,
    sample_images,
    sample_listing,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OPERATOR = Principal.operator("ana")
HOSTILE_TITLE = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)>\nforged line"
REGISTRY = """
owners:
  - name: Acme
    assets:
      - id: novaflex-word
        kind: word_mark
        name: NOVAFLEX
        registration_number: EU018000001
        jurisdiction: EU
        classes: ["25"]
  - name: Puma
    assets:
      - id: puma-word
        kind: word_mark
        name: PUMA
        registration_number: US 1234
        jurisdiction: US
"""


def notices_workspace(
    home: Path, webhooks: WebhookSettings | None = None, index: str | None = None
) -> Workspace:
    home.mkdir(parents=True, exist_ok=True)
    config = AppConfig(
        index=index,
        notices=NoticeSettings(notifier_name="Acme Legal", notifier_email="legal@acme.example"),
        webhooks=webhooks or WebhookSettings(),
    )
    workspace = Workspace(home, config)
    registry_file = home / "registry.yaml"
    registry_file.write_text(REGISTRY, encoding="utf-8")
    workspace.registry.import_file(registry_file)
    return workspace


def add_finding(
    workspace: Workspace,
    fid: str,
    *,
    owner: str = "Acme",
    marketplace: str = "demo",
    title: str = "N0VAFLEX runner",
    confirm: bool = True,
    kinds: tuple[str, ...] = ("word_mark",),
) -> FindingRecord:
    listing_id = f"L-{fid}"
    seller = Seller(id="s-77", name='@SUM(1+1)" onmouseover="x', marketplace=marketplace)
    workspace.index.upsert_listing(
        ListingRecord(
            id=listing_id,
            marketplace=marketplace,
            url=f"https://{marketplace}.example/item/{fid}",
            title=title,
            content_hash="h",
            first_seen=NOW,
            last_seen=NOW,
            item_id=f"item-{fid}",
            seller=seller,
        )
    )
    record = FindingRecord(
        id=fid,
        listing_id=listing_id,
        asset_id="novaflex-word" if owner == "Acme" else "puma-word",
        owner=owner,
        marketplace=marketplace,
        risk=0.9,
        flagged=True,
        signals=[
            {"kind": k, "score": 1.0, "detail": f"{k} matched", "evidence": {}} for k in kinds
        ],
        created=NOW,
        updated=NOW,
        seller=seller,
        title=title,
        url=f"https://{marketplace}.example/item/{fid}",
    )
    workspace.index.upsert_finding(record)
    if confirm:
        review_finding(workspace, ReviewRequest(fid, "confirmed", "copied mark"), OPERATOR)
    found = workspace.index.get_finding(fid)
    assert found is not None
    return found


def seal_for(workspace: Workspace, finding_ids: list[str]) -> str:
    sealed = seal(
        sample_capture(),
        sample_listing(),
        sample_images(),
        sample_citations(),
        store=BlobStore(workspace.home / "blobs"),
        sealer=workspace.sealer,
    )
    workspace.index.add_snapshot(sealed.to_record("L-1", finding_ids))
    return sealed.id
