"""Sort client failures into what the backend does next: spool, conflict, missing, or reject."""

from __future__ import annotations

from typing import Any

from store.exceptions import (
    IndexUnavailableError,
    RecordConflictError,
    RecordNotFoundError,
    StoreError,
)

# Statuses worth retrying later: throttled, server-side trouble, or a proxy in between.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class IndexRejectedError(StoreError):
    """The cluster refused a request for good (bad document, bad mapping): retrying won't help."""


def is_transient(status: int | None, error_type: str = "") -> bool:
    """A write block (disk flood stage, a migration in progress) lifts by itself, like a 503."""
    return status is None or status in TRANSIENT_STATUSES or error_type == "cluster_block_exception"


def error_type(info: Any) -> str:
    """The ``error.type`` of a response body, whatever shape the client handed us."""
    if isinstance(info, dict):
        err = info.get("error", info)
        if isinstance(err, dict):
            return str(err.get("type", ""))
        return str(err)
    return ""


def translate(status: int | None, info: Any, where: str) -> StoreError:
    """One of our exceptions for a failed call; ``status`` None means no HTTP answer at all."""
    kind = error_type(info)
    if is_transient(status, kind):
        detail = f"HTTP {status} {kind}".strip() if status else str(info)[:300]
        return IndexUnavailableError(
            f"{where}: the index cluster is unavailable ({detail}); check that it is running "
            "and reachable, then run `ipwatch index flush` to replay spooled writes"
        )
    if status == 409:
        return RecordConflictError(f"{where}: version conflict ({kind})")
    if status == 404:
        return RecordNotFoundError(f"{where}: not found ({kind})")
    return IndexRejectedError(
        f"{where}: the cluster rejected the request (HTTP {status} {kind}: {str(info)[:300]}); "
        "fix the document or run `ipwatch index migrate` if the mapping is outdated"
    )
