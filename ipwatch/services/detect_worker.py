"""``ipwatch detect-worker``: score a distributed run's listings from its Redis detection queue.

The worker builds the workspace's detector once (the assets and detection settings a crawl in
this data folder would use), keeps the findings cache a local crawl keeps, decodes images from
the shared blob store by digest, and answers entries until the run is done or SIGTERM asks it
to stop (it finishes the listing in hand first).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import signal
import threading
from typing import TYPE_CHECKING

from crawler.distributed.detection_consumer import CLAIM_IDLE_S, DetectionConsumer
from crawler.distributed.keys import RunKeys
from detector.cache import FindingsCache, registry_key
from detector.imagesafe import decode_image
from detector.workers import pin_threads
from evidence.exceptions import BlobNotFoundError
from ipwatch.services.workers import read_spec, server_for, worker_id

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PIL.Image import Image

    from crawler.distributed.detection_consumer import ConsumerResult
    from ipwatch.services.workspace import Workspace
    from model import Finding, Listing

__all__ = ["CLAIM_IDLE_S", "pin_threads", "run_detect_worker"]

logger = logging.getLogger(__name__)


def run_detect_worker(
    workspace: Workspace,
    url: str,
    run_id: str,
    *,
    consumer: str | None = None,
    claim_idle: float = CLAIM_IDLE_S,
    stop: threading.Event | None = None,
) -> ConsumerResult:
    """Answer the run's detection entries until it is done (or ``stop``/SIGTERM)."""
    server = server_for(url)
    read_spec(server, run_id)  # a clear error for a run that does not exist
    settings = workspace.detection_settings
    assets = list(workspace.assets.values())
    key = registry_key(assets, settings)
    cache = FindingsCache(workspace.home / "cache" / "detect.sqlite", key)
    detector = workspace.detector  # built once; models load lazily on first use

    def detect(listing: Listing) -> list[Finding]:
        cached = cache.get(listing)
        if cached is not None:
            return cached
        findings = detector.detect(listing)
        cache.put(listing, findings)
        return findings

    def load_pixels(sha256: str) -> Image | None:
        """The image the crawl worker stored, decoded as the crawl decoded it."""
        try:
            data = workspace.blobs.get(sha256)
        except BlobNotFoundError:
            raise ValueError(
                f"image {sha256} is not in this worker's blob store: run detection workers "
                "on the data folder the crawl workers share"
            ) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"image {sha256} in the blob store does not match its digest")
        return decode_image(data)

    stop = stop or threading.Event()
    worker = DetectionConsumer(
        server,
        RunKeys(run_id),
        consumer or worker_id(),
        detect,
        registry_key=key,
        load_pixels=load_pixels,
        claim_idle=claim_idle,
    )
    try:
        with _stop_on_sigterm(stop):
            return worker.run(stop)
    finally:
        cache.close()


@contextlib.contextmanager
def _stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (and SIGINT) set ``stop``: the listing in hand is answered, then the loop ends."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only; the caller's ``stop`` still works
        return

    def handle(signum: int, frame: object) -> None:
        logger.warning("signal %d: finishing the listing in hand, then stopping", signum)
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
