"""A file-backed, append-only Merkle transparency log with signed tree heads (RFC 6962 style).

Layout of the log folder:

- ``entries.jsonl``: one canonical JSON line per entry: its index, base64 bytes and leaf hash;
- ``leaves.bin``: the 32-byte leaf hashes back to back, so entry ``i`` is at offset ``32 * i``;
- ``heads.jsonl``: every signed tree head ever issued, so any old head can be proven a prefix;
- ``lock``: ``flock`` target; appends take it exclusively, readers shared.

An append writes and fsyncs the entry line first and the leaf hash second; the entry counts only
when both are whole and agree. Every operation checks the tail first and refuses a torn or
half-finished last record with a message; ``recover()`` cuts such a tail explicitly.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from evidence.log.files import (
    ENTRIES,
    HEADS,
    LEAVES,
    LOCK,
    MAX_ENTRY_BYTES,
    LogProblem,
    _cut_torn_tail,
    _entry_line,
    _last_head,
    _parse_entry,
    _read_heads,
    _tail_problem,
    _verify_files,
    _write_synced,
)
from evidence.log.merkle import HASH_SIZE, MerkleTree, leaf_hash
from evidence.log.tree_head import SignedTreeHead, TransparencyLogError
from evidence.seal.manifest import format_utc, parse_utc
from evidence.storage.durable import fsync_dir

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from evidence.seal.signing import Signer


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TransparencyLog:
    """The log in folder ``path``; keeps all subtree hashes in memory for O(log n) proofs."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        self._tree = MerkleTree()
        self._offsets: list[int] = []  # byte offset of each entry line read so far
        self._last_head: SignedTreeHead | None = None
        self._checked: tuple[int, int, int] | None = None  # file sizes the tail check saw

    # --- reading -----------------------------------------------------------------------------

    @property
    def size(self) -> int:
        with self._locked(exclusive=False):
            return self._tree.size

    def root(self, size: int | None = None) -> bytes:
        with self._locked(exclusive=False):
            return self._tree.root(size)

    def leaf_hash(self, index: int) -> bytes:
        with self._locked(exclusive=False):
            return self._tree.leaf(index)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        with self._locked(exclusive=False):
            return self._tree.inclusion_proof(index, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        with self._locked(exclusive=False):
            return self._tree.consistency_proof(old_size, new_size)

    def entry(self, index: int) -> bytes:
        """The bytes appended at ``index``, checked against the leaf hash on record."""
        with self._locked(exclusive=False):
            leaf = self._tree.leaf(index)
            with open(self.path / ENTRIES, "rb") as fh:
                self._index_offsets(fh, index + 1)
                fh.seek(self._offsets[index])
                line = fh.readline(MAX_ENTRY_BYTES * 2)
            data = _parse_entry(line, index)
            if isinstance(data, str) or leaf_hash(data) != leaf:
                raise TransparencyLogError(
                    f"entry {index} in {self.path / ENTRIES} does not match its leaf hash; "
                    "the log was altered: run its verify() and restore it from a backup"
                )
            return data

    def entries(self) -> list[tuple[int, bytes]]:
        """Every intact (index, entry bytes) in order; damaged ones are skipped (``verify``
        names them)."""
        with self._locked(exclusive=False):
            size = self._tree.size
            found: list[tuple[int, bytes]] = []
            if not size:
                return found
            with open(self.path / ENTRIES, "rb") as fh:
                for index in range(size):
                    data = _parse_entry(fh.readline(MAX_ENTRY_BYTES * 2), index)
                    if isinstance(data, bytes) and leaf_hash(data) == self._tree.leaf(index):
                        found.append((index, data))
            return found

    def heads(self) -> list[SignedTreeHead]:
        """Every signed tree head, oldest first (well-formed ones; ``verify`` names the rest)."""
        with self._locked(exclusive=False):
            return [h for _, h in _read_heads(self.path / HEADS) if isinstance(h, SignedTreeHead)]

    def latest_head(self) -> SignedTreeHead | None:
        with self._locked(exclusive=False):
            return self._last_head

    # --- writing -----------------------------------------------------------------------------

    def append(self, entry: bytes) -> tuple[int, bytes]:
        """Add ``entry``; returns its index and leaf hash once both files are fsynced."""
        if not isinstance(entry, bytes | bytearray):
            raise TransparencyLogError(f"an entry is bytes, not {type(entry).__name__}")
        if len(entry) > MAX_ENTRY_BYTES:
            raise TransparencyLogError(
                f"entry of {len(entry)} bytes exceeds {MAX_ENTRY_BYTES}; log a digest of it instead"
            )
        data = bytes(entry)
        leaf = leaf_hash(data)
        with self._locked(exclusive=True):
            index = self._tree.size
            created = not (self.path / LEAVES).exists()
            line = _entry_line(index, data, leaf)
            with open(self.path / ENTRIES, "ab") as fh:
                offset = fh.tell()
                _write_synced(fh, line)
            with open(self.path / LEAVES, "ab") as fh:
                _write_synced(fh, leaf)
            if created:
                fsync_dir(self.path)  # the new files' names must survive a crash too
            self._tree.append(leaf)
            if len(self._offsets) == index:
                self._offsets.append(offset)
            self._checked = self._file_sizes()
        return index, leaf

    def sign_head(self, signer: Signer) -> SignedTreeHead:
        """Sign the current size and root, keep the head in ``heads.jsonl`` and return it."""
        with self._locked(exclusive=True):
            moment = self.clock()
            timestamp = format_utc(moment)
            previous = self._last_head
            if previous is not None and parse_utc(previous.timestamp) > moment:
                raise TransparencyLogError(
                    f"the clock reads {timestamp}, before the last tree head "
                    f"({previous.timestamp}); fix the system clock before signing"
                )
            size = self._tree.size
            unsigned = SignedTreeHead(size, self._tree.root().hex(), timestamp, signer.key_id, "")
            head = SignedTreeHead(
                size,
                unsigned.root,
                timestamp,
                signer.key_id,
                signer.sign(unsigned.signed_bytes()).hex(),
            )
            created = not (self.path / HEADS).exists()
            with open(self.path / HEADS, "ab") as fh:
                _write_synced(fh, head.to_json() + b"\n")
            if created:
                fsync_dir(self.path)
            self._last_head = head
            self._checked = self._file_sizes()
        return head

    # --- checking and repair -----------------------------------------------------------------

    def verify(self, public_keys: Sequence[bytes | str] = ()) -> list[LogProblem]:
        """Re-read every record and recompute every hash; an empty list means all is intact.

        Head signatures are checked only against ``public_keys``; with none given they are
        not checked, and the caller must report them as such.
        """
        with self._locked(exclusive=False, check_tail=False):
            return _verify_files(self.path, public_keys)

    def recover(self) -> list[str]:
        """Cut a torn or half-finished last record left by a crash; says what it cut.

        Only the tail an interrupted ``append`` or ``sign_head`` can leave is cut; damage
        anywhere else raises, because it means the log was altered, not interrupted.
        """
        with self._locked(exclusive=True, check_tail=False):
            cut = _cut_torn_tail(self.path)
            self._reset()
            self._refresh()
        return cut

    # --- internals ---------------------------------------------------------------------------

    @contextmanager
    def _locked(self, *, exclusive: bool, check_tail: bool = True) -> Iterator[None]:
        if not exclusive and not self.path.exists():
            self._refresh()  # nothing on disk yet: an empty log, and no folder made by a read
            yield
            return
        lock = self._open_lock(exclusive)
        if lock is None:  # read-only media: no writer can exist, so there is nothing to lock
            if check_tail:
                self._refresh()
            yield
            return
        with lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                if check_tail:
                    self._refresh()
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _open_lock(self, exclusive: bool) -> BinaryIO | None:
        """The lock file; a reader on read-only media opens it read-only, or goes without."""
        if exclusive:
            self.path.mkdir(parents=True, exist_ok=True)
            return open(self.path / LOCK, "a+b")
        try:
            return open(self.path / LOCK, "rb")
        except FileNotFoundError:
            pass
        try:
            return open(self.path / LOCK, "a+b")
        except OSError:
            return None

    def _file_sizes(self) -> tuple[int, int, int]:
        entries, leaves, heads = (
            (self.path / name).stat().st_size if (self.path / name).exists() else 0
            for name in (ENTRIES, LEAVES, HEADS)
        )
        return entries, leaves, heads

    def _reset(self) -> None:
        self._tree, self._offsets, self._last_head, self._checked = MerkleTree(), [], None, None

    def _refresh(self) -> None:
        """Load leaves added since last time, then check the tail; cheap when nothing changed."""
        sizes = self._file_sizes()
        if sizes == self._checked:
            return
        entries_size, leaves_size, _ = sizes
        if leaves_size < self._tree.size * HASH_SIZE or (
            self._checked is not None and entries_size < self._checked[0]
        ):
            self._reset()  # the files shrank (a recover elsewhere): start over
        if leaves_size % HASH_SIZE:
            raise TransparencyLogError(
                f"{self.path / LEAVES} ends with a torn leaf hash ({leaves_size % HASH_SIZE} of "
                f"{HASH_SIZE} bytes): an append was cut short; check the log with verify(), "
                "then let recover() cut the torn record"
            )
        if leaves_size > self._tree.size * HASH_SIZE:
            with open(self.path / LEAVES, "rb") as fh:
                fh.seek(self._tree.size * HASH_SIZE)
                fresh = fh.read(leaves_size - self._tree.size * HASH_SIZE)
            for start in range(0, len(fresh), HASH_SIZE):
                self._tree.append(fresh[start : start + HASH_SIZE])
        problem = _tail_problem(self.path, self._tree)
        if problem:
            raise TransparencyLogError(
                f"{problem}; the log refuses to be used until recover() cuts the torn record "
                "(run verify() first: damage elsewhere means the log was altered)"
            )
        self._last_head = _last_head(self.path / HEADS)
        self._checked = sizes

    def _index_offsets(self, fh: BinaryIO, count: int) -> None:
        """Extend the line-offset index far enough to reach entry ``count - 1``."""
        position = self._offsets[-1] if self._offsets else 0
        fh.seek(position)
        if self._offsets:
            fh.readline(MAX_ENTRY_BYTES * 2)
            position = fh.tell()
        while len(self._offsets) < count:
            line = fh.readline(MAX_ENTRY_BYTES * 2)
            if not line:
                raise TransparencyLogError(f"{self.path / ENTRIES} has fewer lines than leaves")
            self._offsets.append(position)
            position += len(line)
