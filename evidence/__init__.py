"""Evidence: capture, seal, log, timestamp, verify and export snapshots of listings.

Subpackages, one concern each: ``capture`` (browser, WARC, TLS), ``seal`` (manifest, signing,
sealing, custody, the v1 ledger), ``storage`` (blob store, durable writes), ``log`` (Merkle tree,
transparency log), ``timestamp`` (RFC 3161), ``verify``, ``export`` (bundles, WACZ, reports) and
``index``. ``exceptions`` holds the errors they share.
"""
