"""Verification: recompute what a snapshot, a workspace, a bundle or a WACZ claims."""
