"""A notice the marketplace has not acted on: its listing still answers N days after sending.

Marketplaces are expected to act "expeditiously" (DSA Art. 6, DMCA §512(c)(1)(C)); a notice left
unanswered is what an enforcement team follows up or escalates. Each `notices check` raises every
such notice again (a daily reminder while it stays unanswered), as a line in the check's result
and a ``notice.overdue`` webhook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ipwatch.services.webhooks import emit
from model.notices import NoticeState

if TYPE_CHECKING:
    from datetime import datetime

    from ipwatch.services.workspace import Workspace
    from model.notices import NoticeRecord


@dataclass
class OverdueNotice:
    """A sent notice with listings still up past the escalation delay."""

    notice_id: str
    owner: str
    marketplace: str
    sent: datetime
    days: int
    finding_ids: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "notice_id": self.notice_id,
            "owner": self.owner,
            "marketplace": self.marketplace,
            "sent": self.sent.isoformat(timespec="seconds"),
            "days_since_sent": self.days,
            "finding_ids": list(self.finding_ids),
            "urls": list(self.urls),
        }


def sent_at(workspace: Workspace, notice: NoticeRecord) -> datetime | None:
    """When the notice was (last) marked sent, from its append-only state history."""
    sent = [
        e.at
        for e in workspace.index.list_notice_events(notice.id)
        if e.to_state == NoticeState.SENT
    ]
    return max(sent) if sent else None


def overdue(
    workspace: Workspace,
    notice: NoticeRecord,
    still_up: list[tuple[str, str]],
    now: datetime,
) -> OverdueNotice | None:
    """The notice as overdue when ``still_up`` (finding, url) pairs outlived the delay."""
    after = workspace.config.notices.escalate_after_days
    if not after or not still_up:
        return None
    sent = sent_at(workspace, notice)
    if sent is None or now - sent < timedelta(days=after):
        return None
    return OverdueNotice(
        notice_id=notice.id,
        owner=notice.owner,
        marketplace=notice.marketplace,
        sent=sent,
        days=(now - sent).days,
        finding_ids=[f for f, _ in still_up],
        urls=[u for _, u in still_up],
    )


def raise_overdue(workspace: Workspace, late: OverdueNotice) -> None:
    """Tell the actioner hooks (a no-op without targets)."""
    emit(workspace, "notice.overdue", late.to_dict())
