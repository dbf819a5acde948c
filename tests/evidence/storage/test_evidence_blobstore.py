from __future__ import annotations

import hashlib
import stat

import pytest

from evidence.exceptions import BlobNotFoundError, InvalidDigestError
from evidence.storage.blobstore import BlobStore


def test_put_names_blob_by_sha256_under_two_char_dir(tmp_path):
    store = BlobStore(tmp_path / "blobs")
    data = b"listing page"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.path(sha) == tmp_path / "blobs" / sha[:2] / sha[2:]
    assert store.get(sha) == data
    assert store.exists(sha)
    assert store.size(sha) == len(data)


def test_blobs_are_read_only_and_put_is_idempotent(tmp_path):
    store = BlobStore(tmp_path)
    sha = store.put(b"x" * 1000)
    path = store.path(sha)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    inode = path.stat().st_ino
    assert store.put(b"x" * 1000) == sha
    assert path.stat().st_ino == inode  # not rewritten
    # no temp files left behind
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_put_file_streams_and_matches_put(tmp_path):
    source = tmp_path / "big.bin"
    source.write_bytes(bytes(range(256)) * 9000)  # > one 1 MiB chunk
    store = BlobStore(tmp_path / "blobs")
    sha = store.put_file(source)
    assert sha == hashlib.sha256(source.read_bytes()).hexdigest()
    assert store.get(sha) == source.read_bytes()
    assert store.verify(sha)


def test_verify_recomputes_and_detects_a_flipped_byte(tmp_path):
    store = BlobStore(tmp_path)
    sha = store.put(b"evidence bytes")
    assert store.verify(sha) is True
    path = store.path(sha)
    path.chmod(0o644)
    path.write_bytes(b"evidence bytez")
    assert store.verify(sha) is False


def test_missing_blob(tmp_path):
    store = BlobStore(tmp_path)
    sha = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(sha)
    assert store.verify(sha) is False
    with pytest.raises(BlobNotFoundError, match="restore it"):
        store.get(sha)


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "ab", "A" * 64, "g" * 64, "0" * 63 + "/", "", "0" * 65]
)
def test_malformed_digest_is_refused_before_touching_disk(tmp_path, bad):
    store = BlobStore(tmp_path)
    with pytest.raises(InvalidDigestError, match="64 lowercase hex"):
        store.path(bad)
    with pytest.raises(InvalidDigestError):
        store.get(bad)
