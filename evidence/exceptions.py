"""Exceptions raised by the evidence package; each message says what to do next."""

from __future__ import annotations


class EvidenceError(Exception):
    """Base class: catch this to handle any evidence failure."""


class InvalidDigestError(EvidenceError, ValueError):
    """A string that should be a SHA-256 hex digest is not one (also stops path traversal)."""


class BlobNotFoundError(EvidenceError, FileNotFoundError):
    """The blob store holds no blob with the requested digest."""


class ManifestError(EvidenceError, ValueError):
    """A manifest cannot be canonicalised or parsed (floats, non-string keys, wrong version)."""


class WarcError(EvidenceError):
    """A WARC could not be built or parsed."""


class LedgerError(EvidenceError):
    """The ledger cannot be appended to safely (for example its last line is damaged)."""


class SnapshotError(EvidenceError, ValueError):
    """Inputs to ``seal`` are unusable (naive datetime, bad id source, bad header)."""
