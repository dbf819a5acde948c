"""Photo hashes for linking: computed from the blob store, cached, and never trusted blindly."""

from __future__ import annotations

import json

from ipwatch.services.seller_photos import CACHE, PhotoHashes
from ipwatch.services.workspace import Workspace
from tests.ipwatch.services.network_data import photo


def test_hashes_are_cached_and_a_damaged_cache_is_recomputed(workspace: Workspace) -> None:
    sha = workspace.blobs.put(photo(5))
    first = PhotoHashes(workspace)
    value = first.phash(sha)
    assert isinstance(value, int)
    first.save()
    cached = json.loads((workspace.home / CACHE).read_text())
    assert cached == {sha: f"{value:016x}"}
    (workspace.home / CACHE).write_text(json.dumps({sha: "not hex; rm -rf /"}))
    assert PhotoHashes(workspace).phash(sha) == value  # the bad entry was dropped, recomputed
    (workspace.home / CACHE).write_text("[truncated")
    assert PhotoHashes(workspace).phash(sha) == value


def test_a_missing_or_hostile_blob_has_no_hash(workspace: Workspace) -> None:
    hashes = PhotoHashes(workspace)
    assert hashes.phash("ab" * 32) is None  # not in the blob store
    assert hashes.phash(workspace.blobs.put(b"<svg onload=alert(1)>")) is None  # not an image
    assert hashes.phash("../../etc/passwd") is None  # not a digest: refused, nothing read
