"""``Detection`` over Redis: a crawl worker's listings scored by detection workers elsewhere.

``submit`` adds the listing (JSON, images by digest) to the run's stream ``ipwatch:<run>:detect``
and returns a ``Future``; ``ipwatch detect-worker`` processes read it in a consumer group and
answer on this submitter's own results stream, which a background thread reads to resolve
the futures. Each submitter keeps at most ``in_flight`` listings unanswered (a submit waits for
a slot), and a listing nobody answers within ``timeout`` seconds fails with a message saying
what to start, never hangs. The crawl's detect pipeline awaits these futures exactly as it
awaits the local pool's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import threading
import time
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError, ResponseError

from crawler.distributed.keys import RunKeys, connect
from crawler.distributed.wire import findings_from_json, listing_to_json
from detector.exceptions import DetectorError

if TYPE_CHECKING:
    from redis import Redis
    from scrapy.settings import BaseSettings

    from detector.cache import FindingsCache
    from model import Finding, Listing

_log = logging.getLogger(__name__)

GROUP = "detectors"  # the consumer group every detection worker of a run reads in
SUBMITTER_RE = re.compile(r"[A-Za-z0-9_.-]{1,100}")
IN_FLIGHT = 256  # per submitter; above a crawl worker's scraper slot, so a crawl never waits
TIMEOUT_S = 600.0  # a listing unanswered this long fails (a long queue behind it counts too)


class RemoteDetectionError(DetectorError):
    """A detection worker answered with an error: the listing is skipped, as the pool does."""


class DetectionTimeoutError(DetectorError):
    """No detection worker answered in time (none running, or all far behind)."""


def ensure_group(server: Redis, keys: RunKeys) -> None:
    """The run's detection stream and its consumer group, from the first entry on."""
    try:
        server.xgroup_create(keys.detect, GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def new_submitter() -> str:
    """Unique per ``RedisDetection``: host, pid and a random part (results are read by id)."""
    host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname())[:60]
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class _Pending:
    future: Future[list[Finding]]
    listing: Listing
    deadline: float
    entry: str | None = None  # the stream entry, once added


class RedisDetection:
    """Submit listings to the run's detection stream; resolve futures from the results."""

    def __init__(
        self,
        server: Redis,
        keys: RunKeys,
        *,
        registry_key: str,
        cache: FindingsCache | None = None,
        in_flight: int = IN_FLIGHT,
        timeout: float = TIMEOUT_S,
        block_ms: int = 500,
    ) -> None:
        if in_flight < 1:
            raise DetectorError(f"a detection queue needs in_flight >= 1, got {in_flight}")
        self.server = server
        self.keys = keys
        self.registry_key = registry_key
        self.cache = cache
        self.timeout = timeout
        self.submitter = new_submitter()
        self._results = keys.detected(self.submitter)
        self._block_ms = block_ms
        self._slots = threading.BoundedSemaphore(in_flight)
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.unmatched = 0  # answers to no pending listing (timed out, or answered twice)
        ensure_group(server, keys)
        self._reader = threading.Thread(
            target=self._read, name=f"detect-results-{keys.run_id}", daemon=True
        )
        self._reader.start()

    def submit(self, listing: Listing) -> Future[list[Finding]]:
        """Findings of ``listing`` from a detection worker (or the cache), later."""
        future: Future[list[Finding]] = Future()
        cached = self.cache.get(listing) if self.cache is not None else None
        if cached is not None:
            future.set_result(cached)
            return future
        if self._stop.is_set():
            future.set_exception(DetectorError("the detection queue is closed"))
            return future
        if not self._slots.acquire(timeout=self.timeout):
            future.set_exception(self._timeout_error(listing))
            return future
        request = uuid.uuid4().hex
        pending = _Pending(future, listing, time.monotonic() + self.timeout)
        with self._lock:
            self._pending[request] = pending
        try:
            entry = self.server.xadd(
                self.keys.detect,
                {
                    "request": request,
                    "submitter": self.submitter,
                    "registry": self.registry_key,
                    "listing": listing_to_json(listing),
                },
            )
        except RedisError as exc:
            self._fail(request, DetectorError(f"listing {listing.id} not queued: {exc}"))
        else:
            pending.entry = entry.decode() if isinstance(entry, bytes) else str(entry)
        return future

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _read(self) -> None:
        """Background thread: resolve futures from the results stream; time out the stale."""
        last = "0"
        while not self._stop.is_set():
            try:
                answer: Any = self.server.xread(
                    {self._results: last}, count=100, block=self._block_ms
                )
                entries = [entry for _, stream in answer or [] for entry in stream]
                for entry_id, fields in entries:
                    last = entry_id
                    self._answered(fields)
                if entries:
                    self.server.xdel(self._results, *(entry_id for entry_id, _ in entries))
            except RedisError as exc:  # Redis away for a moment: the deadlines still hold
                _log.warning("reading detection results failed (%s); retrying", exc)
                self._stop.wait(1.0)
            self._expire()

    def _answered(self, fields: dict[bytes, bytes]) -> None:
        request = fields.get(b"request", b"").decode("ascii", "replace")
        with self._lock:
            pending = self._pending.get(request)
        if pending is None:
            self.unmatched += 1  # timed out already, or answered before
            return
        listing = pending.listing
        error = fields.get(b"error")
        if error is not None:
            self._fail(
                request,
                RemoteDetectionError(
                    f"listing {listing.id}: {error.decode('utf-8', 'replace')[:2000]}"
                ),
            )
            return
        try:
            findings = findings_from_json(fields.get(b"findings", b"").decode())
            if any(finding.listing_id != listing.id for finding in findings):
                raise ValueError("findings of another listing")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            self._fail(request, RemoteDetectionError(f"listing {listing.id}: bad answer: {exc}"))
            return
        if self.cache is not None:
            self.cache.put(listing, findings)
        self._finish(request, lambda f: f.set_result(findings))

    def _expire(self) -> None:
        now = time.monotonic()
        with self._lock:
            late = [r for r, p in self._pending.items() if p.deadline <= now]
        for request in late:
            pending = self._pending.get(request)
            if pending is None:
                continue
            if pending.entry is not None:  # nobody waits for it now: spare the workers
                with contextlib.suppress(RedisError):
                    self.server.xdel(self.keys.detect, pending.entry)
            self._fail(request, self._timeout_error(pending.listing))

    def _timeout_error(self, listing: Listing) -> DetectionTimeoutError:
        try:
            consumers = len(self.server.xinfo_consumers(self.keys.detect, GROUP))
        except RedisError:
            consumers = 0
        return DetectionTimeoutError(
            f"no detection worker answered listing {listing.id} within {self.timeout:g} s "
            f"({consumers} worker(s) ever joined run {self.keys.run_id}): start more with "
            f"`ipwatch detect-worker --run {self.keys.run_id}` or raise IPWATCH_DETECT_TIMEOUT"
        )

    def _fail(self, request: str, exc: BaseException) -> None:
        self._finish(request, lambda f: f.set_exception(exc))

    def _finish(self, request: str, settle: Any) -> None:
        with self._lock:
            pending = self._pending.pop(request, None)
        if pending is None:
            return
        self._slots.release()
        settle(pending.future)

    def close(self) -> None:
        """Stop reading; whatever is still unanswered fails (the caller is going away)."""
        self._stop.set()
        self._reader.join(timeout=self._block_ms / 1000 + 5)
        with self._lock:
            requests = list(self._pending)
        for request in requests:
            self._fail(request, DetectorError("the detection queue closed before the answer"))
        with contextlib.suppress(RedisError):
            self.server.delete(self._results)
        if self.cache is not None:
            self.cache.close()


def remote_detection(
    settings: BaseSettings, registry_key: str, cache: FindingsCache | None
) -> RedisDetection | None:
    """The run's detection queue when a distributed run asks for one, else None (local)."""
    if not settings.getbool("IPWATCH_DETECT_QUEUE"):
        return None
    run_id, url = settings.get("IPWATCH_RUN_ID"), settings.get("REDIS_URL")
    if not run_id or not url:
        raise DetectorError(
            "IPWATCH_DETECT_QUEUE needs a distributed run (IPWATCH_RUN_ID and REDIS_URL): "
            "start one with `ipwatch crawl MARKETPLACE --workers N --detect-workers M`"
        )
    return RedisDetection(
        connect(url),
        RunKeys(run_id),
        registry_key=registry_key,
        cache=cache,
        in_flight=settings.getint("IPWATCH_DETECT_IN_FLIGHT", IN_FLIGHT),
        timeout=settings.getfloat("IPWATCH_DETECT_TIMEOUT", TIMEOUT_S),
    )
