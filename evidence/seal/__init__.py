"""Sealing: canonical manifests, signing keys, the seal of each snapshot, custody, the v1 ledger."""
