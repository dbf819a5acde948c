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
