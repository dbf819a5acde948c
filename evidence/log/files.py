"""The log folder's record files: entry lines, torn tails, full verification and repair."""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from evidence.log.merkle import HASH_SIZE, MerkleTree, leaf_hash
from evidence.log.tree_head import SignedTreeHead, TransparencyLogError
from evidence.seal.manifest import canonical_json, parse_utc
from evidence.seal.signing import SigningKeyError, key_id

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

MAX_ENTRY_BYTES = 1024 * 1024  # a sealed manifest is kilobytes; this bounds a hostile entry
ENTRIES, LEAVES, HEADS, LOCK = "entries.jsonl", "leaves.bin", "heads.jsonl", "lock"
_ENTRY_FIELDS = {"entry", "index", "leaf_hash"}


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
