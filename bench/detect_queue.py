"""What the Redis detection queue costs per listing, against the in-process detector.

The demo shop's listings (``--copies`` times, under new ids) are scored three ways in the same
run, on the same detector: in process (the baseline), and through a real redis-server with one
``DetectionConsumer`` in a thread (the JSON, the stream hops, the results thread), text only and
with the listings' photos (decoded again from a blob store by digest, as a detection worker
does). Every photo is scored once before timing, so neither side pays model loading or a
first-seen image. The ratio is the queue's overhead on one machine; the point of the queue is to add
detection workers on other machines, which this script does not measure. Findings are checked
equal, so a fast wrong answer cannot pass.

Run: .venv/bin/python bench/detect_queue.py [--copies 10] [--photos-copies 1]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.distributed.detection_consumer import DetectionConsumer
from crawler.distributed.detection_queue import RedisDetection
from crawler.distributed.keys import RunKeys, connect
from demomarket.brandkit import write_brand_kit
from demomarket.images import cached
from detector.cache import findings_json, registry_key
from detector.engine import Detector
from detector.imagesafe import decode_image
from detector.settings import DetectionSettings
from evidence.storage.blobstore import BlobStore
from registry.store import Registry
from tests.detector.test_detector_workers import demo_listings
from tests.services.redis import RedisServer

if TYPE_CHECKING:
    from model import Listing


def copies(listings: list[Listing], n: int) -> list[Listing]:
    return [replace(x, id=f"{x.id}-{i}") for i in range(n) for x in listings]


def in_process(detector: Detector, listings: list[Listing]) -> tuple[float, list[str]]:
    """Scored in a thread of its own, as the consumer scores: called from the main thread the
    same detector scored photos 3 to 7 times slower on a loaded 2-core machine (per-thread
    library thread pools, we think), which would swamp the queue's own cost."""
    out: list[tuple[float, list[str]]] = []

    def run() -> None:
        start = time.perf_counter()
        found = [findings_json(detector.detect(x)) for x in listings]
        out.append((time.perf_counter() - start, found))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out[0]


def queued(
    detector: Detector, key: str, listings: list[Listing], url: str, blobs: BlobStore
) -> tuple[float, list[str]]:
    server = connect(url)
    keys = RunKeys(f"R-bench-{time.monotonic_ns()}")
    stop = threading.Event()
    consumer = DetectionConsumer(
        server,
        keys,
        "bench",
        detector.detect,
        registry_key=key,
        load_pixels=lambda sha: decode_image(blobs.get(sha)),
    )
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    queue = RedisDetection(server, keys, registry_key=key, timeout=600)
    try:
        start = time.perf_counter()
        futures = [queue.submit(x) for x in listings]
        found = [findings_json(f.result()) for f in futures]
        return time.perf_counter() - start, found
    finally:
        queue.close()
        stop.set()
        thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="text-only rounds of the shop")
    parser.add_argument("--photos-copies", type=int, default=1, help="rounds with photos")
    parser.add_argument(
        "--queue-first", action="store_true", help="time the queue before the baseline"
    )
    args = parser.parse_args()
    settings = DetectionSettings()
    with tempfile.TemporaryDirectory() as tmp:
        registry = Registry("sqlite://")
        registry.import_file(write_brand_kit(Path(tmp) / "kit"))
        assets = registry.detector_assets()
        detector = Detector(assets, settings)
        key = registry_key(assets, settings)
        blobs = BlobStore(Path(tmp) / "blobs")
        photos = demo_listings()
        for listing in photos:  # the crawl worker stored these bytes; the queue sends digests
            for image in listing.images:
                assert image.image is not None and image.sha256 is not None
                data, _ = cached(image.url.removeprefix("/img/"))
                assert hashlib.sha256(data).hexdigest() == image.sha256
                blobs.put(data)
        text = [replace(x, images=()) for x in photos]
        with RedisServer() as redis:
            for listing in photos:  # models loaded and per-image work cached before timing
                detector.detect(listing)
            print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared with other work)")
            for name, listings in (
                ("text only", copies(text, args.copies)),
                ("with photos", copies(photos, args.photos_copies)),
            ):
                if args.queue_first:
                    took, found = queued(detector, key, listings, redis.url, blobs)
                    base, expected = in_process(detector, listings)
                else:
                    base, expected = in_process(detector, listings)
                    took, found = queued(detector, key, listings, redis.url, blobs)
                assert found == expected, "the queue's findings differ from in-process ones"
                print(
                    f"{name}: {len(listings)} listings, in process {base / len(listings) * 1e3:.1f}"
                    f" ms/listing, via Redis {took / len(listings) * 1e3:.1f} ms/listing,"
                    f" ratio {took / base:.2f}"
                )
            print(f"load average {os.getloadavg()[0]:.1f}")
        registry.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
