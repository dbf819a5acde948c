"""Detection workers: the demo shop's listings score the same in a worker pool as in process,
and a worker killed mid-detection loses nothing."""

from __future__ import annotations

import hashlib
import os
import signal
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from demomarket import CATALOG
from demomarket.brandkit import write_brand_kit
from demomarket.images import cached
from detector.cache import findings_json
from detector.engine import Detector
from detector.exceptions import DetectorError, UnsafeImageError
from detector.imagesafe import decode_image
from detector.settings import DetectionSettings
from detector.workers import DetectionPool, InProcessDetection, detect_in_order, open_detection
from model import Listing, ListingImage, Seller
from registry.store import Registry

if TYPE_CHECKING:
    from pathlib import Path

    from model import Asset

pytestmark = pytest.mark.slow


def demo_listings() -> list[Listing]:
    """Every demo shop item as the crawl would hand it to the detector, photos decoded."""
    listings = []
    for item in CATALOG.items:
        seller = CATALOG.sellers[item.seller_id]
        images = []
        for name in item.images:
            data, _ = cached(name)
            try:
                pixels = decode_image(data)
            except UnsafeImageError:
                continue  # the hostile ones: the crawl drops them too
            images.append(
                ListingImage(
                    url=f"/img/{name}", sha256=hashlib.sha256(data).hexdigest(), image=pixels
                )
            )
        listings.append(
            Listing(
                id=f"demo:{item.id}",
                marketplace="demo",
                url=f"/item/{item.id}",
                title=item.title,
                description=item.description,
                brand=item.brand,
                price=Decimal(item.price),
                currency=item.currency,
                seller=Seller(id=seller.id, name=seller.name, marketplace="demo"),
                images=tuple(images),
                category=item.category,
            )
        )
    return listings


@pytest.fixture(scope="module")
def demo_assets(tmp_path_factory: pytest.TempPathFactory) -> list[Asset]:
    registry = Registry("sqlite://")
    try:
        registry.import_file(write_brand_kit(tmp_path_factory.mktemp("kit")))
        return registry.detector_assets()
    finally:
        registry.close()


# OCR and the learned descriptor stay on: the workers must load them exactly as in process.
SETTINGS = DetectionSettings()


@pytest.fixture(scope="module")
def in_process(demo_assets: list[Asset]) -> dict[str, str]:
    """Each demo listing's findings from a detector in this process, as JSON."""
    detector = Detector(demo_assets, SETTINGS)
    return {listing.id: findings_json(detector.detect(listing)) for listing in demo_listings()}


def test_pool_finds_what_the_in_process_detector_finds(
    demo_assets: list[Asset], in_process: dict[str, str]
) -> None:
    listings = demo_listings()
    pool = DetectionPool(demo_assets, SETTINGS, workers=2)
    try:
        scored = list(detect_in_order(pool, listings, lambda listing: listing, ahead=4))
    finally:
        pool.close()
    assert [listing.id for listing, _ in scored] == [listing.id for listing in listings]
    assert {listing.id: findings_json(found or []) for listing, found in scored} == in_process
    flagged = {listing.id for listing, found in scored if any(f.flagged for f in found or [])}
    assert flagged == {f"demo:{item.id}" for item in CATALOG.items if item.expected_flag}


def test_worker_killed_mid_detection_is_replaced_and_its_listings_retried(
    demo_assets: list[Asset], in_process: dict[str, str]
) -> None:
    listings = demo_listings()
    pool = DetectionPool(demo_assets, SETTINGS, workers=1)
    try:
        (victim,) = pool.worker_pids()
        futures = [pool.submit(listing) for listing in listings]
        futures[0].result()  # the worker is busy with the rest when it dies
        os.kill(victim, signal.SIGKILL)
        results = {
            listing.id: findings_json(f.result())
            for listing, f in zip(listings, futures, strict=True)
        }
        assert pool.restarts == 1
        assert victim not in pool.worker_pids()
    finally:
        pool.close()
    assert results == in_process  # nothing lost, nothing different


def test_closed_pool_refuses_work_with_a_reason(demo_assets: list[Asset]) -> None:
    pool = DetectionPool(demo_assets, SETTINGS, workers=1)
    pool.close()
    with pytest.raises(DetectorError, match="closed"):
        pool.submit(demo_listings()[0]).result()


def test_workers_setting_chooses_the_pool_or_the_callers_detector(
    demo_assets: list[Asset], tmp_path: Path
) -> None:
    built: list[Detector] = []

    def detector() -> Detector:
        built.append(Detector(demo_assets, SETTINGS))
        return built[-1]

    inline = open_detection(demo_assets, DetectionSettings(workers=0), detector=detector)
    assert isinstance(inline, InProcessDetection) and not built  # built for a listing only
    try:
        inline.submit(demo_listings()[0]).result(timeout=300)
        inline.submit(demo_listings()[1]).result(timeout=300)
    finally:
        inline.close()
    assert len(built) == 1
    pool = open_detection(demo_assets, DetectionSettings(workers=1), detector=detector)
    try:
        assert isinstance(pool, DetectionPool) and pool.workers == 1
        assert len(built) == 1  # a pool never builds a detector (or a model) in this process
    finally:
        pool.close()


def test_auto_worker_count_leaves_one_core_to_the_caller() -> None:
    cores = len(os.sched_getaffinity(0))
    assert DetectionSettings(workers=-1).worker_count() == max(1, cores - 1)
    assert DetectionSettings(workers=3).worker_count() == 3
