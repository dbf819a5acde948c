"""Checkpoints (c2sp.org/tlog-checkpoint): the log's size and root as a signed note.

A checkpoint published outside the evidence folder (sent to the client, a witness, a court,
an RFC 3161 TSA) is what makes a rollback visible: a log that no longer extends it, because
entries were removed or rewritten, fails the Merkle consistency proof against it.

The body is three lines: the origin (the log's name, also the signing key's name), the tree
size in decimal, and the base64 root hash; the signature is a C2SP signed-note line.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence.exceptions import EvidenceError
from evidence.log.merkle import HASH_SIZE, consistency_failure
from evidence.log.note import NoteError, check_key_name, open_note, sign_note
from evidence.seal.signing import SigningKeyError, key_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from evidence.log.translog import TransparencyLog
    from evidence.log.tree_head import SignedTreeHead
    from evidence.seal.signing import Signer

ORIGIN_PREFIX = "ipwatch.evidence/log/"
_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")


class CheckpointError(EvidenceError, ValueError):
    """A checkpoint is malformed, signed by another key, or for another log."""


@dataclass(frozen=True)
class Checkpoint:
    """A log's origin, size and root hash, as a checkpoint note's body says them."""

    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode('ascii')}\n"

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body; extension lines after the root are allowed and ignored."""
        lines = text.removesuffix("\n").split("\n")
        if len(lines) < 3:
            raise CheckpointError("a checkpoint has an origin, a size and a root hash line")
        origin, size, root = lines[:3]
        try:
            check_key_name(origin)
        except NoteError:
            raise CheckpointError(f"checkpoint origin {origin[:80]!r} is not a log name") from None
        if not _SIZE.fullmatch(size):
            raise CheckpointError(f"checkpoint size {size[:40]!r} is not a decimal number")
        try:
            root_hash = base64.b64decode(root, validate=True)
        except (binascii.Error, ValueError):
            raise CheckpointError("checkpoint root hash is not base64") from None
        if len(root_hash) != HASH_SIZE:
            raise CheckpointError(f"checkpoint root hash is {len(root_hash)} bytes, not 32")
        return cls(origin, int(size), root_hash)


def log_origin(public_key: bytes | str) -> str:
    """The log's name, derived from its signing key so a verifier needs nothing else."""
    return ORIGIN_PREFIX + key_id(public_key)[:16]


def sign_checkpoint(head: SignedTreeHead, signer: Signer) -> bytes:
    """The checkpoint note for a signed tree head, signed by the key that signed the head."""
    if head.key_id != signer.key_id:
        raise CheckpointError("the tree head was signed by another key than the one given")
    origin = log_origin(signer.public_key_raw)
    return sign_note(Checkpoint(origin, head.size, head.root_hash).text(), origin, signer)


def open_checkpoint(data: bytes, public_key: bytes | str) -> Checkpoint:
    """Check the checkpoint's signature by ``public_key`` and that it names that key's log."""
    try:
        origin = log_origin(public_key)
        note = open_note(data, origin, public_key)
    except (NoteError, SigningKeyError) as exc:
        raise CheckpointError(f"checkpoint: {exc}") from None
    checkpoint = Checkpoint.from_text(note.text)
    if checkpoint.origin != origin:
        raise CheckpointError(
            f"the checkpoint is for log {checkpoint.origin!r}, not {origin!r} of the given key"
        )
    return checkpoint


def extension_failure(
    checkpoint: Checkpoint, size: int, root: bytes, proof: Sequence[bytes]
) -> str | None:
    """Why the tree (``size``, ``root``) does not extend the checkpoint, or None when it does.

    A smaller tree is a rollback; a tree whose prefix has another root is a fork. Otherwise the
    RFC 9162 consistency proof from the checkpoint's size to ``size`` must hold.
    """
    if size < checkpoint.size:
        return (
            f"rollback: the log holds {size} entries, fewer than the {checkpoint.size} the "
            "checkpoint commits to; entries were removed after it was published"
        )
    problem = consistency_failure(checkpoint.size, size, checkpoint.root, root, proof)
    if problem:
        return (
            f"fork: the log's first {checkpoint.size} entries are not the ones the checkpoint "
            f"commits to ({problem}); entries were rewritten after it was published"
        )
    return None


def log_extension_failure(checkpoint: Checkpoint, log: TransparencyLog) -> str | None:
    """``extension_failure`` against the log on disk, with a consistency proof it produces."""
    size = log.size
    proof = log.consistency_proof(checkpoint.size, size) if size >= checkpoint.size else []
    return extension_failure(checkpoint, size, log.root(size), proof)
