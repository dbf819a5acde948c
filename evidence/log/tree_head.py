"""Signed tree heads: the log's size and root at a moment, signed, and their consistency check."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from evidence.exceptions import EvidenceError, ManifestError
from evidence.log.merkle import consistency_failure
from evidence.seal.manifest import canonical_json, parse_utc
from evidence.seal.signing import SigningKeyError, key_id, verify

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_HEAD_BYTES = 4096
HEAD_CONTEXT = b"ipwatch tree head v1\n"  # signed prefix: a head signature means nothing else
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_HEAD_FIELDS = {"key_id", "root", "signature", "size", "timestamp"}


class TransparencyLogError(EvidenceError):
    """The log cannot be used safely as it is (torn tail, damaged record, bad request)."""


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
