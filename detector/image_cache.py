"""Expensive per-photo signals stored by photo SHA-256: a photo is described once, not per listing.

A photo's learned descriptor, SIFT features, OCR text and perceptual hashes depend on the photo
and on the code and settings that extracted them, never on the registry: a photo met again on
another listing, or after an asset was added (which empties the findings cache), is matched
from these rows instead of running the network, OCR or SIFT again. Keys are
``sha256(kind, extractor digest, extraction parameters, photo sha256)``; new extractor code or
parameters simply stop asking for the old rows, which then age out.

Rows hold JSON and ``.npz`` bytes, read with ``allow_pickle=False``: the data folder is writable
by an insider, and unpickling a row would run whatever it names. A row that does not decode to
the shape its extractor produces is deleted and the photo described again. Several detection
processes share the file (WAL, busy timeout); its size is bounded by evicting the least recently
used rows, and rows unused for ``max_age_days`` are deleted on open.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import sqlite3
import time
import zipfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from detector.sqlite_cache import SqliteCache

if TYPE_CHECKING:
    from collections.abc import Mapping

_log = logging.getLogger(__name__)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS signals (key TEXT PRIMARY KEY, meta TEXT NOT NULL,"
    " arrays BLOB NOT NULL, size INTEGER NOT NULL, used REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS signals_used ON signals (used)",
)
MAX_AGE_DAYS = 30
MAX_MEGABYTES = 1024  # rows past this total are evicted, least recently used first
_PRUNE_EVERY = 64  # puts between two checks of the total size
# What the stored signals are computed with: this code, and the libraries that compute them.
_EXTRACTOR_SOURCES = (
    "image_cache.py",
    "image_signals.py",
    "images.py",
    "imagesafe.py",
    "vision/copycheck.py",
    "vision/descriptor.py",
    "vision/descriptor_models.py",
    "vision/keypoints.py",
    "vision/ocr.py",
    "vision/regions.py",
)
_LIBRARIES = ("numpy", "pillow", "imagehash", "opencv-python-headless", "rapidocr-onnxruntime")


class CorruptSignalError(ValueError):
    """A stored row is not what its extractor writes: it is dropped and recomputed."""


@lru_cache(maxsize=1)
def extractor_digest() -> str:
    """A digest of the extracting code and library versions: new code never reads old rows."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for name in _EXTRACTOR_SOURCES:
        path = root / name
        data = path.read_bytes() if path.is_file() else b"missing"
        digest.update(name.encode() + b"\0" + data + b"\0")
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


def encode_arrays(arrays: Mapping[str, np.ndarray]) -> bytes:
    """Arrays as ``.npz`` bytes (numeric dtypes only: nothing that needs pickle)."""
    buffer = io.BytesIO()
    contiguous: dict[str, Any] = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    np.savez(buffer, allow_pickle=False, **contiguous)
    return buffer.getvalue()


def decode_arrays(data: object) -> dict[str, np.ndarray]:
    """Arrays back from ``encode_arrays``; CorruptSignalError for anything else (object arrays
    included: ``allow_pickle=False`` refuses them)."""
    if not isinstance(data, bytes):
        raise CorruptSignalError("stored arrays are not bytes")
    try:
        # Stored members only: a deflated one could expand to any size (a zip bomb in a row).
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.compress_type != zipfile.ZIP_STORED or info.file_size > len(data):
                    raise CorruptSignalError(f"stored member {info.filename!r} is compressed")
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except CorruptSignalError:
        raise
    except Exception as exc:  # zipfile, numpy format, pickle refusal: all mean a bad row
        raise CorruptSignalError(f"stored arrays unreadable: {exc}") from exc


class ImageSignalCache(SqliteCache):
    """``<home>/cache/images.sqlite``: per-photo signals by (kind, extractor, params, sha256)."""

    label = "image signal cache"
    without = "extracting without it"
    table = "signals"
    schema = _SCHEMA

    def __init__(
        self,
        path: Path,
        *,
        max_megabytes: float = MAX_MEGABYTES,
        max_age_days: float = MAX_AGE_DAYS,
        code: str | None = None,
    ) -> None:
        self.max_bytes = int(max_megabytes * 1024 * 1024)
        self.code = code if code is not None else extractor_digest()
        self._puts = 0
        self.hits = 0
        self.misses = 0
        self.dropped = 0
        super().__init__(path, max_age_days)

    def key(self, kind: str, params: str, sha256: str) -> str:
        text = f"{kind}\0{self.code}\0{params}\0{sha256}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> tuple[Any, dict[str, np.ndarray]] | None:
        """(JSON meta, arrays) of a row, or None when absent, unreadable now, or corrupt (then
        deleted: the caller describes the photo again)."""
        if self._db is None:
            return None
        try:
            with self._lock:
                # A row larger than the whole budget was not written here: a miss, not a read.
                row = self._db.execute(
                    "SELECT meta, arrays FROM signals"
                    " WHERE key = ? AND length(meta) + length(arrays) <= ?",
                    (key, self.max_bytes),
                ).fetchone()
        except sqlite3.Error as exc:
            _log.warning("image signal cache %s unreadable (%s)", self.path, exc)
            return None
        if row is None:
            return None
        try:
            meta = json.loads(row[0]) if isinstance(row[0], str) else None
            if not isinstance(meta, dict):
                raise CorruptSignalError("stored meta is not a JSON object")
            arrays = decode_arrays(row[1])
        except (CorruptSignalError, ValueError) as exc:
            self.drop(key, str(exc))
            return None
        self._write("UPDATE signals SET used = ? WHERE key = ?", (time.time(), key))
        return meta, arrays

    def drop(self, key: str, why: str) -> None:
        """Delete a row its reader found malformed."""
        _log.warning("image signal cache row %s… is malformed (%s); recomputing", key[:12], why)
        self.dropped += 1
        self._write("DELETE FROM signals WHERE key = ?", (key,))

    def put(self, key: str, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        blob = encode_arrays(arrays)
        text = json.dumps(dict(meta), separators=(",", ":"))
        size = len(blob) + len(text)
        if size > self.max_bytes:
            return  # one photo larger than the whole budget: not worth keeping
        self._write(
            "INSERT OR REPLACE INTO signals (key, meta, arrays, size, used) VALUES (?, ?, ?, ?, ?)",
            (key, text, blob, size, time.time()),
        )
        self._puts += 1
        if self._puts % _PRUNE_EVERY == 1:
            self.prune()

    def total_bytes(self) -> int:
        if self._db is None:
            return 0
        with self._lock:
            row = self._db.execute("SELECT COALESCE(SUM(size), 0) FROM signals").fetchone()
        return int(row[0])

    def prune(self) -> None:
        """Evict least recently used rows until the file's rows fit ``max_bytes``."""
        if self._db is None:
            return
        try:
            excess = self.total_bytes() - self.max_bytes
            if excess <= 0:
                return
            with self._lock:
                victims: list[str] = []
                for key, size in self._db.execute("SELECT key, size FROM signals ORDER BY used"):
                    victims.append(key)
                    excess -= int(size)
                    if excess <= 0:
                        break
                self._db.executemany("DELETE FROM signals WHERE key = ?", [(k,) for k in victims])
        except sqlite3.Error as exc:
            _log.warning("image signal cache %s not pruned (%s)", self.path, exc)
