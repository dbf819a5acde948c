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

import base64
import binascii
import fcntl
import json
import os
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from evidence.exceptions import EvidenceError, ManifestError
from evidence.log.merkle import HASH_SIZE, MerkleTree, consistency_failure, leaf_hash
from evidence.seal.manifest import canonical_json, format_utc, parse_utc
from evidence.seal.signing import SigningKeyError, key_id, verify
from evidence.storage.durable import fsync_dir

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from evidence.seal.signing import Signer

MAX_ENTRY_BYTES = 1024 * 1024  # a sealed manifest is kilobytes; this bounds a hostile entry
MAX_HEAD_BYTES = 4096
HEAD_CONTEXT = b"ipwatch tree head v1\n"  # signed prefix: a head signature means nothing else
ENTRIES, LEAVES, HEADS, LOCK = "entries.jsonl", "leaves.bin", "heads.jsonl", "lock"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_ENTRY_FIELDS = {"entry", "index", "leaf_hash"}
_HEAD_FIELDS = {"key_id", "root", "signature", "size", "timestamp"}


class TransparencyLogError(EvidenceError):
    """The log cannot be used safely as it is (torn tail, damaged record, bad request)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SignedTreeHead:
    """The log's size and root at a moment, signed; hex strings so it serialises as-is."""

    size: int
    root: str
    timestamp: str
    key_id: str
    signature: str

    @property
    def root_hash(self) -> bytes:
        return bytes.fromhex(self.root)

    def signed_bytes(self) -> bytes:
        """What the signature covers: a fixed context string, then the head minus its signature."""
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return HEAD_CONTEXT + canonical_json(body)

    def to_json(self) -> bytes:
        return canonical_json(asdict(self))

    @classmethod
    def from_json(cls, data: bytes | str) -> SignedTreeHead:
        """Parse and check a head; the bytes must be its canonical form (nothing re-encoded)."""
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(raw) > MAX_HEAD_BYTES:
            raise TransparencyLogError(f"a tree head is at most {MAX_HEAD_BYTES} bytes")
        try:
            value: Any = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TransparencyLogError(f"tree head is not JSON ({exc})") from None
        if not isinstance(value, dict) or set(value) != _HEAD_FIELDS:
            raise TransparencyLogError(
                f"tree head must have exactly the fields {', '.join(sorted(_HEAD_FIELDS))}"
            )
        size = value["size"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise TransparencyLogError("tree head size is not a non-negative integer")
        for name, pattern in (("root", _HEX64), ("key_id", _HEX64), ("signature", _HEX128)):
            if not isinstance(value[name], str) or not pattern.fullmatch(value[name]):
                raise TransparencyLogError(f"tree head {name} is not lowercase hex of its size")
        if not isinstance(value["timestamp"], str):
            raise TransparencyLogError("tree head timestamp is not text")
        try:
            parse_utc(value["timestamp"])
        except ManifestError as exc:
            raise TransparencyLogError(f"tree head {exc}") from None
        head = cls(**value)
        if head.to_json() != raw.rstrip(b"\n"):
            raise TransparencyLogError("tree head is not in canonical form; it was re-encoded")
        return head

    def signature_failure(self, public_key: bytes | str) -> str | None:
        """Why the signature does not hold for ``public_key``, or None when it does."""
        try:
            expected_id = key_id(public_key)
        except SigningKeyError as exc:
            return str(exc)
        if expected_id != self.key_id:
            return f"signed by key {self.key_id[:16]}…, not by the given key {expected_id[:16]}…"
        if not verify(public_key, self.signed_bytes(), bytes.fromhex(self.signature)):
            return "the signature does not match the head"
        return None


def head_consistency_failure(
    old: SignedTreeHead, new: SignedTreeHead, proof: Sequence[bytes], public_key: bytes | str
) -> str | None:
    """Why ``new`` is not a signed, append-only extension of ``old``, or None when it is."""
    for label, head in (("old", old), ("new", new)):
        problem = head.signature_failure(public_key)
        if problem:
            return f"{label} head: {problem}"
    problem = consistency_failure(old.size, new.size, old.root_hash, new.root_hash, proof)
    return f"consistency: {problem}" if problem else None


@dataclass(frozen=True)
class LogProblem:
    """One thing wrong with a log file; ``record`` is the 1-based line (or leaf) number."""

    file: str
    record: int
    # torn_record | bad_record | wrong_index | wrong_leaf_hash | count_mismatch | bad_head
    # | head_mismatch | head_order | bad_signature
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.file} record {self.record}: {self.kind}: {self.message}"


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
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / LOCK, "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                if check_tail:
                    self._refresh()
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

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


def _entry_line(index: int, data: bytes, leaf: bytes) -> bytes:
    encoded = base64.b64encode(data).decode("ascii")
    return canonical_json({"entry": encoded, "index": index, "leaf_hash": leaf.hex()}) + b"\n"


def _parse_entry(line: bytes, index: int) -> bytes | str:
    """The entry bytes on a line that claims ``index``, or a sentence saying what is wrong."""
    if not line.endswith(b"\n"):
        return "the line is cut short (no newline)"
    try:
        raw: Any = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "not JSON"
    if not isinstance(raw, dict) or set(raw) != _ENTRY_FIELDS:
        return f"not an entry: expected exactly the fields {', '.join(sorted(_ENTRY_FIELDS))}"
    if raw["index"] != index or isinstance(raw["index"], bool):
        return f"index {raw['index']!r}, expected {index}"
    if not isinstance(raw["entry"], str) or not isinstance(raw["leaf_hash"], str):
        return "entry and leaf_hash must be text"
    try:
        data = base64.b64decode(raw["entry"], validate=True)
    except (binascii.Error, ValueError):
        return "entry is not base64"
    if canonical_json(raw) + b"\n" != line:
        return "the line is not in canonical form; it was re-encoded"
    if leaf_hash(data).hex() != raw["leaf_hash"]:
        return "leaf_hash is not the hash of the entry"
    return data


def _tail_problem(path: Path, tree: MerkleTree) -> str | None:
    """What is wrong with the last entry or head, judged against the loaded leaves."""
    size = tree.size
    last = _last_line(path / ENTRIES)
    if last is None:
        if size:
            return f"{path / ENTRIES} is empty but {path / LEAVES} holds {size} leaf hashes"
    else:
        data = _parse_entry(last, size - 1)
        if isinstance(data, str):
            if data.startswith(f"index {size},"):
                return (
                    f"entry {size} in {path / ENTRIES} has no leaf hash in {path / LEAVES}: "
                    "an append was cut short"
                )
            return f"the last entry in {path / ENTRIES} is damaged ({data})"
        if leaf_hash(data) != tree.leaf(size - 1):
            return f"the last entry in {path / ENTRIES} does not match the last leaf hash"
    head_line = _last_line(path / HEADS)
    if head_line is not None:
        if not head_line.endswith(b"\n"):
            return f"{path / HEADS} ends with a torn tree head: a signing was cut short"
        try:
            head = SignedTreeHead.from_json(head_line)
        except TransparencyLogError as exc:
            return f"the last tree head in {path / HEADS} is damaged ({exc})"
        if head.size > size or tree.root(head.size).hex() != head.root:
            return f"the last tree head in {path / HEADS} does not match the leaves"
    return None


def _last_line(path: Path) -> bytes | None:
    """The last line of a file (with its newline, if any), reading only the tail."""
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        if end == 0:
            return None
        start, tail, block = end, b"", 8192
        while start > 0:
            start = max(0, end - block)
            fh.seek(start)
            tail = fh.read(end - start)
            if b"\n" in tail[:-1]:
                break
            block *= 2  # a long last line costs O(its length), not O(length squared)
    return tail[tail.rfind(b"\n", 0, len(tail) - 1) + 1 :]


def _last_head(path: Path) -> SignedTreeHead | None:
    line = _last_line(path)
    return SignedTreeHead.from_json(line) if line else None


def _read_heads(path: Path) -> Iterator[tuple[int, SignedTreeHead | str]]:
    if not path.exists():
        return
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.endswith(b"\n"):
                yield number, "the line is cut short (no newline)"
                continue
            try:
                yield number, SignedTreeHead.from_json(line)
            except TransparencyLogError as exc:
                yield number, str(exc)


def _verify_files(path: Path, public_keys: Sequence[bytes | str]) -> list[LogProblem]:
    problems: list[LogProblem] = []
    leaves_bytes = (path / LEAVES).read_bytes() if (path / LEAVES).exists() else b""
    if len(leaves_bytes) % HASH_SIZE:
        problems.append(
            LogProblem(LEAVES, len(leaves_bytes) // HASH_SIZE + 1, "torn_record", "cut short")
        )
    leaves = [leaves_bytes[i : i + HASH_SIZE] for i in range(0, len(leaves_bytes) // 32 * 32, 32)]
    count = 0
    if (path / ENTRIES).exists():
        with open(path / ENTRIES, "rb") as fh:
            for count, line in enumerate(fh, start=1):
                index = count - 1
                data = _parse_entry(line, index)
                if isinstance(data, str):
                    kind = "torn_record" if "cut short" in data else "bad_record"
                    kind = "wrong_index" if data.startswith("index ") else kind
                    problems.append(LogProblem(ENTRIES, count, kind, data))
                elif index < len(leaves) and leaf_hash(data) != leaves[index]:
                    problems.append(
                        LogProblem(ENTRIES, count, "wrong_leaf_hash", "differs from leaves.bin")
                    )
    if count != len(leaves):
        problems.append(
            LogProblem(
                LEAVES,
                min(count, len(leaves)) + 1,
                "count_mismatch",
                f"{count} entries but {len(leaves)} leaf hashes",
            )
        )
    tree = MerkleTree(leaves)
    keys = _keys_by_id(public_keys, problems)
    previous: SignedTreeHead | None = None
    for number, head in _read_heads(path / HEADS):
        if isinstance(head, str):
            kind = "torn_record" if "cut short" in head else "bad_head"
            problems.append(LogProblem(HEADS, number, kind, head))
            continue
        if head.size > tree.size or tree.root(head.size).hex() != head.root:
            problems.append(
                LogProblem(HEADS, number, "head_mismatch", f"root for size {head.size} differs")
            )
        if previous is not None and (
            head.size < previous.size or parse_utc(head.timestamp) < parse_utc(previous.timestamp)
        ):
            problems.append(
                LogProblem(HEADS, number, "head_order", "smaller or older than the head before it")
            )
        if keys:
            key = keys.get(head.key_id)
            failure = (
                head.signature_failure(key)
                if key is not None
                else (f"signed by key {head.key_id[:16]}…, which is not among the given keys")
            )
            if failure:
                problems.append(LogProblem(HEADS, number, "bad_signature", failure))
        previous = head
    return problems


def _keys_by_id(
    public_keys: Sequence[bytes | str], problems: list[LogProblem]
) -> dict[str, bytes | str]:
    keys: dict[str, bytes | str] = {}
    for number, public_key in enumerate(public_keys, start=1):
        try:
            keys[key_id(public_key)] = public_key
        except SigningKeyError as exc:
            problems.append(LogProblem("public key", number, "bad_signature", str(exc)))
    return keys


def _cut_torn_tail(path: Path) -> list[str]:
    """Truncate what an interrupted append or signing leaves; raise on any other damage."""
    cut: list[str] = []
    leaves_path, entries_path, heads_path = path / LEAVES, path / ENTRIES, path / HEADS
    leaves_size = leaves_path.stat().st_size if leaves_path.exists() else 0
    if leaves_size % HASH_SIZE:
        _truncate(leaves_path, leaves_size - leaves_size % HASH_SIZE)
        cut.append(f"{LEAVES}: a torn leaf hash of {leaves_size % HASH_SIZE} bytes")
    for file_path in (entries_path, heads_path):
        last = _last_line(file_path)
        if last is not None and not last.endswith(b"\n"):
            _truncate(file_path, file_path.stat().st_size - len(last))
            cut.append(f"{file_path.name}: a last line cut short ({len(last)} bytes)")
    leaves = leaves_path.stat().st_size // HASH_SIZE if leaves_path.exists() else 0
    last = _last_line(entries_path)
    if last is not None and isinstance(_parse_entry(last, leaves), bytes):
        # The entry line was written but its leaf hash was not: the append never returned.
        _truncate(entries_path, entries_path.stat().st_size - len(last))
        cut.append(f"{ENTRIES}: entry {leaves}, whose append never finished")
    tree = MerkleTree()
    if leaves:
        with open(leaves_path, "rb") as fh:
            tree = MerkleTree(fh.read(HASH_SIZE) for _ in range(leaves))
    problem = _tail_problem(path, tree)
    if problem:
        raise TransparencyLogError(
            f"{problem}; this is not an interrupted write, so recover() leaves it alone: "
            "restore the log from a backup"
        )
    return cut


def _truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(size)
        fh.flush()
        os.fsync(fh.fileno())


def _write_synced(fh: BinaryIO, data: bytes) -> None:
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())
