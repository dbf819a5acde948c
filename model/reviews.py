"""Review decisions on findings, as append-only events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from model.findings import FindingStatus


@dataclass
class ReviewEvent:
    """One status change of a finding: who, when, from what to what, and why (append-only)."""

    finding_id: str
    at: datetime
    actor: str
    from_status: FindingStatus
    to_status: FindingStatus
    reason: str = ""
