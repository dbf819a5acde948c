"""What proves a version-2 snapshot beside its manifest: signature, log position, proof, head.

A ``SealRecord`` is written once, right after the manifest digest entered the transparency log;
the optional RFC 3161 token (or the reason it could not be had) lives beside it, because a TSA
may be retried later without touching the record. ``SealStore`` keeps them per snapshot:

    <home>/seals/<snapshot id>/seal.json          the SealRecord, canonical JSON
    <home>/seals/<snapshot id>/timestamp.tsr      RFC 3161 TimeStampToken (DER), when obtained
    <home>/seals/<snapshot id>/timestamp-error.json   the last failure, while there is no token
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence.exceptions import EvidenceError
from evidence.log.merkle import leaf_hash
from evidence.log.tree_head import SignedTreeHead, TransparencyLogError
from evidence.seal.manifest import SIGNATURE_ALGORITHM, canonical_json
from evidence.storage.durable import fsync_dir

SEAL_RECORD_VERSION = 1
MANIFEST_CONTEXT = b"ipwatch manifest v2\n"  # signed prefix: a manifest signature means no more
MAX_RECORD_BYTES = 64 * 1024
MAX_TOKEN_BYTES = 256 * 1024
SNAPSHOT_ID_RE = re.compile(r"S-[0-9a-f]{20}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
SEAL_FILE, TOKEN_FILE, TOKEN_ERROR_FILE = "seal.json", "timestamp.tsr", "timestamp-error.json"


class SealRecordError(EvidenceError, ValueError):
    """A seal record is malformed; the message names the field."""


def log_entry(snapshot_id: str, manifest_sha256: str) -> bytes:
    """The bytes appended to the transparency log for a snapshot (what its leaf hashes)."""
    return canonical_json(
        {"manifest_sha256": manifest_sha256, "snapshot_id": snapshot_id, "type": "snapshot"}
    )


def parse_log_entry(data: bytes) -> tuple[str, str] | None:
    """(snapshot id, manifest digest) when ``data`` is a snapshot entry, else None."""
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(value, dict) or value.get("type") != "snapshot":
        return None
    snapshot_id, sha = value.get("snapshot_id"), value.get("manifest_sha256")
    if not isinstance(snapshot_id, str) or not isinstance(sha, str):
        return None
    if log_entry(snapshot_id, sha) != data:
        return None
    return snapshot_id, sha


def manifest_message(manifest_bytes: bytes) -> bytes:
    """What the manifest signature covers: a fixed context, then the exact manifest bytes."""
    return MANIFEST_CONTEXT + manifest_bytes


@dataclass(frozen=True)
class SealRecord:
    snapshot_id: str
    manifest_sha256: str
    key_id: str
    signature: str  # hex Ed25519 over manifest_message(manifest bytes)
    log_index: int
    inclusion_proof: tuple[str, ...]  # hex hashes, leaf to root
    tree_head: SignedTreeHead

    @property
    def leaf_hash(self) -> bytes:
        return leaf_hash(log_entry(self.snapshot_id, self.manifest_sha256))

    def to_json(self) -> bytes:
        return canonical_json(
            {
                "version": SEAL_RECORD_VERSION,
                "snapshot_id": self.snapshot_id,
                "manifest_sha256": self.manifest_sha256,
                "signature": {
                    "algorithm": SIGNATURE_ALGORITHM,
                    "key_id": self.key_id,
                    "value": self.signature,
                },
                "log": {
                    "index": self.log_index,
                    "leaf_hash": self.leaf_hash.hex(),
                    "inclusion_proof": list(self.inclusion_proof),
                    "tree_head": json.loads(self.tree_head.to_json()),
                },
            }
        )

    @classmethod
    def from_json(cls, data: bytes) -> SealRecord:
        """Parse and check the shape; whether it proves anything is for the verifier."""
        if len(data) > MAX_RECORD_BYTES:
            raise SealRecordError(f"seal record is over {MAX_RECORD_BYTES} bytes")
        try:
            raw: Any = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SealRecordError(f"seal record is not JSON ({exc})") from None
        try:
            if raw["version"] != SEAL_RECORD_VERSION:
                raise SealRecordError(f"seal record version {raw['version']!r} is not supported")
            signature, log = raw["signature"], raw["log"]
            proof = log["inclusion_proof"]
            record = cls(
                snapshot_id=_text(raw["snapshot_id"], SNAPSHOT_ID_RE, "snapshot_id"),
                manifest_sha256=_text(raw["manifest_sha256"], _HEX64, "manifest_sha256"),
                key_id=_text(signature["key_id"], _HEX64, "signature.key_id"),
                signature=_text(signature["value"], _HEX128, "signature.value"),
                log_index=_count(log["index"], "log.index"),
                inclusion_proof=tuple(_text(h, _HEX64, "log.inclusion_proof") for h in proof),
                tree_head=SignedTreeHead.from_json(canonical_json(log["tree_head"])),
            )
        except (KeyError, TypeError) as exc:
            raise SealRecordError(f"seal record lacks or mistypes {exc}") from None
        except TransparencyLogError as exc:
            raise SealRecordError(f"seal record log.tree_head: {exc}") from None
        if signature.get("algorithm") != SIGNATURE_ALGORITHM:
            raise SealRecordError(f"signature algorithm is not {SIGNATURE_ALGORITHM}")
        if log.get("leaf_hash") != record.leaf_hash.hex():
            raise SealRecordError("log.leaf_hash is not the hash of the snapshot's log entry")
        return record


def _text(value: object, pattern: re.Pattern[str], name: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise SealRecordError(f"seal record {name} is malformed")
    return value


def _count(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SealRecordError(f"seal record {name} is not a non-negative integer")
    return value


class SealStore:
    """Per-snapshot seal folders under ``root``; the record is written once, atomically."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def folder(self, snapshot_id: str) -> Path:
        if not SNAPSHOT_ID_RE.fullmatch(snapshot_id):
            raise SealRecordError(f"{snapshot_id!r} is not a snapshot id (S- and 20 hex digits)")
        return self.root / snapshot_id

    def put(self, record: SealRecord) -> None:
        _write_atomic(self.folder(record.snapshot_id) / SEAL_FILE, record.to_json())

    def raw(self, snapshot_id: str) -> bytes | None:
        return _read(self.folder(snapshot_id) / SEAL_FILE, MAX_RECORD_BYTES)

    def get(self, snapshot_id: str) -> SealRecord | None:
        data = self.raw(snapshot_id)
        return None if data is None else SealRecord.from_json(data)

    def token(self, snapshot_id: str) -> bytes | None:
        return _read(self.folder(snapshot_id) / TOKEN_FILE, MAX_TOKEN_BYTES)

    def put_token(self, snapshot_id: str, token_der: bytes) -> None:
        folder = self.folder(snapshot_id)
        _write_atomic(folder / TOKEN_FILE, token_der)
        (folder / TOKEN_ERROR_FILE).unlink(missing_ok=True)

    def token_error(self, snapshot_id: str) -> dict[str, str] | None:
        data = _read(self.folder(snapshot_id) / TOKEN_ERROR_FILE, MAX_RECORD_BYTES)
        if data is None:
            return None
        try:
            value = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return {"error": "the recorded timestamp failure is unreadable"}
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else None

    def put_token_error(self, snapshot_id: str, *, at: str, tsa: str, error: str) -> None:
        body = canonical_json({"at": at, "error": error[:2000], "tsa": tsa})
        _write_atomic(self.folder(snapshot_id) / TOKEN_ERROR_FILE, body)

    def snapshot_ids(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if SNAPSHOT_ID_RE.fullmatch(p.name))


def _read(path: Path, limit: int) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        return None
    if len(data) > limit:
        raise SealRecordError(f"{path} is over {limit} bytes; it is not a seal file")
    return data


def _write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target, fsync, rename: a crash leaves the old file or the new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    fsync_dir(target.parent)
