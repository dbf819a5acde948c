"""The events the actioner hooks send, as plain JSON data (see ``webhooks`` for the envelope).

``finding.flagged``: a crawl or rescan stored a new flagged finding. ``finding.decision``: a
finding's status changed (a review, or a notice's outcome). ``notice.state``: a notice was
created (``from_state`` null) or moved to another state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipwatch.services.webhooks import emit
from model import FindingQuery

PAGE = 500

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import datetime

    from ipwatch.services.workspace import Workspace
    from model import FindingRecord
    from model.notices import NoticeEvent, NoticeRecord


def finding_data(finding: FindingRecord) -> dict[str, Any]:
    return {
        "finding_id": finding.id,
        "owner": finding.owner,
        "marketplace": finding.marketplace,
        "asset_id": finding.asset_id,
        "listing_id": finding.listing_id,
        "status": finding.status.value,
        "risk": finding.risk,
        "title": finding.title,
        "url": finding.url,
        "signals": [s.get("kind") for s in finding.signals],
        "snapshot_ids": list(finding.snapshot_ids),
    }


def findings_flagged(workspace: Workspace, findings: Iterable[FindingRecord]) -> int:
    """One ``finding.flagged`` event per new flagged finding; returns how many were sent."""
    sent = 0
    for finding in findings:
        if finding.flagged:
            emit(workspace, "finding.flagged", finding_data(finding))
            sent += 1
    return sent


def flagged_since(
    workspace: Workspace, marketplace: str, since: datetime
) -> Iterator[FindingRecord]:
    """Flagged findings of ``marketplace`` first seen at or after ``since`` (a crawl's start)."""
    after: tuple[float, str] | None = None
    while True:
        page = workspace.index.list_findings(
            FindingQuery(
                marketplace=marketplace,
                flagged_only=True,
                created_from=since,
                limit=PAGE,
                search_after=after,
            )
        )
        yield from page
        if len(page) < PAGE:
            return
        after = (page[-1].risk, page[-1].id)


def finding_decided(
    workspace: Workspace, finding: FindingRecord, from_status: str, actor: str, reason: str
) -> None:
    data = finding_data(finding)
    data.update(from_status=from_status, actor=actor, reason=reason)
    emit(workspace, "finding.decision", data)


def notice_changed(workspace: Workspace, notice: NoticeRecord, event: NoticeEvent | None) -> None:
    emit(
        workspace,
        "notice.state",
        {
            "notice_id": notice.id,
            "owner": notice.owner,
            "marketplace": notice.marketplace,
            "template": notice.template,
            "state": notice.state.value if event is None else event.to_state.value,
            "from_state": None if event is None else event.from_state.value,
            "actor": notice.created_by if event is None else event.actor,
            "reason": "" if event is None else event.reason,
            "finding_ids": list(notice.finding_ids),
            "sha256": notice.sha256,
        },
    )
