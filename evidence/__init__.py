"""Evidence: content-addressed blobs, sealed snapshots, the hash-chained ledger, the index."""
