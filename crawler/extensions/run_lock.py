"""Tell a crawl that is still running from one whose process was killed: a held file lock.

A run's process holds an exclusive ``flock`` on ``runs/<id>.lock`` in the workspace while it
crawls; the kernel drops the lock when the process dies, however it dies, so anyone who can
take the lock knows the run is over.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class RunLock:
    def __init__(self, directory: Path, run_id: str):
        self.path = directory / f"{run_id}.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None


def is_abandoned(directory: Path, run_id: str) -> bool:
    """True when no live process holds the run's lock (or the lock file is gone)."""
    path = directory / f"{run_id}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        path.unlink(missing_ok=True)
        return True
    finally:
        os.close(fd)


class CrawlBusy(Exception):
    """Another live process is crawling this marketplace into this data folder."""


class MarketplaceLock:
    """One crawl per data folder and marketplace: an exclusive ``flock`` on
    ``runs/<marketplace>.crawl.lock`` that names its holder. A dead holder's lock is gone with
    its process, so the next crawl simply takes it (recovery of its run is the recorder's job).
    """

    def __init__(self, directory: Path, marketplace: str):
        self.path = directory / f"{marketplace}.crawl.lock"
        self._fd: int | None = None

    def acquire(self, holder: str) -> None:
        """Take the lock or raise ``CrawlBusy`` naming the crawl that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            running = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise CrawlBusy(running) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode("utf-8"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None
