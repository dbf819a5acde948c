"""scrapy-redis' priority queue, each pop leased to the worker that took it (see ``leases``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import PriorityQueue

from crawler.distributed.leases import Leases

if TYPE_CHECKING:
    from scrapy import Request

LEASE = "ipwatch_lease"  # request.meta key: the lease id of a popped request


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
        leases_of(self.spider).push(self._encode_request(request), -request.priority, replaces)

    def pop(self, timeout: int = 0) -> Request | None:
        popped = leases_of(self.spider).pop()
        if popped is None:
            return None
        lease, data = popped
        request: Request = self._decode_request(data)
        request.meta[LEASE] = lease
        return request
