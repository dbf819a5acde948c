"""Append-only, hash-chained JSON-lines ledger: sealed manifest digests in order, tamper-evident."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from evidence.exceptions import LedgerError
from evidence.seal.manifest import canonical_json, format_utc
from evidence.storage.durable import fsync_dir

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

GENESIS_HASH = "0" * 64
_FIELDS = ("seq", "snapshot_id", "manifest_sha256", "recorded_at", "prev_hash", "entry_hash")


@dataclass(frozen=True)
class LedgerEntry:
    seq: int
    snapshot_id: str
    manifest_sha256: str
    recorded_at: str
    prev_hash: str
    entry_hash: str

    def expected_hash(self) -> str:
        """Hash of the entry without ``entry_hash``: what ``entry_hash`` must equal."""
        body = {k: v for k, v in asdict(self).items() if k != "entry_hash"}
        return hashlib.sha256(canonical_json(body)).hexdigest()


@dataclass(frozen=True)
class LedgerProblem:
    """One thing wrong with the ledger file; ``line`` is 1-based as in an editor."""

    line: int
    # bad_json | bad_entry | truncated_last_line | seq_gap | broken_link | wrong_entry_hash
    # | duplicate_snapshot
    kind: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.kind}: {self.message}"


class Ledger:
    """The ledger file at ``path``; appends take an exclusive ``flock`` and are fsynced."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def append(self, snapshot_id: str, manifest_sha256: str, recorded_at: datetime) -> LedgerEntry:
        """Chain a new entry after the last one; refuses when the last line is damaged."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        with open(self.path, "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                last = _last_entry(fh, self.path)
                seq, prev = (0, GENESIS_HASH) if last is None else (last.seq + 1, last.entry_hash)
                draft = LedgerEntry(
                    seq, snapshot_id, manifest_sha256, format_utc(recorded_at), prev, ""
                )
                entry = LedgerEntry(**{**asdict(draft), "entry_hash": draft.expected_hash()})
                fh.seek(0, os.SEEK_END)
                fh.write(canonical_json(asdict(entry)) + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        if created:
            fsync_dir(self.path.parent)
        return entry

    def entries(self) -> Iterator[LedgerEntry]:
        """Well-formed entries in file order; damaged lines are skipped (``verify`` names them)."""
        for _, line in self._lines():
            entry = _parse(line)
            if isinstance(entry, LedgerEntry):
                yield entry

    def find(self, snapshot_id: str) -> LedgerEntry | None:
        for entry in self.entries():
            if entry.snapshot_id == snapshot_id:
                return entry
        return None

    def verify(self) -> list[LedgerProblem]:
        """Walk the whole chain; an empty list means every line links and hashes correctly."""
        problems: list[LedgerProblem] = []
        lines = list(self._lines())
        prev: LedgerEntry | None = None
        prev_ok = True  # False after a damaged line: the next link cannot be judged
        seen: dict[str, int] = {}
        for number, line in lines:
            if number == len(lines) and not line.endswith(b"\n"):
                problems.append(
                    LedgerProblem(
                        number,
                        "truncated_last_line",
                        "last line has no newline; "
                        "a write was cut short: restore the ledger from a backup",
                    )
                )
                break
            entry = _parse(line)
            if isinstance(entry, str):
                kind = "bad_json" if entry.startswith("not JSON") else "bad_entry"
                problems.append(LedgerProblem(number, kind, entry))
                prev, prev_ok = None, False
                continue
            expected_seq = 0 if number == 1 else (prev.seq + 1 if prev else None)
            if expected_seq is not None and entry.seq != expected_seq:
                problems.append(
                    LedgerProblem(number, "seq_gap", f"seq {entry.seq}, expected {expected_seq}")
                )
            expected_prev = GENESIS_HASH if number == 1 else (prev.entry_hash if prev else None)
            if prev_ok and expected_prev is not None and entry.prev_hash != expected_prev:
                problems.append(
                    LedgerProblem(
                        number,
                        "broken_link",
                        f"prev_hash {entry.prev_hash[:12]}… does not match the entry before "
                        f"({expected_prev[:12]}…)",
                    )
                )
            if entry.entry_hash != entry.expected_hash():
                problems.append(
                    LedgerProblem(
                        number,
                        "wrong_entry_hash",
                        f"entry for {entry.snapshot_id} was altered after it was written",
                    )
                )
            if entry.snapshot_id in seen:
                problems.append(
                    LedgerProblem(
                        number,
                        "duplicate_snapshot",
                        f"{entry.snapshot_id} is already on line {seen[entry.snapshot_id]}",
                    )
                )
            seen.setdefault(entry.snapshot_id, number)
            prev, prev_ok = entry, True
        return problems

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        if not self.path.exists():
            return
        with open(self.path, "rb") as fh:
            yield from enumerate(fh, start=1)


def _parse(line: bytes) -> LedgerEntry | str:
    """The entry on a line, or a sentence saying why it is not one."""
    try:
        raw: Any = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return f"not JSON ({exc.msg if isinstance(exc, json.JSONDecodeError) else exc.reason})"
    if not isinstance(raw, dict) or set(raw) != set(_FIELDS):
        return f"not a ledger entry: expected exactly the fields {', '.join(_FIELDS)}"
    if not isinstance(raw["seq"], int) or isinstance(raw["seq"], bool):
        return "seq is not an integer"
    if not all(isinstance(raw[k], str) for k in _FIELDS if k != "seq"):
        return "a text field holds a non-string"
    return LedgerEntry(**raw)


def _last_entry(fh: BinaryIO, path: Path) -> LedgerEntry | None:
    """Read only the tail: appends must not cost a full scan of a long ledger."""
    fh.seek(0, os.SEEK_END)
    end = fh.tell()
    if end == 0:
        return None
    block = 4096
    start = end
    tail = b""
    while start > 0:
        start = max(0, start - block)
        fh.seek(start)
        tail = fh.read(end - start)
        if tail.count(b"\n") >= 2 or start == 0:
            break
    if not tail.endswith(b"\n"):
        raise LedgerError(
            f"{path} ends with a cut-short line; run `ipwatch evidence verify` and restore "
            "the ledger from a backup before sealing more evidence"
        )
    last_line = tail[:-1].rsplit(b"\n", 1)[-1]
    entry = _parse(last_line)
    if isinstance(entry, str) or entry.entry_hash != entry.expected_hash():
        reason = entry if isinstance(entry, str) else "its entry hash does not match"
        raise LedgerError(
            f"the last entry of {path} is damaged ({reason}); run `ipwatch evidence verify` "
            "and restore the ledger before sealing more evidence"
        )
    return entry
