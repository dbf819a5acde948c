"""Read crawl runs: the newest first, each with its trigger, outcome and counters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipwatch.services.errors import ForbiddenError, NotFoundError

if TYPE_CHECKING:
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import CrawlRun


def list_runs(workspace: Workspace, limit: int = 20) -> list[CrawlRun]:
    return workspace.index.list_runs(limit=limit)


def visible_runs(workspace: Workspace, principal: Principal, limit: int = 50) -> list[CrawlRun]:
    """Runs for the desk: their counters cover every owner's listings, so only people who work
    for every owner see them (a rights holder's user would learn others' volumes)."""
    principal.require("read")
    if principal.owners is not None:
        raise ForbiddenError("crawl runs cover every rights holder; ask the enforcement team")
    return workspace.index.list_runs(limit=limit)


def show_run(workspace: Workspace, run_id: str) -> CrawlRun:
    run = workspace.index.get_run(run_id)
    if run is None:
        raise NotFoundError(f"no crawl run {run_id!r}; `ipwatch runs list` shows the ids")
    return run
