"""The transparency log: RFC 6962 Merkle hashing and proofs, the append-only log, tree heads."""
