"""Perceptual hashes of sellers' product photos, read from the blob store once and cached.

The cache (``cache/photo-phash.json`` in the workspace home) is derived data, not evidence:
SHA-256 of the photo bytes -> 64-bit pHash as hex, or null for a photo that is missing,
unsafe or featureless. Deleting it only costs the time to decode the photos again.
"""

from __future__ import annotations

import json
import logging
import os
from typing import TYPE_CHECKING

from detector.exceptions import DetectorError
from detector.images import hash_image
from detector.imagesafe import decode_image

if TYPE_CHECKING:
    from pathlib import Path

    from ipwatch.services.workspace import Workspace

log = logging.getLogger(__name__)
CACHE = "cache/photo-phash.json"
_HEX64 = frozenset("0123456789abcdef")


class PhotoHashes:
    """SHA-256 -> pHash, computed on first use and kept in the workspace's cache file."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.path: Path = workspace.home / CACHE
        self._known: dict[str, str | None] = self._load()
        self._added = 0

    def _load(self) -> dict[str, str | None]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # absent or damaged: it is only a cache, recomputed from the blobs
        if not isinstance(data, dict):
            return {}
        return {
            k: v
            for k, v in data.items()
            if isinstance(k, str) and (v is None or (isinstance(v, str) and set(v) <= _HEX64))
        }

    def phash(self, sha256: str) -> int | None:
        if sha256 not in self._known:
            self._known[sha256] = self._compute(sha256)
            self._added += 1
        value = self._known[sha256]
        return int(value, 16) if value else None

    def _compute(self, sha256: str) -> str | None:
        try:
            data = self.workspace.blobs.get(sha256)
            hashes = hash_image(decode_image(data))
        except (OSError, ValueError, DetectorError) as exc:
            log.info("photo %s not hashed: %s", sha256[:16], exc)
            return None
        return f"{hashes[0]:016x}" if hashes is not None else None

    def save(self) -> None:
        """Write the cache if anything was added (atomically; a read-only home skips it)."""
        if not self._added or self.workspace.read_only:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps(self._known, sort_keys=True), encoding="utf-8")
        os.replace(temp, self.path)
        self._added = 0
