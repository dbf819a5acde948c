"""Detection off the caller's thread: worker processes that each hold one ``Detector``.

A crawl, a batch and a rescan all hand listings to the same ``Detection`` object and get a
``concurrent.futures.Future`` of the findings back, so the caller (Scrapy's reactor, a batch
loop) keeps working while the workers score. Each worker runs one model thread (torch, OpenCV,
onnxruntime, BLAS) and builds its detector once, in the pool's initializer; the calling process
never loads a model. A worker that dies (killed, out of memory) breaks the whole pool: that is
logged, a fresh pool started, and every listing it held submitted once more, so nothing is lost.
Listings and findings cross the process boundary by pickle, which stays between this process
and the children it started; nothing read from disk is ever unpickled (see ``detector.cache``).
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import pickle
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Protocol, TypeVar

from detector.exceptions import DetectorError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
    from pathlib import Path

    from detector.cache import FindingsCache
    from detector.engine import Detector
    from detector.settings import DetectionSettings
    from model import Asset, Finding, Listing

T = TypeVar("T")
_log = logging.getLogger(__name__)

# One thread per library in each worker: the pool is the parallelism, and oversubscribed
# cores (N workers x N threads) run slower than N single-threaded workers.
THREAD_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "IPWATCH_DESCRIPTOR_THREADS",
)

_worker_detector: Detector | None = None  # the one detector of a worker process


def single_thread_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with each library's thread variable at 1 where it is unset: what a host
    running several detection workers side by side gives each one (the operator's choice wins)."""
    return {**dict.fromkeys(THREAD_ENV, "1"), **environ}


def pin_threads() -> dict[str, int]:
    """One thread per library in this process, as the pool's workers have, unless the operator
    set the variables; OpenCV follows ``OMP_NUM_THREADS``. Libraries loaded already keep what
    they read (BLAS); torch takes ``IPWATCH_DESCRIPTOR_THREADS`` when the descriptor loads.
    Returns the thread counts now in force (OpenCV, torch)."""
    os.environ.update(single_thread_env(os.environ))
    import cv2

    try:
        opencv = max(int(os.environ["OMP_NUM_THREADS"]), 1)
    except ValueError:
        opencv = 1
    cv2.setNumThreads(opencv)
    from detector.vision.descriptor_models import descriptor_threads

    torch = sys.modules.get("torch")
    if torch is not None:  # loaded already: the descriptor would set it only when built
        torch.set_num_threads(descriptor_threads())
    threads = torch.get_num_threads() if torch is not None else descriptor_threads()
    return {"opencv": cv2.getNumThreads(), "torch": threads}


class DetectionWorkerError(DetectorError):
    """A listing broke the worker pool twice: it is the cause, not a passing crash."""


def _start_worker(payload: bytes) -> None:
    """Pool initializer: single-threaded libraries first, then the detector (models lazily)."""
    for name in THREAD_ENV:
        os.environ[name] = "1"
    import cv2

    cv2.setNumThreads(1)
    from detector.engine import Detector

    # Bytes the parent process pickled for this child, never anything read from disk.
    assets, settings, image_cache = pickle.loads(payload)  # noqa: S301
    global _worker_detector
    _worker_detector = Detector(assets, settings, image_cache=image_cache)


def _detect_in_worker(listing: Listing) -> list[Finding]:
    if _worker_detector is None:  # pragma: no cover - the initializer always ran
        raise DetectorError("detection worker started without its detector")
    return _worker_detector.detect(listing)


def _worker_pid() -> int:
    return os.getpid()


class Detection(Protocol):
    """What callers need: findings of a listing, now or later."""

    def submit(self, listing: Listing) -> Future[list[Finding]]: ...
    def close(self) -> None: ...


class InProcessDetection:
    """``workers: 0``: the caller's own detector; each future is done when returned.

    Given ``build`` instead of a detector, nothing is built until a listing needs scoring: a
    re-crawl of unchanged listings builds none. A caller on an event loop (the crawl's detect
    pipeline) awaits ``ready()`` first, which builds it on a thread of its own, word lists
    included, so Scrapy's reactor keeps downloading and a distributed worker's lease heartbeat
    keeps beating meanwhile (built on the reactor, the build stalled it for seconds and leases
    lapsed). Scoring stays on the caller's thread, as before: a listing in the pipeline holds
    its page's lease, so a worker must not pile up listings behind a scoring thread. A caller
    that never awaits ``ready()`` (a batch loop) builds on its first ``submit``.
    """

    def __init__(
        self,
        detector: Detector | None = None,
        cache: FindingsCache | None = None,
        *,
        build: Callable[[], Detector] | None = None,
    ) -> None:
        if (detector is None) == (build is None):
            raise DetectorError("in-process detection needs a detector or a way to build one")
        self._detector = detector
        self._build = build
        self._ready: Future[None] | None = None
        self.cache = cache

    @property
    def built(self) -> bool:
        """Whether this object holds a detector (given, or built for a listing)."""
        return self._detector is not None

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            self._detector = self._built()
        return self._detector

    def _built(self) -> Detector:
        from detector.generic_words import word_lists

        assert self._build is not None
        detector = self._build()
        word_lists()  # loaded on first use otherwise: on the caller's thread, mid-crawl
        return detector

    def ready(self) -> Future[None]:
        """Done once the detector exists; the first call builds it on a thread of its own."""
        if self._ready is None:
            self._ready = Future()
            if self._detector is not None:
                self._ready.set_result(None)
            else:
                threading.Thread(
                    target=self._build_for, args=(self._ready,), name="ipwatch-detector-build"
                ).start()
        return self._ready

    def _build_for(self, ready: Future[None]) -> None:
        try:
            self._detector = self._built()
        except Exception as exc:  # every listing waiting on it is told why
            ready.set_exception(exc)
        else:
            ready.set_result(None)

    def submit(self, listing: Listing) -> Future[list[Finding]]:
        future: Future[list[Finding]] = Future()
        try:
            cached = self.cache.get(listing) if self.cache is not None else None
            findings = cached if cached is not None else self.detector.detect(listing)
            if cached is None and self.cache is not None:
                self.cache.put(listing, findings)
        except Exception as exc:  # handed to the caller through the future, as the pool does
            future.set_exception(exc)
        else:
            future.set_result(findings)
        return future

    def close(self) -> None:
        if self._ready is not None:
            self._ready.exception()  # a build still running finishes first
        if self.cache is not None:
            self.cache.close()


class DetectionPool:
    """``workers: N``: N processes, each with its own detector over the same assets."""

    def __init__(
        self,
        assets: Sequence[Asset],
        settings: DetectionSettings,
        workers: int,
        cache: FindingsCache | None = None,
        image_cache: Path | None = None,
    ) -> None:
        if workers < 1:
            raise DetectorError(f"a detection pool needs >= 1 worker, got {workers}")
        self.workers = workers
        self.cache = cache
        self.restarts = 0
        # Each worker opens the image-signal cache itself (one SQLite connection per process).
        self._payload = pickle.dumps(
            (list(assets), settings, image_cache), protocol=pickle.HIGHEST_PROTOCOL
        )
        self._lock = threading.Lock()
        self._closed = False
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn: a fresh interpreter per worker, so no thread or model state is inherited.
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self._payload,),
        )

    def worker_pids(self) -> list[int]:
        """The live workers' process ids (starts them if none runs yet)."""
        with self._lock:
            executor = self._executor
        pids = {executor.submit(_worker_pid).result() for _ in range(self.workers * 4)}
        return sorted(pids)

    def submit(self, listing: Listing) -> Future[list[Finding]]:
        """Findings of ``listing`` from a worker (or the cache); a pool crash retries it once."""
        outer: Future[list[Finding]] = Future()
        cached = self.cache.get(listing) if self.cache is not None else None
        if cached is not None:
            outer.set_result(cached)
            return outer
        self._submit(listing, outer, attempt=0)
        return outer

    def _submit(self, listing: Listing, outer: Future[list[Finding]], attempt: int) -> None:
        with self._lock:
            closed, executor = self._closed, self._executor
        if closed:
            outer.set_exception(DetectorError("the detection pool is closed"))
            return
        try:
            inner = executor.submit(_detect_in_worker, listing)
        except BrokenProcessPool as exc:
            self._broken(executor, listing, outer, attempt, exc)
            return
        inner.add_done_callback(
            lambda done: self._finished(executor, listing, outer, attempt, done)
        )

    def _finished(
        self,
        executor: ProcessPoolExecutor,
        listing: Listing,
        outer: Future[list[Finding]],
        attempt: int,
        done: Future[list[Finding]],
    ) -> None:
        exc = done.exception()
        if isinstance(exc, BrokenProcessPool):
            self._broken(executor, listing, outer, attempt, exc)
        elif exc is not None:
            outer.set_exception(exc)
        else:
            findings = done.result()
            if self.cache is not None:
                self.cache.put(listing, findings)
            outer.set_result(findings)

    def _broken(
        self,
        executor: ProcessPoolExecutor,
        listing: Listing,
        outer: Future[list[Finding]],
        attempt: int,
        exc: BaseException,
    ) -> None:
        """Replace the pool that broke (once, whoever notices first) and retry the listing once."""
        with self._lock:
            if self._executor is executor and not self._closed:
                _log.warning(
                    "a detection worker died (%s); starting a fresh pool and retrying its"
                    " listings once",
                    exc,
                )
                self.restarts += 1
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
        if attempt >= 1:
            outer.set_exception(
                DetectionWorkerError(
                    f"listing {listing.id} broke a fresh detection pool too ({exc}); it is"
                    " skipped: check the worker's memory limit and the listing's images"
                )
            )
            return
        self._submit(listing, outer, attempt + 1)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            executor = self._executor
        executor.shutdown(wait=True, cancel_futures=True)
        if self.cache is not None:
            self.cache.close()


def open_detection(
    assets: Sequence[Asset],
    settings: DetectionSettings,
    *,
    detector: Callable[[], Detector],
    cache: FindingsCache | None = None,
    image_cache: Path | None = None,
) -> InProcessDetection | DetectionPool:
    """The pool ``settings.workers`` asks for, or the caller's own detector (built only then,
    for the first listing to score; see ``InProcessDetection.ready``); pool workers open
    ``image_cache`` (per-photo signals) themselves."""
    workers = settings.worker_count()
    if workers == 0:
        return InProcessDetection(cache=cache, build=detector)
    return DetectionPool(assets, settings, workers, cache, image_cache)


def detect_in_order(
    detection: Detection, items: Iterable[T], listing_of: Callable[[T], Listing | None], ahead: int
) -> Iterator[tuple[T, list[Finding] | None]]:
    """Each item with its listing's findings (None without a listing), in input order, with
    at most ``ahead`` listings in flight: the workers stay busy, memory stays bounded."""
    pending: collections.deque[tuple[T, Future[list[Finding]] | None]] = collections.deque()
    for item in items:
        listing = listing_of(item)
        pending.append((item, detection.submit(listing) if listing is not None else None))
        while len(pending) > max(ahead, 1) or (pending and pending[0][1] is None):
            yield _ready(pending.popleft())
    while pending:
        yield _ready(pending.popleft())


def _ready(entry: tuple[T, Future[list[Finding]] | None]) -> tuple[T, list[Finding] | None]:
    item, future = entry
    return item, future.result() if future is not None else None
