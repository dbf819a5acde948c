"""Is the data folder's index answering, and how many findings are in each status?

For health checks and metrics of front doors (the desk's /healthz and /metrics): operator-level
numbers over every owner, never a finding's content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipwatch import __version__
from model import FindingQuery
from store.exceptions import StoreError

if TYPE_CHECKING:
    from ipwatch.services.workspace import Workspace

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    """What a load balancer or a monitor needs: up or degraded, and why, in words."""

    status: str  # "ok" | "degraded"
    store: str  # "reachable" | "unreachable"
    version: str

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "store": self.store, "version": self.version}


def health(workspace: Workspace) -> Health:
    """One cheap query against the index; its failure is reported, not raised."""
    try:
        workspace.index.count_listings()
    except (StoreError, OSError) as exc:
        logger.warning("health check: the index does not answer: %s", type(exc).__name__)
        return Health("degraded", "unreachable", __version__)
    return Health("ok", "reachable", __version__)


def findings_by_status(workspace: Workspace) -> dict[str, int]:
    """How many findings are in each review status, over every owner."""
    return workspace.index.count_findings("status", FindingQuery())
