"""Takedown notices, their outcome states, and webhook deliveries, as the store keeps them.

A notice's state changes only along ``NOTICE_TRANSITIONS`` (the services check it; the store's
compare-and-set keeps two people from both moving it from the same state).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class NoticeState(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    REMOVED = "removed"
    REJECTED = "rejected"
    COUNTER_NOTICE = "counter_notice"
    REINSTATED = "reinstated"


# Where a notice may go from each state. A marketplace may act without acknowledging first;
# a counter-notice follows a removal and ends either way (reinstated, or kept down).
NOTICE_TRANSITIONS: dict[NoticeState, tuple[NoticeState, ...]] = {
    NoticeState.DRAFT: (NoticeState.SENT,),
    NoticeState.SENT: (NoticeState.ACKNOWLEDGED, NoticeState.REMOVED, NoticeState.REJECTED),
    NoticeState.ACKNOWLEDGED: (NoticeState.REMOVED, NoticeState.REJECTED),
    NoticeState.REMOVED: (NoticeState.COUNTER_NOTICE,),
    NoticeState.COUNTER_NOTICE: (NoticeState.REINSTATED, NoticeState.REMOVED),
    NoticeState.REJECTED: (),
    NoticeState.REINSTATED: (),
}


def notice_id(owner: str, marketplace: str, finding_ids: list[str], created: str) -> str:
    """Stable for the same group made at the same moment; distinct for every other."""
    text = "\x00".join([owner, marketplace, created, *sorted(finding_ids)])
    return "N-" + hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class NoticeFile:
    """One rendered file of a notice (the notice text, or one upload/paste file of a batch)."""

    name: str
    sha256: str
    size: int
    media_type: str


@dataclass
class NoticeRecord:
    """A notice to one marketplace for one rights holder, about confirmed findings."""

    id: str
    owner: str
    marketplace: str
    template: str
    state: NoticeState
    created: datetime
    updated: datetime
    created_by: str
    finding_ids: list[str]
    urls: list[str]
    # [{"finding_id", "snapshot_id", "manifest_sha256"}]: the sealed evidence it cites
    evidence: list[dict[str, Any]] = field(default_factory=list)
    files: list[NoticeFile] = field(default_factory=list)
    # sha256 of ``digest_text(files)``: one digest over every rendered byte, in custody
    sha256: str = ""
    revision: str | None = None  # set on read; pass back to change the state

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["state"] = self.state.value
        return out


def digest_text(files: list[NoticeFile]) -> bytes:
    """``sha256sum`` lines of the files: what a notice's own digest is taken over."""
    return "".join(f"{f.sha256}  {f.name}\n" for f in files).encode()


@dataclass
class NoticeEvent:
    """One state change of a notice: who, when, from what to what, and why (append-only)."""

    notice_id: str
    at: datetime
    actor: str
    from_state: NoticeState
    to_state: NoticeState
    reason: str = ""


@dataclass
class NoticeQuery:
    """Filters for ``notices list``; ``owners`` is the tenant scope (an empty tuple: nothing)."""

    owners: tuple[str, ...] | None = None
    state: NoticeState | None = None
    marketplace: str | None = None
    limit: int = 100


class DeliveryStatus(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed
    REFUSED = "refused"  # the target is not allowed (private address): never sent


@dataclass
class WebhookDelivery:
    """One event sent (or refused) to one webhook target, with its attempts."""

    id: str
    event: str  # finding.flagged | finding.decision | notice.state
    target: str
    created: datetime
    status: DeliveryStatus
    attempts: int
    body: str  # the JSON body exactly as signed
    response_status: int | None = None
    error: str = ""
    finished: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["status"] = self.status.value
        return out


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def delivery_json(delivery: WebhookDelivery) -> dict[str, Any]:
    """The JSON shape both backends store (times as UTC ISO text)."""
    data = delivery.to_dict()
    data.update(
        created=_utc(delivery.created),
        finished=None if delivery.finished is None else _utc(delivery.finished),
    )
    return data


def delivery_from_json(data: dict[str, Any] | str) -> WebhookDelivery:
    values: dict[str, Any] = json.loads(data) if isinstance(data, str) else dict(data)
    values["created"] = datetime.fromisoformat(values["created"])
    finished = values.get("finished")
    values["finished"] = None if finished is None else datetime.fromisoformat(finished)
    values["status"] = DeliveryStatus(values["status"])
    return WebhookDelivery(**values)
