"""A sealed snapshot as the store indexes it: the manifest digest, log index and artifacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime


@dataclass
class SnapshotRef:
    """Points at sealed evidence (immutable); the evidence itself lives in the blob store."""

    id: str
    finding_ids: list[str]
    listing_id: str
    manifest_sha256: str
    ledger_seq: int
    captured_at: datetime
    url: str
    artifacts: list[dict[str, Any]]  # [{"name", "sha256", "size", "media_type"}]
