"""Give every pipeline and extension of one crawl the same workspace (index, blobs, detector)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipwatch.workspace import Workspace

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_ATTRIBUTE = "_ipwatch_workspace"


def workspace_for(crawler: Crawler) -> Workspace:
    """The CLI passes an open Workspace in IPWATCH_WORKSPACE; `scrapy crawl` opens IPWATCH_HOME."""
    workspace = getattr(crawler, _ATTRIBUTE, None)
    if workspace is None:
        workspace = crawler.settings.get("IPWATCH_WORKSPACE") or Workspace.open(
            crawler.settings.get("IPWATCH_HOME")
        )
        setattr(crawler, _ATTRIBUTE, workspace)
    return workspace
