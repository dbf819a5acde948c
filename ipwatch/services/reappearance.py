"""Back after removal: a listing a notice took down is on the marketplace again.

The crawl that finds it seals fresh evidence (the evidence pipeline treats a removed finding
like a new one); this moves the finding ``removed -> reappeared``, signed like a decision, with
the earlier notice and the new snapshot in the reason, a custody event on that notice's chain,
and a ``finding.reappeared`` webhook. A reappeared finding can go into a new notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ipwatch.services.errors import ServiceError
from ipwatch.services.notices import record_custody
from ipwatch.services.review import record_enforcement
from ipwatch.services.webhook_events import finding_data
from ipwatch.services.webhooks import emit
from model import FindingQuery, FindingStatus
from model.notices import NoticeQuery

if TYPE_CHECKING:
    from datetime import datetime

    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord
    from model.notices import NoticeRecord

PAGE = 500


@dataclass
class Reappearance:
    finding_id: str
    url: str
    notice_id: str | None
    snapshot_ids: list[str] = field(default_factory=list)  # sealed since ``since``


@dataclass
class ReappearanceResult:
    reappeared: list[Reappearance] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (finding, why)


def _removed(workspace: Workspace, marketplace: str) -> list[FindingRecord]:
    found: list[FindingRecord] = []
    after: tuple[float, str] | None = None
    while True:
        page = workspace.index.list_findings(
            FindingQuery(
                marketplace=marketplace,
                status=FindingStatus.REMOVED,
                limit=PAGE,
                search_after=after,
            )
        )
        found.extend(page)
        if len(page) < PAGE:
            return found
        after = (page[-1].risk, page[-1].id)


def _notice_of(workspace: Workspace, finding: FindingRecord) -> NoticeRecord | None:
    """The newest notice that cited the finding (the one whose removal it undoes)."""
    notices = workspace.index.list_notices(
        NoticeQuery(owners=(finding.owner,), marketplace=finding.marketplace, limit=10_000)
    )
    citing = [n for n in notices if finding.id in n.finding_ids]
    return max(citing, key=lambda n: n.created) if citing else None


def _sealed_since(workspace: Workspace, finding: FindingRecord, since: datetime) -> list[str]:
    out = []
    for snapshot_id in finding.snapshot_ids:
        record = workspace.index.get_snapshot(snapshot_id)
        if record is not None and record.captured_at >= since:
            out.append(snapshot_id)
    return out


def apply_reappearances(
    workspace: Workspace,
    marketplace: str,
    since: datetime,
    principal: Principal,
    run_id: str = "",
) -> ReappearanceResult:
    """Every removed finding of ``marketplace`` whose listing was seen at or after ``since``
    (a crawl's start) becomes ``reappeared``."""
    principal.require("review")
    result = ReappearanceResult()
    if workspace.read_only:
        return result
    for finding in _removed(workspace, marketplace):
        listing = workspace.index.get_listing(finding.listing_id)
        if listing is None or listing.last_seen < since:
            continue
        notice = _notice_of(workspace, finding)
        fresh = _sealed_since(workspace, finding, since)
        run = f" in run {run_id}" if run_id else ""
        after = f" after notice {notice.id} removed it" if notice else " after its removal"
        evidence = f"; new evidence: snapshot {', '.join(fresh)}" if fresh else ""
        reason = f"listing seen again on {marketplace}{run}{after}{evidence}"
        try:
            moved = record_enforcement(
                workspace,
                finding.id,
                (FindingStatus.REMOVED,),
                FindingStatus.REAPPEARED,
                reason,
                principal,
            )
        except ServiceError as exc:
            result.problems.append((finding.id, str(exc)))
            continue
        if moved is None:
            continue
        if notice is not None:
            record_custody(
                workspace, notice, f"finding {finding.id} reappeared: {reason}", principal.name
            )
        item = Reappearance(finding.id, listing.url, notice.id if notice else None, fresh)
        result.reappeared.append(item)
        after_move = workspace.index.get_finding(finding.id) or finding
        data = finding_data(after_move)
        data.update(notice_id=item.notice_id, new_snapshot_ids=fresh, reason=reason)
        emit(workspace, "finding.reappeared", data)
    return result
