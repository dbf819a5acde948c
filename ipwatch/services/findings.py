"""Read findings: a filtered list (risk first) and one finding with its review history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipwatch.services.errors import NotFoundError

if TYPE_CHECKING:
    from ipwatch.services.workspace import Workspace
    from model import (
        FindingQuery,
        FindingRecord,
        ReviewEvent,
        SnapshotRef,
    )


@dataclass(frozen=True)
class FindingDetail:
    """A finding, every review decision on it (oldest first) and the snapshots it cites."""

    finding: FindingRecord
    events: list[ReviewEvent]
    snapshots: list[SnapshotRef]


def list_findings(workspace: Workspace, query: FindingQuery) -> list[FindingRecord]:
    """Findings matching ``query``, highest risk first, then by id."""
    return workspace.index.list_findings(query)


def show_finding(workspace: Workspace, finding_id: str) -> FindingDetail:
    index = workspace.index
    finding = index.get_finding(finding_id)
    if finding is None:
        raise NotFoundError(f"no finding {finding_id!r}; `ipwatch findings list` shows the ids")
    snapshots = [s for s in map(index.get_snapshot, finding.snapshot_ids) if s is not None]
    return FindingDetail(finding, index.list_events(finding_id), snapshots)
