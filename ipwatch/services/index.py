"""The evidence index's housekeeping: which backend, the spool of waiting writes, migrations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    from ipwatch.services.workspace import Workspace


@dataclass(frozen=True)
class IndexStatus:
    url: str  # credentials redacted
    pending: int


def redacted(url: str) -> str:
    """Never show credentials from an index URL."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def index_status(workspace: Workspace) -> IndexStatus:
    return IndexStatus(redacted(workspace.index_url), workspace.index.pending())


def flush_spool(workspace: Workspace) -> tuple[int, int]:
    """Replay writes spooled while the cluster was away: (replayed, still waiting)."""
    replayed = workspace.index.flush()
    return replayed, workspace.index.pending()


def migrate_index(workspace: Workspace, kind: str | None = None) -> list[str]:
    """Move indices to the current mapping version behind their aliases; one line per step."""
    migrate = getattr(workspace.index, "migrate", None)
    if migrate is None:
        raise InvalidRequestError(
            "this index backend has nothing to migrate (SQLite upgrades itself on open)"
        )
    return [str(line) for line in migrate(kind)]
