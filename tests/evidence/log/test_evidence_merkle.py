"""Merkle hashing and proofs against a naive transcription of RFC 6962 §2.1 and CT's vectors."""

from __future__ import annotations

import hashlib

import pytest

from evidence.log.merkle import (
    EMPTY_ROOT,
    MerkleError,
    MerkleTree,
    consistency_failure,
    consistency_proof,
    inclusion_failure,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# --- The reference: RFC 6962 §2.1 written out literally, over the raw leaf data. ---------------


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return _sha(b"")
    if n == 1:
        return _sha(b"\x00" + d[0])
    k = _k(n)
    return _sha(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def ref_proof(m: int, d: list[bytes]) -> list[bytes]:
    return ref_subproof(m, d, True)


# --- Certificate Transparency's published test vectors (certificate-transparency-go). ----------

CT_DATA = [
    bytes.fromhex(h)
    for h in (
        *("", "00", "10", "2021", "3031", "40414243", "5051525354555657"),
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

DATA = [f"entry-{i}".encode() for i in range(64)]
LEAVES = [leaf_hash(d) for d in DATA]
REF_ROOTS = [ref_mth(DATA[:n]) for n in range(65)]


def _hexes(hashes: list[bytes]) -> list[str]:
    return [h.hex() for h in hashes]


def _flips(value: bytes) -> list[bytes]:
    """Every variant of ``value`` with exactly one bit flipped."""
    return [
        value[:i] + bytes([value[i] ^ (1 << bit)]) + value[i + 1 :]
        for i in range(len(value))
        for bit in range(8)
    ]


def test_hashing_primitives_follow_rfc_6962() -> None:
    assert hashlib.sha256(b"").digest() == EMPTY_ROOT
    assert root([]) == EMPTY_ROOT
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    # Domain separation: a leaf whose data is two hashes is not that interior node.
    assert leaf_hash(a + b) != node_hash(a, b)


def test_certificate_transparency_vectors() -> None:
    leaves = [leaf_hash(d) for d in CT_DATA]
    for n, expected in enumerate(CT_ROOTS):
        assert root(leaves[:n]).hex() == expected
    for index, size, proof in CT_INCLUSION:
        assert _hexes(inclusion_proof(leaves[:size], index)) == proof
        assert verify_inclusion(
            leaves[index], index, size, [bytes.fromhex(p) for p in proof], leaves_root(size)
        )
    for old, new, proof in CT_CONSISTENCY:
        assert _hexes(consistency_proof(leaves[:new], old)) == proof
        assert verify_consistency(
            old, new, leaves_root(old), leaves_root(new), [bytes.fromhex(p) for p in proof]
        )


def leaves_root(size: int) -> bytes:
    return bytes.fromhex(CT_ROOTS[size])


def test_roots_match_the_reference_for_every_size() -> None:
    tree = MerkleTree()
    assert tree.root() == REF_ROOTS[0]
    for n in range(1, 65):
        tree.append(LEAVES[n - 1])
        assert root(LEAVES[:n]) == REF_ROOTS[n], n
        assert tree.root() == REF_ROOTS[n], n
    # Earlier sizes come out of the grown tree too.
    assert [tree.root(n) for n in range(65)] == REF_ROOTS


def test_inclusion_proofs_match_the_reference_and_verify() -> None:
    tree = MerkleTree(LEAVES)
    for size in range(1, 65):
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert proof == ref_path(index, DATA[:size]), (index, size)
            assert proof == inclusion_proof(LEAVES[:size], index)
            assert verify_inclusion(LEAVES[index], index, size, proof, REF_ROOTS[size])
            # The same proof does not place the leaf anywhere else, nor a neighbour here.
            if size > 1:
                other = (index + 1) % size
                assert not verify_inclusion(LEAVES[index], other, size, proof, REF_ROOTS[size])
                assert not verify_inclusion(LEAVES[other], index, size, proof, REF_ROOTS[size])


def test_consistency_proofs_match_the_reference_and_verify() -> None:
    tree = MerkleTree(LEAVES)
    for new in range(1, 65):
        for old in range(1, new + 1):
            proof = tree.consistency_proof(old, new)
            assert proof == ref_proof(old, DATA[:new]), (old, new)
            assert proof == consistency_proof(LEAVES[:new], old)
            assert verify_consistency(old, new, REF_ROOTS[old], REF_ROOTS[new], proof)
            if old < new:
                # A different history of the same size is not consistent with the new tree.
                assert not verify_consistency(
                    old, new, REF_ROOTS[old - 1] if old > 1 else EMPTY_ROOT, REF_ROOTS[new], proof
                )


def test_every_single_bit_flip_breaks_an_inclusion_proof() -> None:
    for index, size in [(0, 1), (0, 2), (3, 7), (5, 8), (12, 13), (20, 37), (63, 64)]:
        proof = inclusion_proof(LEAVES[:size], index)
        good_root = REF_ROOTS[size]
        assert verify_inclusion(LEAVES[index], index, size, proof, good_root)
        for i, element in enumerate(proof):
            for bad in _flips(element):
                tampered = [*proof[:i], bad, *proof[i + 1 :]]
                assert not verify_inclusion(LEAVES[index], index, size, tampered, good_root)
        for bad_root in _flips(good_root):
            assert not verify_inclusion(LEAVES[index], index, size, proof, bad_root)
        for bad_leaf in _flips(LEAVES[index]):
            assert not verify_inclusion(bad_leaf, index, size, proof, good_root)


def test_every_single_bit_flip_breaks_a_consistency_proof() -> None:
    for old, new in [(1, 2), (1, 8), (2, 5), (3, 7), (4, 9), (6, 8), (13, 37), (32, 64)]:
        proof = consistency_proof(LEAVES[:new], old)
        old_root, new_root = REF_ROOTS[old], REF_ROOTS[new]
        assert verify_consistency(old, new, old_root, new_root, proof)
        for i, element in enumerate(proof):
            for bad in _flips(element):
                tampered = [*proof[:i], bad, *proof[i + 1 :]]
                assert not verify_consistency(old, new, old_root, new_root, tampered)
        for bad in _flips(old_root):
            assert not verify_consistency(old, new, bad, new_root, proof)
        for bad in _flips(new_root):
            assert not verify_consistency(old, new, old_root, bad, proof)


def test_inclusion_rejects_wrong_sizes_indices_and_proof_lengths() -> None:
    proof = inclusion_proof(LEAVES[:13], 6)
    good = (LEAVES[6], 6, 13, proof, REF_ROOTS[13])
    assert inclusion_failure(*good) is None
    leaf, index, size, _, root_hash = good
    assert "not below" in (inclusion_failure(leaf, 13, 13, proof, root_hash) or "")
    assert "not below" in (inclusion_failure(leaf, 0, 0, [], EMPTY_ROOT) or "")
    assert not verify_inclusion(leaf, -1, size, proof, root_hash)
    assert not verify_inclusion(leaf, index, 12, proof, REF_ROOTS[12])
    assert not verify_inclusion(leaf, index, 14, proof, REF_ROOTS[14])
    assert "longer" in (inclusion_failure(leaf, index, size, [*proof, proof[0]], root_hash) or "")
    assert "shorter" in (inclusion_failure(leaf, index, size, proof[:-1], root_hash) or "")
    assert "32-byte" in (inclusion_failure(leaf, index, size, [*proof[:-1], b"x"], root_hash) or "")
    assert "32-byte" in (inclusion_failure(leaf[:31], index, size, proof, root_hash) or "")
    assert "32-byte" in (inclusion_failure(leaf, index, size, proof, root_hash.hex()) or "")  # type: ignore[arg-type]
    assert not verify_inclusion(leaf, True, size, proof, root_hash)
    # A single leaf is its own root with an empty path; any path element is one too many.
    assert verify_inclusion(LEAVES[0], 0, 1, [], REF_ROOTS[1])
    assert not verify_inclusion(LEAVES[0], 0, 1, [LEAVES[1]], REF_ROOTS[1])


def test_consistency_rejects_wrong_sizes_and_proof_lengths() -> None:
    proof = consistency_proof(LEAVES[:13], 5)
    old_root, new_root = REF_ROOTS[5], REF_ROOTS[13]
    assert consistency_failure(5, 13, old_root, new_root, proof) is None
    assert "larger" in (consistency_failure(13, 5, new_root, old_root, proof) or "")
    assert not verify_consistency(5, 12, old_root, REF_ROOTS[12], proof)
    assert not verify_consistency(5, 14, old_root, REF_ROOTS[14], proof)
    assert not verify_consistency(4, 13, REF_ROOTS[4], new_root, proof)
    assert not verify_consistency(6, 13, REF_ROOTS[6], new_root, proof)
    assert "empty" in (consistency_failure(5, 13, old_root, new_root, []) or "")
    assert not verify_consistency(5, 13, old_root, new_root, [*proof, proof[0]])
    assert not verify_consistency(5, 13, old_root, new_root, proof[:-1])
    assert not verify_consistency(-1, 13, old_root, new_root, proof)
    # Equal sizes: empty proof and identical roots; anything else fails.
    assert verify_consistency(13, 13, new_root, new_root, [])
    assert not verify_consistency(13, 13, new_root, REF_ROOTS[12], [])
    assert not verify_consistency(13, 13, new_root, new_root, [new_root])
    # The empty tree is a prefix of every tree, but only with its own root and no proof.
    assert verify_consistency(0, 13, EMPTY_ROOT, new_root, [])
    assert not verify_consistency(0, 13, old_root, new_root, [])
    assert not verify_consistency(0, 13, EMPTY_ROOT, new_root, [old_root])
    assert not verify_consistency(5, 13, old_root, new_root, b"".join(proof))  # type: ignore[arg-type]


def test_tree_refuses_out_of_range_requests() -> None:
    tree = MerkleTree(LEAVES[:10])
    with pytest.raises(MerkleError, match="out of range"):
        tree.inclusion_proof(10)
    with pytest.raises(MerkleError, match="out of range"):
        tree.inclusion_proof(0, 11)
    with pytest.raises(MerkleError, match="out of range"):
        tree.root(11)
    with pytest.raises(MerkleError, match="between 0 and"):
        tree.consistency_proof(8, 5)
    with pytest.raises(MerkleError, match="32 bytes"):
        tree.append(b"short")
    with pytest.raises(MerkleError, match="out of range"):
        inclusion_proof([], 0)
    assert tree.consistency_proof(0) == [] and tree.consistency_proof(10) == []
    assert tree.leaf(3) == LEAVES[3] and tree.size == 10
