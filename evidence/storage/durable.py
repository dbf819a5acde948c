"""Durable writes: a new or renamed file survives a crash only once its folder is synced."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    """Flush a folder's entries to disk; without this a crash can lose a new or renamed file."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
