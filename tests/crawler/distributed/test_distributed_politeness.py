"""The shared per-host slot against a real redis-server: concurrent workers never share one."""

from __future__ import annotations

import asyncio
import itertools
import threading

from crawler.distributed.keys import connect
from crawler.distributed.politeness import HostSlotMiddleware


def test_slots_reserved_by_concurrent_workers_are_a_delay_apart(redis_url: str) -> None:
    delay = 0.05
    reserved: list[int] = []
    lock = threading.Lock()

    def reserve(n: int) -> None:
        middleware = HostSlotMiddleware(connect(redis_url), delay)
        for _ in range(n):
            slot, _ = middleware.reserve("http://shop.example/item/1")
            with lock:
                reserved.append(slot)

    threads = [threading.Thread(target=reserve, args=(10,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots = sorted(reserved)
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    assert len(slots) == 30
    assert min(gaps) >= delay * 1_000_000  # on Redis' clock: atomic, so never closer


def test_the_middleware_waits_for_its_slot(redis_url: str) -> None:
    from scrapy import Request

    middleware = HostSlotMiddleware(connect(redis_url), 0.2)
    server = connect(redis_url)

    async def two() -> tuple[int, int]:
        await middleware.process_request(Request("http://shop.example/a"))
        first = server.time()
        await middleware.process_request(Request("http://shop.example/b"))
        second = server.time()
        return first[0] * 1_000_000 + first[1], second[0] * 1_000_000 + second[1]

    first, second = asyncio.run(two())
    assert second - first >= 0.9 * 200_000
