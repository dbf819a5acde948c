"""RFC 6962 / RFC 9162 Merkle tree hashing, inclusion and consistency proofs, and their verifiers.

Pure functions over lists of 32-byte leaf hashes; ``MerkleTree`` keeps every complete subtree
hash so a root or proof over a large log costs O(log n) hashes instead of O(n).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from evidence.exceptions import EvidenceError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


class MerkleError(EvidenceError, ValueError):
    """A tree cannot answer the request: wrong hash length, index or size out of range."""


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the prefix keeps a leaf from posing as an interior node."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2): RFC 6962's k."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """Leaf hashes plus all complete, aligned subtree hashes (level k holds 2**k-leaf subtrees).

    Appends cost O(1) amortised; ``root``, ``inclusion_proof`` and ``consistency_proof`` for any
    earlier size cost O(log n) hashes, because every left-hand subtree in RFC 6962's recursion
    is a complete aligned subtree already on some level.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        for leaf in leaf_hashes:
            self.append(leaf)

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def leaf(self, index: int) -> bytes:
        self._check_index(index, self.size)
        return self._levels[0][index]

    def append(self, leaf: bytes) -> int:
        """Add a leaf hash; returns its index."""
        _check_hash(leaf, "leaf hash")
        levels = self._levels
        levels[0].append(bytes(leaf))
        level = 0
        # A level that just reached an even length completes one subtree on the level above.
        while len(levels[level]) % 2 == 0:
            if len(levels) == level + 1:
                levels.append([])
            below = levels[level]
            levels[level + 1].append(node_hash(below[-2], below[-1]))
            level += 1
        return len(levels[0]) - 1

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (default: all of them)."""
        size = self._check_size(size)
        return self._range_hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) from RFC 6962 §2.1.1, nearest sibling first."""
        size = self._check_size(size)
        self._check_index(index, size)
        proof: list[bytes] = []
        lo, hi = 0, size
        # Walk down from the root, collecting the sibling of each subtree holding ``index``.
        while hi - lo > 1:
            k = _split(hi - lo)
            if index < lo + k:
                proof.append(self._range_hash(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self._range_hash(lo, lo + k))
                lo = lo + k
        proof.reverse()
        return proof

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) from RFC 6962 §2.1.2; empty when the sizes are equal
        or the old tree is empty."""
        new_size = self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise MerkleError(f"old size {old_size} must be between 0 and the new size {new_size}")
        if old_size in (0, new_size):
            return []
        proof: list[bytes] = []
        lo, hi, m, whole = 0, new_size, old_size, True
        while m != hi - lo:
            k = _split(hi - lo)
            if m <= k:
                proof.append(self._range_hash(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self._range_hash(lo, lo + k))
                lo, m, whole = lo + k, m - k, False
        if not whole:
            proof.append(self._range_hash(lo, hi))
        proof.reverse()
        return proof

    def _range_hash(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi]) for ranges RFC 6962's recursion produces (``lo`` aligned to the split)."""
        n = hi - lo
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and lo % n == 0:
            return self._levels[n.bit_length() - 1][lo // n]
        k = _split(n)
        return node_hash(self._range_hash(lo, lo + k), self._range_hash(lo + k, hi))

    def _check_size(self, size: int | None) -> int:
        if size is None:
            return self.size
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= self.size:
            raise MerkleError(
                f"tree size {size!r} is out of range: the tree has {self.size} leaves"
            )
        return size

    @staticmethod
    def _check_index(index: int, size: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
            raise MerkleError(f"leaf index {index!r} is out of range for a tree of {size} leaves")


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes; the empty tree's root is SHA-256 of the empty string."""
    return MerkleTree(leaf_hashes).root()


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path for the leaf at ``index`` in the tree of all ``leaf_hashes``."""
    return MerkleTree(leaf_hashes).inclusion_proof(index)


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """Proof that the tree of the first ``old_size`` leaves is a prefix of the whole tree."""
    return MerkleTree(leaf_hashes).consistency_proof(old_size)


def inclusion_failure(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> str | None:
    """Why the inclusion proof fails (RFC 9162 §2.1.3.2), or None when it holds."""
    problem = _check_hashes(leaf=leaf, root=root_hash, proof=proof)
    if problem:
        return problem
    if not _is_count(index) or not _is_count(size):
        return f"index {index!r} and size {size!r} must be non-negative integers"
    if index >= size:
        return f"leaf index {index} is not below the tree size {size}"
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return "the proof is longer than the tree is deep"
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        return "the proof is shorter than the tree is deep"
    if r != root_hash:
        return "the proof leads to a different root"
    return None


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """True only if ``leaf`` is at ``index`` in the tree of ``size`` leaves with ``root_hash``."""
    return inclusion_failure(leaf, index, size, proof, root_hash) is None


def consistency_failure(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> str | None:
    """Why the consistency proof fails (RFC 9162 §2.1.4.2), or None when it holds.

    Outside the RFC's 0 < old < new: equal sizes need an empty proof and equal roots; an empty
    old tree needs an empty proof and the empty-tree root.
    """
    problem = _check_hashes(old_root=old_root, new_root=new_root, proof=proof)
    if problem:
        return problem
    if not _is_count(old_size) or not _is_count(new_size):
        return f"sizes {old_size!r} and {new_size!r} must be non-negative integers"
    if old_size > new_size:
        return f"old size {old_size} is larger than new size {new_size}"
    if old_size == 0 or old_size == new_size:
        if proof:
            return f"a proof between sizes {old_size} and {new_size} must be empty"
        if old_size == 0 and old_root != EMPTY_ROOT:
            return "the old root is not the root of an empty tree"
        if old_size == new_size and old_root != new_root:
            return "the roots differ for the same tree size"
        return None
    if not proof:
        return "the proof is empty"
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return "the proof is longer than the trees are deep"
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        return "the proof is shorter than the trees are deep"
    if fr != old_root:
        return "the proof does not lead to the old root"
    if sr != new_root:
        return "the proof does not lead to the new root"
    return None


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True only if the tree (old_size, old_root) is a prefix of (new_size, new_root)."""
    return consistency_failure(old_size, new_size, old_root, new_root, proof) is None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_hash(value: object, what: str) -> None:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        raise MerkleError(f"{what} must be {HASH_SIZE} bytes, got {_describe(value)}")


def _check_hashes(*, proof: Sequence[bytes], **named: bytes) -> str | None:
    """A sentence for the first value that is not a 32-byte hash; verifiers never raise on it."""
    for name, value in named.items():
        if not isinstance(value, bytes) or len(value) != HASH_SIZE:
            return f"{name.replace('_', ' ')} is not a {HASH_SIZE}-byte hash ({_describe(value)})"
    if isinstance(proof, str | bytes):
        return "the proof must be a list of hashes"
    for i, item in enumerate(proof):
        if not isinstance(item, bytes) or len(item) != HASH_SIZE:
            return f"proof element {i} is not a {HASH_SIZE}-byte hash ({_describe(item)})"
    return None


def _describe(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return f"{len(value)} bytes"
    return type(value).__name__
