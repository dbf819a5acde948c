"""Content-addressed blob store: each artifact kept once, named by its SHA-256, never rewritten."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from evidence.exceptions import BlobNotFoundError, InvalidDigestError
from evidence.storage.durable import fsync_dir

if TYPE_CHECKING:
    from collections.abc import Callable

_SHA256_RE = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


def check_sha256(sha: str) -> str:
    """Return ``sha`` if it is 64 lowercase hex chars; anything else could escape the store root."""
    if not isinstance(sha, str) or not _SHA256_RE.fullmatch(sha):
        raise InvalidDigestError(
            f"not a SHA-256 hex digest: {sha!r}; pass the 64 lowercase hex characters of the digest"
        )
    return sha


def sha256_file(path: Path) -> tuple[str, int]:
    """Digest and size of a file, read in chunks so large artifacts do not fill memory."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class BlobStore:
    """Files under ``root/ab/cdef...`` keyed by SHA-256; written atomically and made read-only."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        """Where the blob with this digest lives (whether or not it exists)."""
        check_sha256(sha)
        return self.root / sha[:2] / sha[2:]

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its digest; storing the same bytes again is a no-op."""
        sha = hashlib.sha256(data).hexdigest()
        if not self.exists(sha):
            self._write(sha, lambda fh: fh.write(data))
        return sha

    def put_file(self, source: Path | str) -> str:
        """Store a file's content by streaming it; returns its digest."""
        sha, _ = sha256_file(Path(source))
        if not self.exists(sha):

            def copy(fh: BinaryIO) -> None:
                with open(source, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        fh.write(chunk)

            self._write(sha, copy)
            if not self.verify(sha):
                # The source changed while we copied it: do not keep a blob under a wrong name.
                self._remove(sha)
                raise InvalidDigestError(
                    f"{source} changed while it was being stored; store it again once it is stable"
                )
        return sha

    def get(self, sha: str) -> bytes:
        """The blob's bytes; raises ``BlobNotFoundError`` when it is missing."""
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError:
            raise BlobNotFoundError(
                f"blob {sha} is missing from {self.root}; restore it from a backup or an export"
            ) from None

    def size(self, sha: str) -> int:
        try:
            return self.path(sha).stat().st_size
        except FileNotFoundError:
            raise BlobNotFoundError(f"blob {sha} is missing from {self.root}") from None

    def verify(self, sha: str) -> bool:
        """Recompute the digest from disk; False when the bytes changed or the blob is missing."""
        path = self.path(sha)
        if not path.is_file():
            return False
        return sha256_file(path)[0] == sha

    def _write(self, sha: str, fill: Callable[[BinaryIO], object]) -> None:
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fill(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        fsync_dir(target.parent)

    def _remove(self, sha: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha).unlink()
