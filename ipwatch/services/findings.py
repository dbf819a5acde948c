"""Read findings: a filtered list (risk first) and one finding with its review history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipwatch.services.errors import NotFoundError
from model import FindingQuery

if TYPE_CHECKING:
    from collections.abc import Iterator

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


def list_findings(workspace: Workspace, query: FindingQuery) -> list[FindingRecord]:
    """Findings matching ``query``, highest risk first, then by id."""
    return workspace.index.list_findings(query)


def every_finding(workspace: Workspace) -> Iterator[FindingRecord]:
    """All of the index's findings, a keyset page at a time (any backend, any size)."""
    after: tuple[float, str] | None = None
    while True:
        page = workspace.index.list_findings(FindingQuery(limit=PAGE, search_after=after))
        yield from page
        if len(page) < PAGE:
            return
        after = (page[-1].risk, page[-1].id)


def show_finding(workspace: Workspace, finding_id: str) -> FindingDetail:
    index = workspace.index
    finding = index.get_finding(finding_id)
    if finding is None:
        raise NotFoundError(f"no finding {finding_id!r}; `ipwatch findings list` shows the ids")
    snapshots = [s for s in map(index.get_snapshot, finding.snapshot_ids) if s is not None]
    return FindingDetail(finding, index.list_events(finding_id), snapshots)
