"""What every part of ``ElasticStore`` shares: the connection, its indices and their state."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from store.elastic.bulk import Backoff
from store.elastic.client import Adapter, connect
from store.elastic.migrate import ensure_indices
from store.elastic.ops import Ops
from store.elastic.spool import Spool

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from store.elastic.templates import Kind

PAGE = 1000  # hits per search_after page when a read walks a whole result set


class ElasticBase:
    """The cluster connection, the spool and the flags the read and write paths share."""

    def __init__(
        self,
        url_or_adapter: str | Adapter,
        *,
        prefix: str | None = None,
        spool_path: Path | str,
        clock: Callable[[], datetime] | None = None,
        retry_after: float = 30.0,
        backoff: Backoff | None = None,
    ) -> None:
        self.adapter = (
            connect(url_or_adapter) if isinstance(url_or_adapter, str) else url_or_adapter
        )
        self.prefix = prefix or self.adapter.prefix
        self.spool = Spool(spool_path)
        self._ops = Ops(self.adapter, self.prefix)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._retry_after = retry_after  # seconds to spool straight away after an outage
        self._backoff = backoff or Backoff()
        self._lock = threading.RLock()
        self._ready = False
        self._dirty: set[Kind] = set()
        self._down_until = 0.0
        self._replay_due = True  # a fresh process replays what an earlier one spooled
        # seller key -> (document without seen times, first_seen, last_seen + SELLER_FRESH)
        self._written: dict[str, tuple[dict[str, Any], str | None, str | None]] = {}

    def _ensure(self) -> None:
        with self._lock:
            if not self._ready:
                ensure_indices(self.adapter, self.prefix)
                self._ready = True

    def _went_down(self) -> None:
        self._down_until = time.monotonic() + self._retry_after
        self._replay_due = True

    def _search(self, kind: Kind, body: dict[str, Any]) -> dict[str, Any]:
        self._ensure()
        if kind in self._dirty:
            self._dirty.discard(kind)
            self.adapter.refresh(self._ops.alias(kind))
        return self.adapter.search(self._ops.alias(kind), body)

    def _get(self, kind: Kind, doc_id: str) -> dict[str, Any] | None:
        if not doc_id:  # no document has an empty id (and the client refuses to ask for one)
            return None
        self._ensure()
        return self.adapter.get(self._ops.alias(kind), doc_id)

    def _scan(
        self,
        kind: Kind,
        query: dict[str, Any],
        sort: list[dict[str, Any]],
        *,
        after: list[Any] | None = None,
        skip: int = 0,
        limit: int | None = None,
        seq_no: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Hits in ``sort`` order, paged with search_after (no 10,000-hit window limit)."""
        left = limit
        while left is None or left > 0:
            size = PAGE if left is None else min(PAGE, left + skip)
            body: dict[str, Any] = {"query": query, "sort": sort, "size": size}
            body["track_total_hits"] = False
            if seq_no:
                body["seq_no_primary_term"] = True
            if after is not None:
                body["search_after"] = after
            hits = self._search(kind, body)["hits"]["hits"]
            for hit in hits[skip:]:
                yield hit
                if left is not None:
                    left -= 1
                    if left == 0:
                        return
            skip = max(0, skip - len(hits))
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

    @staticmethod
    def _marketplace(marketplace: str | None) -> dict[str, Any]:
        return {"match_all": {}} if marketplace is None else {"term": {"marketplace": marketplace}}
