"""The crawl's heap limits: glibc arenas capped for the threads a crawl starts, free pages handed
back on a timer. Measured in child processes, so this test process's allocator is left alone."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING, cast

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler
from twisted.internet import task

from crawler.extensions import heap
from crawler.extensions.heap import HeapLimits, limit_arenas

if TYPE_CHECKING:
    from twisted.internet.interfaces import IReactorTime

GLIBC = platform.libc_ver()[0] == "glibc"


def run_child(code: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )


ARENAS_AFTER_THREADS = """
    import ctypes, threading
    from crawler.extensions.heap import _libc, limit_arenas
    print("cap", limit_arenas({cap}))
    hold = []
    together = threading.Barrier(6)
    def allocate():
        together.wait()  # all six alive at once: none can take an arena another left
        hold.append([bytearray(4096) for _ in range(64)])
        together.wait()
    threads = [threading.Thread(target=allocate) for _ in range(6)]
    for t in threads: t.start()
    for t in threads: t.join()
    _libc().malloc_stats()  # one "Arena N:" block per arena, on stderr
"""


@pytest.mark.skipif(not GLIBC, reason="arenas are glibc's; elsewhere limit_arenas does nothing")
def test_capped_arenas_keep_new_threads_in_two_arenas() -> None:
    uncapped = run_child(ARENAS_AFTER_THREADS.format(cap=0))
    capped = run_child(ARENAS_AFTER_THREADS.format(cap=2))
    assert "cap None" in uncapped.stdout and "cap 2" in capped.stdout
    assert uncapped.stderr.count("Arena ") > 2  # six threads spread over more arenas
    assert capped.stderr.count("Arena ") == 2


def test_operator_malloc_arena_max_wins_and_zero_leaves_glibc_default() -> None:
    assert limit_arenas(2, {"MALLOC_ARENA_MAX": "4"}) is None
    assert limit_arenas(0, {}) is None


TRIM_AFTER_FRAGMENTING = """
    from pathlib import Path
    import os
    from crawler.extensions.heap import trim
    page = os.sysconf("SC_PAGE_SIZE")
    def rss(): return int(Path("/proc/self/statm").read_text().split()[1]) * page
    blocks = [bytearray(64 * 1024) for _ in range(3000)]  # ~190 MB on the heap, below mmap's cut
    keep = blocks[::50]  # every 50th stays: the heap's top cannot shrink past them
    del blocks
    before = rss()
    trimmed = trim()
    print(trimmed, before, rss())
"""


@pytest.mark.skipif(not GLIBC, reason="malloc_trim is glibc's; elsewhere trim does nothing")
def test_trim_hands_back_free_pages_a_fragmented_heap_keeps() -> None:
    trimmed, before, after = run_child(TRIM_AFTER_FRAGMENTING).stdout.split()
    assert trimmed == "True"
    assert int(before) - int(after) > 100 * 2**20  # most of the ~185 MB freed between survivors


def test_trim_loop_runs_while_the_spider_runs_and_stops_with_it() -> None:
    clock = task.Clock()
    crawler = get_crawler(settings_dict={"IPWATCH_MALLOC_ARENAS": 0})
    extension = HeapLimits.from_crawler(crawler)
    extension.clock = cast("IReactorTime", clock)
    assert extension.interval_s == 60.0
    crawler.signals.send_catch_log(signals.spider_opened, spider=None)
    clock.advance(59)
    assert extension.trims == 0
    clock.advance(1)
    clock.advance(60)
    assert extension.trims == (2 if heap._libc() is not None else 0)
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    clock.advance(600)
    assert extension.trims == (2 if heap._libc() is not None else 0)
    assert not clock.getDelayedCalls()


def test_trim_interval_zero_means_never() -> None:
    clock = task.Clock()
    extension = HeapLimits(0, cast("IReactorTime", clock))
    extension.spider_opened()
    clock.advance(3600)
    assert extension.trims == 0 and not clock.getDelayedCalls()
