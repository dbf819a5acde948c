"""Keep a long crawl's heap from growing with the pages it has seen, on glibc.

A crawl worker's resident memory rose by about 7 MB per 1,000 pages over a 7,992-listing run
while its live Python objects did not: glibc keeps the memory Python frees in up to eight
arenas per core (one per thread that ever allocated: the reactor, DNS, decode and browser
threads) and hands little of it back. Two arenas held it flat (measured with
``MALLOC_ARENA_MAX=2``: 470 MB at 2,500 listings, no growth). So, when the crawler is made,
before the reactor starts its threads, this extension caps the arenas (unless the operator
set ``MALLOC_ARENA_MAX``, or ``IPWATCH_MALLOC_ARENAS`` is 0) and, every
``IPWATCH_HEAP_TRIM_INTERVAL`` seconds, asks glibc to return free pages (``malloc_trim``).
On a C library without these calls (musl, macOS) both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from functools import cache
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.internet.interfaces import IReactorTime

logger = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's mallopt() parameter number (malloc.h)
DEFAULT_ARENAS = 2
DEFAULT_TRIM_INTERVAL_S = 60.0


@cache
def _libc() -> ctypes.CDLL | None:
    """The C library if it is glibc (the only one with ``malloc_trim``), else None."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    if not hasattr(libc, "malloc_trim") or not hasattr(libc, "mallopt"):
        return None
    return libc


def limit_arenas(count: int, environ: Mapping[str, str] = os.environ) -> int | None:
    """Cap glibc's malloc arenas at ``count`` for threads that start from now on. Returns the
    cap now in force by this call, or None when nothing was set: the operator's
    ``MALLOC_ARENA_MAX`` wins, ``count`` 0 means leave glibc's default, and other C libraries
    have no arenas to cap."""
    if count <= 0 or environ.get("MALLOC_ARENA_MAX", "").strip():
        return None
    libc = _libc()
    if libc is None or libc.mallopt(M_ARENA_MAX, count) != 1:
        return None
    return count


def trim() -> bool:
    """Hand free heap pages back to the system; True if any were returned (glibc only)."""
    libc = _libc()
    return bool(libc is not None and libc.malloc_trim(0))


class HeapLimits:
    """Arenas capped when the crawler is made; free pages trimmed while the spider runs."""

    def __init__(self, interval_s: float, clock: IReactorTime | None = None) -> None:
        self.interval_s = interval_s
        self.clock = clock  # None: the running reactor's; a task.Clock in tests
        self.trims = 0
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        arenas = limit_arenas(settings.getint("IPWATCH_MALLOC_ARENAS", DEFAULT_ARENAS))
        if arenas is not None:
            logger.debug("malloc arenas capped at %d", arenas)
        extension = cls(settings.getfloat("IPWATCH_HEAP_TRIM_INTERVAL", DEFAULT_TRIM_INTERVAL_S))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        if self.interval_s > 0 and _libc() is not None:
            self._loop = task.LoopingCall(self._trim)
            if self.clock is not None:
                self._loop.clock = self.clock
            self._loop.start(self.interval_s, now=False)

    def _trim(self) -> None:
        trim()
        self.trims += 1

    def spider_closed(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._loop = None
