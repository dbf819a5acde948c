"""Read findings: a filtered list (risk first) and one finding with its review history.

Both are scoped to the principal's owners in the store query; another owner's finding id is
answered exactly like an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipwatch.services.errors import NotFoundError
from model import FindingQuery

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import (
        FindingRecord,
        ReviewEvent,
        SnapshotRef,
    )


PAGE = 500  # findings per keyset page when every finding is walked


@dataclass(frozen=True)
class FindingDetail:
    """A finding, every review decision on it (oldest first) and the snapshots it cites."""

    finding: FindingRecord
    events: list[ReviewEvent]
    snapshots: list[SnapshotRef]


def list_findings(
    workspace: Workspace, query: FindingQuery, principal: Principal
) -> list[FindingRecord]:
    """Findings matching ``query`` within the principal's owners, highest risk first, then id."""
    principal.require("read")
    return workspace.index.list_findings(principal.scope(query))


def every_finding(workspace: Workspace) -> Iterator[FindingRecord]:
    """All of the index's findings, a keyset page at a time (any backend, any size)."""
    after: tuple[float, str] | None = None
    while True:
        page = workspace.index.list_findings(FindingQuery(limit=PAGE, search_after=after))
        yield from page
        if len(page) < PAGE:
            return
        after = (page[-1].risk, page[-1].id)


def get_finding(workspace: Workspace, finding_id: str, principal: Principal) -> FindingRecord:
    """One finding the principal may see; NotFound for a missing id and another owner's alike."""
    principal.require("read")
    finding = workspace.index.get_finding(finding_id)
    if finding is None or not principal.sees(finding.owner):
        raise NotFoundError(f"no finding {finding_id!r}; `ipwatch findings list` shows the ids")
    return finding


def show_finding(workspace: Workspace, finding_id: str, principal: Principal) -> FindingDetail:
    index = workspace.index
    finding = get_finding(workspace, finding_id, principal)
    snapshots = [s for s in map(index.get_snapshot, finding.snapshot_ids) if s is not None]
    return FindingDetail(finding, index.list_events(finding_id), snapshots)
