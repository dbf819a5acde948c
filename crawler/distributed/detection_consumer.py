"""A detection worker's loop: read the run's detection stream in a group, answer each listing.

Entries of a worker that died (read, never answered, idle for ``claim_idle`` seconds) are
taken over by the others with XAUTOCLAIM, so nothing is lost; a live worker keeps the entry it
is scoring fresh (XCLAIM JUSTID) so a slow listing is not taken from it. An entry already
taken by ``max_deliveries`` workers that all died is answered with an error, not tried again:
it is the cause, not a passing crash. The answer, the acknowledgement and the deletion are one
Lua script that runs only while the entry is still this worker's, so each listing gets one
answer. Entry fields are untrusted: the reply stream is derived from the run's key and a
checked submitter name, never taken from the entry.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from crawler.distributed.detection_queue import GROUP, SUBMITTER_RE, ensure_group
from crawler.distributed.wire import findings_json, listing_from_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image
    from redis import Redis

    from crawler.distributed.keys import RunKeys
    from model import Finding, Listing

_log = logging.getLogger(__name__)

CLAIM_IDLE_S = 30.0  # an entry unanswered and untouched this long belongs to a dead worker
MAX_DELIVERIES = 2  # a worker dying on an entry once is bad luck; twice, the entry is the cause
Entry = tuple[bytes, dict[bytes, bytes] | None]

# KEYS: detect stream, reply stream. ARGV: group, consumer, entry id, then reply field/values.
_ANSWER = """
local mine = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
if #mine == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
return 1
"""


@dataclass
class ConsumerResult:
    answered: int = 0  # findings sent back
    errors: int = 0  # error results sent back (bad entry, detector error, poison)
    dropped: int = 0  # entries with nobody to answer (no valid submitter)
    reclaimed: int = 0  # entries taken over from dead workers


class DetectionConsumer:
    """One consumer of a run's detection group, scoring with ``detect``."""

    def __init__(
        self,
        server: Redis,
        keys: RunKeys,
        consumer: str,
        detect: Callable[[Listing], list[Finding]],
        *,
        registry_key: str,
        load_pixels: Callable[[str], Image | None] | None = None,
        claim_idle: float = CLAIM_IDLE_S,
        max_deliveries: int = MAX_DELIVERIES,
        block_ms: int = 1000,
    ) -> None:
        self.server = server
        self.keys = keys
        self.consumer = consumer
        self.detect = detect
        self.registry_key = registry_key
        self.load_pixels = load_pixels
        self.claim_idle_ms = max(int(claim_idle * 1000), 1)
        self.max_deliveries = max_deliveries
        self.block_ms = block_ms
        self.result = ConsumerResult()
        self._answer = server.register_script(_ANSWER)
        self._last_claim = 0.0

    def run(self, stop: threading.Event) -> ConsumerResult:
        """Answer entries until ``stop`` is set or the run is done and nothing is waiting;
        what was read before ``stop`` is finished first."""
        ensure_group(self.server, self.keys)
        while not stop.is_set():
            done = bool(self.server.exists(self.keys.done))  # before reading: nothing after it
            entries = self._reclaim() or self._read()
            for entry in entries:
                self.handle(entry)
            if done and not entries:
                break
        self._leave()
        return self.result

    def _read(self) -> list[Entry]:
        answer: Any = self.server.xreadgroup(
            GROUP, self.consumer, {self.keys.detect: ">"}, count=1, block=self.block_ms
        )
        return [entry for _, stream in answer or [] for entry in stream]

    def _reclaim(self) -> list[Entry]:
        """Entries idle past ``claim_idle`` in any consumer (a dead one), at most every second."""
        now = time.monotonic()
        if now - self._last_claim < min(1.0, self.claim_idle_ms / 4000):
            return []
        self._last_claim = now
        answer: Any = self.server.xautoclaim(
            self.keys.detect, GROUP, self.consumer, self.claim_idle_ms, "0-0", count=10
        )
        claimed: list[Entry] = answer[1]
        if claimed:
            self.result.reclaimed += len(claimed)
            _log.warning("took over %d detection entr(ies) of a stopped worker", len(claimed))
        return claimed

    def handle(self, entry: Entry) -> None:
        entry_id, fields = entry
        if fields is None:  # deleted while pending (its submitter timed out)
            self.server.xack(self.keys.detect, GROUP, entry_id)
            return
        submitter = fields.get(b"submitter", b"").decode("ascii", "replace")
        request = fields.get(b"request", b"").decode("ascii", "replace")[:64]
        if not SUBMITTER_RE.fullmatch(submitter):
            _log.warning("detection entry %r names no valid submitter; dropped", entry_id)
            self.result.dropped += 1
            self._send(entry_id, None, {})
            return
        reply = self.keys.detected(submitter)
        try:
            findings = self._score(entry_id, fields)
        except Exception as exc:  # the submitter logs and skips it, as with the local pool
            self.result.errors += 1
            _log.warning("detection entry %r failed: %s", entry_id, exc)
            self._send(entry_id, reply, {"request": request, "error": str(exc)[:2000]})
            return
        self.result.answered += 1
        self._send(entry_id, reply, {"request": request, "findings": findings_json(findings)})

    def _score(self, entry_id: bytes, fields: dict[bytes, bytes]) -> list[Finding]:
        deliveries = self._deliveries(entry_id)
        if deliveries > self.max_deliveries:
            raise RuntimeError(
                f"{deliveries - 1} detection worker(s) stopped while scoring this listing (a "
                "crash or out of memory on it?); it is skipped: check the workers' logs and "
                "memory limit"
            )
        registry = fields.get(b"registry", b"").decode("ascii", "replace")
        if registry != self.registry_key:
            raise ValueError(
                "this detection worker scores against other assets or settings than the crawl "
                "worker that sent the listing: give both the same data folder and ipwatch.yaml"
                " (or restart the detection worker after an assets import)"
            )
        listing = listing_from_json(fields.get(b"listing", b""), self.load_pixels)
        with _KeepFresh(self, entry_id):
            return self.detect(listing)

    def _deliveries(self, entry_id: bytes) -> int:
        rows: list[dict[str, Any]] = self.server.xpending_range(
            self.keys.detect, GROUP, min=entry_id, max=entry_id, count=1
        )
        return int(rows[0]["times_delivered"]) if rows else 0

    def _send(self, entry_id: bytes, reply: str | None, fields: dict[str, str]) -> None:
        if reply is None:
            self.server.xack(self.keys.detect, GROUP, entry_id)
            self.server.xdel(self.keys.detect, entry_id)
            return
        args: list[str | bytes] = [GROUP, self.consumer, entry_id]
        for name, value in fields.items():
            args += [name, value]
        if not self._answer(keys=[self.keys.detect, reply], args=args):
            _log.info(
                "entry %r was taken over before its answer; the other worker answers", entry_id
            )

    def _leave(self) -> None:
        """Leave the group tidy; a consumer still holding entries stays (others reclaim them)."""
        try:
            mine = self.server.xpending_range(
                self.keys.detect, GROUP, min="-", max="+", count=1, consumername=self.consumer
            )
            if not mine:
                self.server.xgroup_delconsumer(self.keys.detect, GROUP, self.consumer)
        except RedisError as exc:
            _log.warning("could not leave the detection group cleanly: %s", exc)


class _KeepFresh:
    """While a listing is scored, touch its entry so no other worker takes it over."""

    def __init__(self, consumer: DetectionConsumer, entry_id: bytes) -> None:
        self.consumer = consumer
        self.entry_id = entry_id
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._touch, daemon=True)

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def _touch(self) -> None:
        c = self.consumer
        while not self._done.wait(c.claim_idle_ms / 3000):
            try:
                c.server.xclaim(c.keys.detect, GROUP, c.consumer, 0, [self.entry_id], justid=True)
            except RedisError as exc:
                _log.warning("could not keep detection entry %r: %s", self.entry_id, exc)
