"""Bulk requests with retries and exponential backoff, item by item, for both clients."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.elastic.errors import error_type, is_transient
from store.exceptions import IndexUnavailableError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from store.elastic.client import Adapter

CHUNK = 500


@dataclass
class BulkItem:
    """One action line (``{"update": {"_index": ..., "_id": ...}}``) and its body line."""

    action: dict[str, Any]
    body: dict[str, Any] | None = None


@dataclass
class BulkResult:
    """What became of an item: ``response`` on success, else an error and whether to retry."""

    response: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    transient: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class Backoff:
    """Retry policy: attempt n waits initial * 2**n seconds, capped, between tries."""

    max_retries: int = 3
    initial: float = 0.5
    cap: float = 10.0
    sleep: Callable[[float], None] = time.sleep

    def wait(self, attempt: int) -> None:
        self.sleep(min(self.cap, self.initial * 2**attempt))


def _lines(items: Sequence[BulkItem]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        out.append(item.action)
        if item.body is not None:
            out.append(item.body)
    return out


def _outcome(answer: dict[str, Any]) -> BulkResult:
    (_, response), *_ = answer.items()
    status = int(response.get("status", 0))
    if status < 300:
        return BulkResult(response=response)
    err = response.get("error", {})
    kind = error_type({"error": err})
    reason = err.get("reason", "") if isinstance(err, dict) else str(err)
    return BulkResult(
        response=response,
        error=f"HTTP {status} {kind}: {reason}"[:2000],
        transient=is_transient(status, kind),
    )


def run_bulk(
    adapter: Adapter, items: Sequence[BulkItem], backoff: Backoff | None = None
) -> list[BulkResult]:
    """Send items in chunks; retry throttled/unavailable items, give up after the policy says.

    Returns one result per item in order. Items still failing transiently come back with
    ``transient=True`` (the caller spools them); permanent rejections with ``transient=False``.
    """
    policy = backoff or Backoff()
    results: list[BulkResult] = [BulkResult() for _ in items]
    down = ""  # set once the whole cluster stopped answering: later chunks go straight back
    for start in range(0, len(items), CHUNK):
        todo = list(range(start, min(start + CHUNK, len(items))))
        for attempt in range(policy.max_retries + 1):
            if down:
                for i in todo:
                    results[i] = BulkResult(error=down, transient=True)
                break
            try:
                answer = adapter.bulk(_lines([items[i] for i in todo]))
            except IndexUnavailableError as exc:
                for i in todo:
                    results[i] = BulkResult(error=str(exc), transient=True)
                if attempt == policy.max_retries:
                    down = str(exc)
            else:
                for i, item_answer in zip(todo, answer["items"], strict=True):
                    results[i] = _outcome(item_answer)
            todo = [i for i in todo if results[i].transient]
            if not todo or attempt == policy.max_retries:
                break
            policy.wait(attempt)
    return results
