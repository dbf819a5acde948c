"""Leases on popped requests, so a worker killed mid-request loses nothing.

Plain scrapy-redis pops a request and forgets it: a ``kill -9`` loses whatever the worker had
in flight. Here a pop moves the request into the worker's lease hash in the same script; it
leaves when the worker is done with it (``ack``). Each worker keeps a heartbeat key with a
TTL; any live worker puts the leases of a worker whose heartbeat expired back in the frontier.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis import Redis

    from crawler.distributed.keys import RunKeys

# Pop the best request and lease it under id ARGV[1], in one step; the worker is busy again.
_POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
redis.call('HSET', KEYS[2], ARGV[1], found[1])
redis.call('DEL', KEYS[3])
return found[1]
"""

# Queue a request; when it replaces a leased one (a retry, a redirect), drop that lease.
_PUSH = """
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('HDEL', KEYS[2], ARGV[3]) end
return 1
"""

# Leases of workers whose heartbeat expired go back to the frontier (score 0: no priority).
_REQUEUE = """
local moved = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. worker) == 0 then
    local leases = ARGV[1] .. 'leases:' .. worker
    for _, data in ipairs(redis.call('HVALS', leases)) do
      redis.call('ZADD', KEYS[2], 0, data)
      moved = moved + 1
    end
    redis.call('DEL', leases)
    redis.call('SREM', KEYS[1], worker)
  end
end
return moved
"""

# The run is over when the frontier is empty, no worker holds a lease and every worker is
# idle (a busy one may still be queueing what its last page links to); say so once.
_FINISH = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 1 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HLEN', ARGV[1] .. 'leases:' .. worker) > 0 then return 0 end
  if redis.call('EXISTS', ARGV[1] .. 'idle:' .. worker) == 0 then return 0 end
end
redis.call('SET', KEYS[3], '1')
return 1
"""


class Leases:
    """One worker's view of the run's frontier and leases (scripts run atomically in Redis)."""

    def __init__(self, server: Redis, keys: RunKeys, worker: str, heartbeat_ttl: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.ttl_ms = max(1, int(heartbeat_ttl * 1000))
        self._prefix = keys.leases("")[: -len("leases:")]
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._requeue = server.register_script(_REQUEUE)
        self._finish = server.register_script(_FINISH)

    @property
    def mine(self) -> str:
        return self.keys.leases(self.worker)

    def join(self) -> None:
        """Say this worker is alive and may hold leases."""
        self.server.sadd(self.keys.workers, self.worker)
        self.beat()

    def beat(self) -> None:
        self.server.set(self.keys.alive(self.worker), b"1", px=self.ttl_ms)

    def idle(self) -> None:
        """Nothing in flight here (Scrapy's idle): until the next pop, this worker is done."""
        self.server.set(self.keys.idle(self.worker), b"1")

    def leave(self, *, finished: bool) -> None:
        """Stop the heartbeat; a worker that did not finish leaves its leases for the others."""
        self.server.delete(self.keys.alive(self.worker), self.keys.idle(self.worker))
        if finished:
            self.server.delete(self.mine)
            self.server.srem(self.keys.workers, self.worker)

    def pop(self) -> tuple[str, bytes] | None:
        """The next request (encoded) and its lease id, or None when the frontier is empty."""
        lease = uuid.uuid4().hex
        keys = [self.keys.requests, self.mine, self.keys.idle(self.worker)]
        data = self._pop(keys=keys, args=[lease])
        return None if data is None else (lease, bytes(data))

    def push(self, data: bytes, score: float, replaces: str | None = None) -> None:
        self._push(keys=[self.keys.requests, self.mine], args=[score, data, replaces or ""])

    def ack(self, lease: str) -> None:
        self.server.hdel(self.mine, lease)

    def held(self) -> int:
        return int(self.server.hlen(self.mine))

    def drop_all(self) -> int:
        """An idle worker holds nothing: any lease left is one no signal acknowledged."""
        return int(self.server.delete(self.mine))

    def requeue_dead(self) -> int:
        return int(self._requeue(keys=[self.keys.workers, self.keys.requests], args=[self._prefix]))

    def finished(self) -> bool:
        keys = [self.keys.workers, self.keys.requests, self.keys.done]
        return bool(self._finish(keys=keys, args=[self._prefix]))
