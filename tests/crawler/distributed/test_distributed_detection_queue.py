"""The Redis detection queue against a real redis-server: listings submitted by a crawl worker
are answered by a detection consumer with what the in-process detector finds; an entry two
workers died on, an entry that is not a listing, and a listing of another registry end as
reported errors; nobody answering is a timeout error, not a hang; in-flight is bounded."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from crawler.distributed.detection_consumer import DetectionConsumer
from crawler.distributed.detection_queue import (
    GROUP,
    DetectionTimeoutError,
    RedisDetection,
    RemoteDetectionError,
)
from crawler.distributed.keys import RunKeys, connect
from demomarket import CATALOG
from demomarket.brandkit import write_brand_kit
from detector.cache import findings_json, registry_key
from detector.engine import Detector
from detector.settings import DetectionSettings
from model import Listing, Seller
from registry.store import Registry

if TYPE_CHECKING:
    from collections.abc import Iterator

    from redis import Redis

    from model import Asset

SETTINGS = DetectionSettings()


def demo_listings(copies: int = 1) -> list[Listing]:
    """The demo shop's listings as a crawl hands them over, text only (images are by digest)."""
    listings = []
    for n in range(copies):
        for item in CATALOG.items:
            seller = CATALOG.sellers[item.seller_id]
            listings.append(
                Listing(
                    id=f"demo:{item.id}" + (f"-{n}" if n else ""),
                    marketplace="demo",
                    url=f"/item/{item.id}",
                    title=item.title,
                    description=item.description,
                    brand=item.brand,
                    price=Decimal(item.price),
                    currency=item.currency,
                    seller=Seller(id=seller.id, name=seller.name, marketplace="demo"),
                    category=item.category,
                )
            )
    return listings


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> list[Asset]:
    registry = Registry("sqlite://")
    try:
        registry.import_file(write_brand_kit(tmp_path_factory.mktemp("kit")))
        return registry.detector_assets()
    finally:
        registry.close()


@pytest.fixture(scope="module")
def detector(assets: list[Asset]) -> Detector:
    return Detector(assets, SETTINGS)


@pytest.fixture(scope="module")
def key(assets: list[Asset]) -> str:
    return registry_key(assets, SETTINGS)


@pytest.fixture
def server(redis_url: str) -> Redis:
    return connect(redis_url)


KEYS = RunKeys("R-test")


class Worker:
    """A detection consumer in a thread of this process, stopped at the end of the test."""

    def __init__(self, server: Redis, detector: Detector, key: str, **kwargs: object) -> None:
        self.stop = threading.Event()
        self.consumer = DetectionConsumer(
            server, KEYS, "in-thread", detector.detect, registry_key=key, **kwargs
        )  # type: ignore[arg-type]
        self.thread = threading.Thread(target=self.consumer.run, args=(self.stop,), daemon=True)

    def __enter__(self) -> DetectionConsumer:
        self.thread.start()
        return self.consumer

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


@pytest.fixture
def queue(server: Redis, key: str) -> Iterator[RedisDetection]:
    detection = RedisDetection(server, KEYS, registry_key=key, timeout=120)
    yield detection
    detection.close()


def test_listings_are_answered_with_what_the_detector_finds(
    server: Redis, detector: Detector, key: str, queue: RedisDetection
) -> None:
    listings = demo_listings()
    with Worker(server, detector, key) as worker:
        futures = [queue.submit(listing) for listing in listings]
        found = {
            x.id: findings_json(f.result(timeout=120))
            for x, f in zip(listings, futures, strict=True)
        }
    assert found == {x.id: findings_json(detector.detect(x)) for x in listings}
    flagged = {
        x.id for x, f in zip(listings, futures, strict=True) if any(y.flagged for y in f.result())
    }
    # Text only: the listings only their photos give away are not flagged here.
    assert len(flagged) >= 10 and flagged <= {
        f"demo:{i.id}" for i in CATALOG.items if i.expected_flag
    }
    assert worker.result.answered == len(listings) and worker.result.errors == 0
    assert server.xlen(KEYS.detect) == 0  # answered entries are acknowledged and deleted
    assert queue.pending() == 0 and queue.unmatched == 0


def test_an_entry_two_workers_died_on_is_reported_not_retried(
    server: Redis, detector: Detector, key: str, queue: RedisDetection
) -> None:
    (poison, fine) = demo_listings()[9:11]
    first = queue.submit(poison)
    # Two workers read it and died without answering: what they leave in Redis is this.
    server.xreadgroup(GROUP, "dead-1", {KEYS.detect: ">"}, count=1)
    (pending,) = server.xpending_range(KEYS.detect, GROUP, min="-", max="+", count=10)
    server.xclaim(KEYS.detect, GROUP, "dead-2", 0, [pending["message_id"]])
    second = queue.submit(fine)
    with Worker(server, detector, key, claim_idle=0.5) as worker:
        with pytest.raises(RemoteDetectionError, match=r"2 detection worker\(s\) stopped"):
            first.result(timeout=60)
        assert second.result(timeout=60) == detector.detect(fine)
    assert worker.result.reclaimed == 1 and worker.result.errors == 1
    assert server.xpending(KEYS.detect, GROUP)["pending"] == 0


def test_an_entry_killed_once_is_scored_by_the_next_worker(
    server: Redis, detector: Detector, key: str, queue: RedisDetection
) -> None:
    listing = demo_listings()[9]
    future = queue.submit(listing)
    server.xreadgroup(GROUP, "dead-1", {KEYS.detect: ">"}, count=1)
    with Worker(server, detector, key, claim_idle=0.5) as worker:
        assert future.result(timeout=60) == detector.detect(listing)
    assert worker.result.reclaimed == 1 and worker.result.errors == 0


def test_entries_that_are_not_listings_are_errors_and_name_no_other_key(
    server: Redis, detector: Detector, key: str, queue: RedisDetection
) -> None:
    listing = demo_listings()[0]
    other = RedisDetection(server, KEYS, registry_key="another registry", timeout=60)
    try:
        mismatched = other.submit(listing)
        with Worker(server, detector, key) as worker:
            with pytest.raises(RemoteDetectionError, match="other assets or settings"):
                mismatched.result(timeout=60)
            before = set(server.keys("*"))
            # Hostile entries written straight into the stream (Redis data is untrusted).
            server.xadd(
                KEYS.detect,
                {
                    "request": "r1",
                    "submitter": queue.submitter,
                    "registry": key,
                    "listing": b"\x80\x04pickle",
                },
            )
            server.xadd(
                KEYS.detect,
                {
                    "request": "r2",
                    "submitter": "../../ipwatch:R-test:seal",
                    "registry": key,
                    "listing": "{}",
                },
            )
            server.xadd(KEYS.detect, {"request": "r3"})
            assert queue.submit(listing).result(timeout=60) == detector.detect(listing)
        assert worker.result.errors == 2 and worker.result.dropped == 2
        assert set(server.keys("*")) <= before | {KEYS.detected(queue.submitter).encode()}
        assert not server.exists(KEYS.seal)
    finally:
        other.close()


def test_nobody_answering_is_a_timeout_error_naming_the_fix(server: Redis, key: str) -> None:
    detection = RedisDetection(server, KEYS, registry_key=key, timeout=1.0, block_ms=100)
    try:
        future = detection.submit(demo_listings()[0])
        with pytest.raises(DetectionTimeoutError, match="ipwatch detect-worker --run R-test"):
            future.result(timeout=30)
        assert server.xlen(KEYS.detect) == 0  # nobody waits for it: the entry went too
    finally:
        detection.close()


def test_in_flight_listings_are_bounded(server: Redis, detector: Detector, key: str) -> None:
    detection = RedisDetection(server, KEYS, registry_key=key, in_flight=2, timeout=120)
    listings = demo_listings()[:3]
    try:
        futures = [detection.submit(x) for x in listings[:2]]
        third: list[object] = []
        waiting = threading.Thread(target=lambda: third.append(detection.submit(listings[2])))
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and server.xlen(KEYS.detect) == 2  # the third waits
        with Worker(server, detector, key):
            waiting.join(timeout=60)
            futures.append(third[0])  # type: ignore[arg-type]
            found = [f.result(timeout=60) for f in futures]
        assert found == [detector.detect(x) for x in listings]
    finally:
        detection.close()
