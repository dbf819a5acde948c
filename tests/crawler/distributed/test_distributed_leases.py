"""Leases against a real redis-server: a pop is leased, an ack releases it, a dead worker's
leases go back to the frontier, and the run ends only when nothing is queued or leased."""

from __future__ import annotations

import time

import pytest

from crawler.distributed.keys import RunKeys, connect
from crawler.distributed.leases import Leases


def worker(url: str, name: str, ttl: float = 30.0) -> Leases:
    leases = Leases(connect(url), RunKeys("R-test"), name, ttl)
    leases.join()
    return leases


def test_pop_leases_the_request_and_ack_releases_it(redis_url: str) -> None:
    a = worker(redis_url, "a")
    a.push(b"page-1", 0)
    lease, data = a.pop() or ("", b"")
    assert data == b"page-1"
    assert a.pop() is None
    assert a.held() == 1
    a.idle()
    assert not a.finished()  # leased, not done
    a.ack(lease)
    assert a.held() == 0
    assert a.finished()


def test_a_retry_replaces_its_lease_instead_of_adding_one(redis_url: str) -> None:
    a = worker(redis_url, "a")
    a.push(b"page-1", 0)
    lease, _ = a.pop() or ("", b"")
    a.push(b"page-1 (retry)", 0, replaces=lease)
    assert a.held() == 0
    assert a.pop() is not None


def test_a_busy_worker_keeps_the_run_open_until_it_says_it_is_idle(redis_url: str) -> None:
    a, b = worker(redis_url, "a"), worker(redis_url, "b")
    a.push(b"list-page", 0)
    lease, _ = a.pop() or ("", b"")
    a.ack(lease)  # the page is parsed; what it links to may not be queued yet
    b.idle()
    assert not b.finished()
    a.idle()  # Scrapy's idle: everything it yielded has been queued
    assert b.finished()


def test_leases_of_a_worker_whose_heartbeat_expired_go_back_to_the_frontier(
    redis_url: str,
) -> None:
    dead = worker(redis_url, "dead", ttl=0.2)
    alive = worker(redis_url, "alive")
    for n in range(3):
        dead.push(f"page-{n}".encode(), 0)
    taken = [dead.pop() for _ in range(3)]
    assert all(taken) and dead.pop() is None
    assert alive.requeue_dead() == 0  # still beating: its leases stay its own
    time.sleep(0.4)  # killed: no more heartbeats
    alive.idle()
    assert not alive.finished()  # its leases still count as work
    assert alive.requeue_dead() == 3
    again = sorted(data for _, data in filter(None, (alive.pop() for _ in range(3))))
    assert again == [b"page-0", b"page-1", b"page-2"]


def test_the_run_is_finished_once_and_stays_finished(redis_url: str) -> None:
    a, b = worker(redis_url, "a"), worker(redis_url, "b")
    a.push(b"page-1", 0)
    popped = b.pop()
    assert popped is not None
    assert not a.finished()  # b is busy with it
    b.ack(popped[0])
    a.idle()
    assert not a.finished()  # b has not said it is idle
    b.idle()
    assert a.finished()
    a.push(b"late", 0)
    assert b.finished()  # done is said once: a late push does not reopen the run


def test_a_run_id_that_could_reach_other_keys_is_refused() -> None:
    with pytest.raises(ValueError, match="letters, digits"):
        RunKeys("R-1 *")
    with pytest.raises(ValueError, match="letters, digits"):
        RunKeys("")
