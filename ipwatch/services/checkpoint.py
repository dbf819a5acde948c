"""Checkpoint use-cases: publish the log's signed head as a C2SP checkpoint, carry one in a bundle.

A checkpoint kept outside the workspace is the outside witness that makes removing the newest
evidence visible: `evidence verify --checkpoint FILE` proves the log still extends it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence.exceptions import EvidenceError
from evidence.log.checkpoint import (
    CheckpointError,
    log_extension_failure,
    log_origin,
    open_checkpoint,
)
from evidence.log.checkpoint import sign_checkpoint as sign_head_checkpoint
from evidence.log.note import verifier_key
from evidence.timestamp import TimestampError
from evidence.verify.checkpoint import CHECKPOINT, CHECKPOINT_PROOF, TOKEN_SUFFIX, proof_json
from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    from pathlib import Path

    from evidence.log.tree_head import SignedTreeHead
    from ipwatch.services.workspace import Workspace


@dataclass(frozen=True)
class CheckpointResult:
    """The signed checkpoint note, its tree size, and the RFC 3161 token when one was asked."""

    note: bytes
    size: int
    verifier_key: str  # name+id+key, the form Go's note.NewVerifier and witnesses are given
    token: bytes | None = None


def current_checkpoint(workspace: Workspace) -> CheckpointResult:
    """A checkpoint of the log as it is now; signs a new tree head if the last one is behind."""
    if not workspace.signing_key_path.exists():
        raise InvalidRequestError(
            "nothing has been sealed yet (no signing key), so there is no log to checkpoint"
        )
    log, signer = workspace.translog, workspace.signer
    head: SignedTreeHead | None = log.latest_head()
    if head is None or head.size != log.size or head.key_id != signer.key_id:
        head = log.sign_head(signer)
    origin = log_origin(signer.public_key_raw)
    return CheckpointResult(
        sign_head_checkpoint(head, signer), head.size, verifier_key(origin, signer.public_key_raw)
    )


def write_checkpoint(
    workspace: Workspace, out: Path | None, *, timestamp: bool
) -> CheckpointResult:
    """The current checkpoint, written to ``out`` (and its token to ``out.tsr``) when given."""
    settings = workspace.config.timestamp
    if timestamp and settings is None:
        raise InvalidRequestError(
            "--timestamp needs a TSA: add `timestamp: {url: ..., ca_files: [...]}` to ipwatch.yaml"
        )
    if timestamp and out is None:
        raise InvalidRequestError("--timestamp needs --out FILE (the token is kept beside it)")
    if out is not None and out.exists():
        raise InvalidRequestError(f"{out} already exists; checkpoints are never overwritten")
    result = current_checkpoint(workspace)
    token = None
    if timestamp and settings is not None:
        from evidence.seal.sealing import Timestamper

        try:
            token = Timestamper(settings).stamp(hashlib.sha256(result.note).digest())
        except TimestampError as exc:
            raise InvalidRequestError(f"the TSA did not timestamp the checkpoint: {exc}") from None
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(result.note)
        if token is not None:
            out.with_name(out.name + TOKEN_SUFFIX).write_bytes(token)
    return CheckpointResult(result.note, result.size, result.verifier_key, token)


def checkpoint_parts(
    workspace: Workspace, head_size: int, published: bytes | None = None
) -> dict[str, bytes]:
    """The checkpoint a package carries and the proof that the sealed head is its prefix.

    With ``published`` that checkpoint is carried (the log must extend it and the snapshot must
    be in it); without, a checkpoint of the log as it is now.
    """
    key = workspace.public_key_pem()
    if published is None:
        note, size = (current := current_checkpoint(workspace)).note, current.size
    else:
        if key is None:
            raise InvalidRequestError("no signing key in this workspace to check --checkpoint")
        try:
            checkpoint = open_checkpoint(published, key)
            problem = log_extension_failure(checkpoint, workspace.translog)
        except (CheckpointError, EvidenceError) as exc:
            raise InvalidRequestError(f"--checkpoint: {exc}") from None
        if problem:
            raise InvalidRequestError(f"--checkpoint: the log does not extend it: {problem}")
        if checkpoint.size < head_size:
            raise InvalidRequestError(
                f"--checkpoint has size {checkpoint.size}, but the snapshot was sealed at size "
                f"{head_size}: publish a later checkpoint (`ipwatch evidence checkpoint`)"
            )
        note, size = published, checkpoint.size
    proof = workspace.translog.consistency_proof(head_size, size)
    return {CHECKPOINT: note, CHECKPOINT_PROOF: proof_json(head_size, size, proof)}
