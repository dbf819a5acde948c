"""scrapy-redis' priority queue, each pop leased to the worker that took it (see ``leases``)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import PriorityQueue

from crawler.distributed.leases import Leases

if TYPE_CHECKING:
    from scrapy import Request

LEASE = "ipwatch_lease"  # request.meta key: the lease id of a popped request


def fifo_score(priority: int, now: float) -> float:
    """Higher priority first, then first in, first out (scrapy-redis' ties fall to the bytes'
    order, which can leave a shop's next list page waiting behind everything else)."""
    return -priority * 1e13 + now * 1000


def leases_of(spider: Any) -> Leases:
    """The worker's ``Leases``, made once by the run extension (``crawler.distributed.run``)."""
    leases = getattr(spider.crawler, "ipwatch_leases", None)
    if leases is None:
        raise RuntimeError(
            "LeasedQueue needs crawler.distributed.run.DistributedRun in EXTENSIONS "
            "(ipwatch worker sets both)"
        )
    return leases  # type: ignore[no-any-return]


class LeasedQueue(PriorityQueue):  # type: ignore[misc]
    """Sorted-set frontier; pop leases the request, a replacement (retry, redirect) releases it."""

    def push(self, request: Request) -> None:
        replaces = request.meta.pop(LEASE, None)
        score = fifo_score(request.priority, time.time())
        leases_of(self.spider).push(self._encode_request(request), score, replaces)

    def pop(self, timeout: int = 0) -> Request | None:
        popped = leases_of(self.spider).pop()
        if popped is None:
            return None
        lease, data = popped
        request: Request = self._decode_request(data)
        request.meta[LEASE] = lease
        return request
