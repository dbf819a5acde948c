"""Read a zip's members for verification: each at most once, within one decompression budget.

A hostile package is small on disk and huge inflated (a WARC of zeros behind many index lines),
or has a corrupt deflate stream. Here every member is decompressed once per package, every byte
inflated counts against ``VERIFY_MAX_DECOMPRESSED_BYTES``, and corrupt data becomes a
``PartUnreadableError`` that verify reports as a failed check instead of a traceback.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from config.limits import VERIFY_MAX_DECOMPRESSED_BYTES
from evidence.export.bundle import MAX_PART_BYTES, BundleError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

CHUNK = 1024 * 1024


class PartUnreadableError(BundleError):
    """A member's compressed data is corrupt or cut short, so its bytes cannot be checked."""


class BudgetExceededError(BundleError):
    """Verifying the package would inflate more bytes than the limit allows."""


@dataclass
class DecompressionBudget:
    """Bytes inflated so far for one package, against the limit (defined in config/limits.py)."""

    limit: int = VERIFY_MAX_DECOMPRESSED_BYTES
    used: int = 0
    reads: dict[str, int] = field(default_factory=dict)  # member name -> times inflated

    @property
    def exhausted(self) -> bool:
        return self.used > self.limit

    @property
    def next_read(self) -> int:
        """How much to inflate next: one chunk, or one byte past the limit, never more."""
        return max(1, min(CHUNK, self.limit - self.used + 1))

    def charge(self, size: int, name: str) -> None:
        """Count ``size`` inflated bytes of ``name``; past the limit nothing more is read."""
        self.used += size
        if self.used > self.limit:
            raise BudgetExceededError(
                f"verifying this package inflates more than {self.limit} bytes (at {name}); a "
                "package that large is refused (VERIFY_MAX_DECOMPRESSED_BYTES, config/limits.py)"
            )


class ZipParts:
    """An open zip whose members are inflated once each and kept until ``release()``.

    ``digest`` answers from what was already read, so checking datapackage.json's hashes costs
    nothing more for the parts the snapshot checks needed anyway.
    """

    def __init__(self, path: Path, budget: DecompressionBudget | None = None) -> None:
        self.path = path
        self.budget = budget if budget is not None else DecompressionBudget()
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise BundleError(f"{path} is not a readable zip file ({exc})") from None
        self.names = set(self.zip.namelist())
        self._cache: dict[str, bytes] = {}
        self._digests: dict[str, tuple[str, int]] = {}

    def close(self) -> None:
        self.release()
        self.zip.close()

    def release(self) -> None:
        """Drop the kept bytes (their digests stay): memory is bounded by one snapshot's parts."""
        self._cache.clear()

    def read(self, name: str) -> bytes | None:
        """A member's bytes (inflated on first use only), or None when the zip lacks it."""
        if name in self._cache:
            return self._cache[name]
        if name not in self.names:
            return None
        hasher, buffer = hashlib.sha256(), io.BytesIO()
        for chunk in self._inflate(name):
            hasher.update(chunk)
            buffer.write(chunk)
        data = buffer.getvalue()  # one copy of the part, not a list of chunks and their join
        self._digests[name] = ("sha256:" + hasher.hexdigest(), len(data))
        self._cache[name] = data
        return data

    def digest(self, name: str) -> tuple[str, int] | None:
        """``("sha256:<hex>", size)`` of a member, streaming it if it was never read."""
        if name in self._digests:
            return self._digests[name]
        if name not in self.names:
            return None
        hasher, size = hashlib.sha256(), 0
        for chunk in self._inflate(name):
            hasher.update(chunk)
            size += len(chunk)
        self._digests[name] = ("sha256:" + hasher.hexdigest(), size)
        return self._digests[name]

    def _inflate(self, name: str) -> Iterator[bytes]:
        info = self.zip.getinfo(name)
        if info.file_size > MAX_PART_BYTES:
            raise BundleError(f"{name} in {self.path} is over {MAX_PART_BYTES} bytes")
        self.budget.reads[name] = self.budget.reads.get(name, 0) + 1
        self.budget.charge(0, name)  # already spent: refuse before inflating anything
        total = 0
        try:
            with self.zip.open(info) as fh:
                while chunk := fh.read(self.budget.next_read):
                    total += len(chunk)
                    if total > MAX_PART_BYTES:
                        raise BundleError(f"{name} in {self.path} inflates past {MAX_PART_BYTES}")
                    self.budget.charge(len(chunk), name)
                    yield chunk
        except (zlib.error, zipfile.BadZipFile, EOFError, OSError) as exc:
            raise PartUnreadableError(
                f"{name} in {self.path} is corrupt: its compressed data cannot be read ({exc})"
            ) from None
