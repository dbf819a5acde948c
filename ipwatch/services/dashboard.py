"""The enforcement dashboard of the findings in a user's scope: series, takedowns, top sellers.

Status history is read for findings that left ``new`` only (a new finding has no events), so
the cost follows the number of decided findings, capped at ``SCAN_LIMIT`` findings read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from enforcement.record.dashboard import FindingHistory, Series, Takedowns, summarise
from ipwatch.services.repeat_record import repeat_record
from model import FindingQuery, FindingStatus

if TYPE_CHECKING:
    from enforcement.record import Record
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace

PAGE = 500
SCAN_LIMIT = 100_000
TOP = 10


@dataclass(frozen=True)
class Dashboard:
    series: Series
    takedowns: list[Takedowns]
    top_sellers: list[Record]
    top_networks: list[Record]
    findings_read: int

    def to_dict(self) -> dict[str, Any]:
        s = self.series
        return {
            "days": s.days(),
            "findings": s.findings,
            "confirmations": s.confirmations,
            "notices": s.notices,
            "removals": s.removals,
            "takedowns": [t.to_dict() for t in self.takedowns],
            "top_sellers": [r.to_dict() for r in self.top_sellers],
            "top_networks": [r.to_dict() for r in self.top_networks],
            "findings_read": self.findings_read,
        }


def dashboard(workspace: Workspace, principal: Principal) -> Dashboard:
    principal.require("read")
    histories: list[FindingHistory] = []
    after: tuple[float, str] | None = None
    while len(histories) < SCAN_LIMIT:
        batch = workspace.index.list_findings(
            principal.scope(FindingQuery(limit=PAGE, search_after=after))
        )
        for finding in batch:
            events: tuple[tuple[Any, str], ...] = ()
            if finding.status != FindingStatus.NEW:
                events = tuple(
                    (e.at, e.to_status.value) for e in workspace.index.list_events(finding.id)
                )
            histories.append(
                FindingHistory(finding.id, finding.marketplace, finding.created, events)
            )
        if len(batch) < PAGE:
            break
        after = (batch[-1].risk, batch[-1].id)
    series, takedowns = summarise(histories)
    record = repeat_record(workspace, principal)
    return Dashboard(
        series,
        takedowns,
        [r for r in record.sellers if r.strikes][:TOP],
        [r for r in record.networks if r.strikes][:TOP],
        len(histories),
    )
