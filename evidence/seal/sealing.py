"""Commit a stored manifest: sign it, log it, sign the new tree head, keep the proof, stamp it.

The log append is the commit point. Everything after it can be redone from the log and the
manifest (Ed25519 signatures are deterministic), so ``rebuild_record`` repairs a snapshot whose
process died between the append and writing its seal record.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from config.timestamp import TimestampSettingsError
from evidence.seal.manifest import format_utc
from evidence.seal.seals import SealRecord, log_entry, manifest_message
from evidence.timestamp import TimestampConfigError, TimestampError, request_timestamp

if TYPE_CHECKING:
    from collections.abc import Callable

    from cryptography import x509

    from config.timestamp import TimestampSettings
    from evidence.log.translog import TransparencyLog
    from evidence.seal.seals import SealStore
    from evidence.seal.signing import Signer

logger = logging.getLogger(__name__)

TSA_BACKOFF_SECONDS = 60.0  # after a failure, later seals skip the TSA this long (no stalls)


@dataclass
class Timestamper:
    """Asks the configured TSA for a token; after a failure it rests instead of stalling seals."""

    settings: TimestampSettings
    monotonic: Callable[[], float] = time.monotonic
    _down: tuple[float, str] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return self.settings.url

    def stamp(self, digest: bytes) -> bytes:
        """The DER token for ``digest``; raises TimestampError (also while resting)."""
        if self._down is not None:
            since, reason = self._down
            waited = self.monotonic() - since
            if waited < TSA_BACKOFF_SECONDS:
                raise TimestampError(
                    f"not requested: {self.url} failed {waited:.0f} s ago ({reason}); "
                    "retry with `ipwatch evidence timestamp`"
                )
        try:
            token = request_timestamp(
                digest,
                self.url,
                timeout=self.settings.timeout,
                roots=_roots(self.settings),
                tls_ca_file=self.settings.tls_ca_file,
            )
        except TimestampError as exc:
            self._down = (self.monotonic(), str(exc)[:300])
            raise
        self._down = None
        return token.der


def _roots(settings: TimestampSettings) -> list[x509.Certificate]:
    """The configured TSA roots, read now; an unreadable file is a TimestampConfigError."""
    try:
        return settings.roots()
    except TimestampSettingsError as exc:
        raise TimestampConfigError(str(exc)) from exc.__cause__


@dataclass
class Sealer:
    """The workspace's log, key and seal folders; ``commit`` seals one stored manifest."""

    log: TransparencyLog
    signer: Signer
    seals: SealStore
    timestamper: Timestamper | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def commit(self, snapshot_id: str, manifest_bytes: bytes, manifest_sha256: str) -> SealRecord:
        """Sign, append (the commit point), sign the head, store the proof, then timestamp."""
        signature = self.signer.sign(manifest_message(manifest_bytes)).hex()
        index, _ = self.log.append(log_entry(snapshot_id, manifest_sha256))
        record = self._record(snapshot_id, manifest_sha256, signature, index)
        self.timestamp(snapshot_id, manifest_sha256)
        return record

    def rebuild_record(
        self, snapshot_id: str, manifest_bytes: bytes, manifest_sha256: str, index: int
    ) -> SealRecord:
        """Redo what follows the append for a logged snapshot that has no seal record."""
        signature = self.signer.sign(manifest_message(manifest_bytes)).hex()
        return self._record(snapshot_id, manifest_sha256, signature, index)

    def timestamp(self, snapshot_id: str, manifest_sha256: str) -> bool:
        """Get and keep a token; on failure record why and return False (the seal stands)."""
        if self.timestamper is None:
            return False
        try:
            token = self.timestamper.stamp(bytes.fromhex(manifest_sha256))
        except TimestampError as exc:
            logger.warning(
                "timestamp for %s not obtained (%s); the snapshot is sealed without it: "
                "`ipwatch evidence timestamp %s` retries",
                snapshot_id,
                exc,
                snapshot_id,
            )
            self.seals.put_token_error(
                snapshot_id, at=format_utc(self.clock()), tsa=self.timestamper.url, error=str(exc)
            )
            return False
        self.seals.put_token(snapshot_id, token)
        return True

    def _record(
        self, snapshot_id: str, manifest_sha256: str, signature: str, index: int
    ) -> SealRecord:
        head = self.log.sign_head(self.signer)
        # Another process may have appended in between: prove inclusion in whatever was signed.
        proof = self.log.inclusion_proof(index, head.size)
        record = SealRecord(
            snapshot_id=snapshot_id,
            manifest_sha256=manifest_sha256,
            key_id=self.signer.key_id,
            signature=signature,
            log_index=index,
            inclusion_proof=tuple(p.hex() for p in proof),
            tree_head=head,
        )
        self.seals.put(record)
        return record
