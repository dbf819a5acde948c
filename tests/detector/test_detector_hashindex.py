"""Multi-index hashing answers exactly what a linear scan answers, for every radius."""

from __future__ import annotations

import numpy as np
import pytest

from detector.hashindex import HammingIndex, linear_scan, to_uint64

RNG_SEED = 20251125


def flip_bits(codes: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Each code with ``count`` distinct random bits flipped."""
    out = codes.copy()
    for i in range(len(out)):
        for bit in rng.choice(64, size=count, replace=False):
            out[i] ^= np.uint64(1) << np.uint64(bit)
    return out


def dataset(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "uniform":
        return rng.integers(0, 2**64, n, dtype=np.uint64)
    # clustered like real perceptual hashes: near-duplicates of a few hundred pictures
    centres = rng.integers(0, 2**64, 300, dtype=np.uint64)
    base = centres[rng.integers(0, len(centres), n)]
    a, b, c = (rng.integers(0, 2**64, n, dtype=np.uint64) for _ in range(3))
    return base ^ (a & b & c)  # each bit flipped with probability 1/8


def expected(codes: np.ndarray, ids: np.ndarray, query: int, radius: int) -> list[tuple[int, int]]:
    hits, dist = linear_scan(codes, query, radius)
    return sorted((int(ids[h]), int(d)) for h, d in zip(hits, dist, strict=True))


def by_distance(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(pairs, key=lambda p: (p[1], p[0]))


@pytest.mark.parametrize("kind", ["uniform", "clustered"])
@pytest.mark.parametrize("n", [40, 5_000, 60_000])
def test_search_equals_linear_scan(kind: str, n: int) -> None:
    rng = np.random.default_rng(RNG_SEED + n)
    codes = dataset(kind, n, rng)
    ids = rng.permutation(n).astype(np.int64) + 1_000
    index = HammingIndex(64)
    index.add(ids, codes)
    near = flip_bits(codes[rng.integers(0, n, 15)], 5, rng)
    queries = [*near.tolist(), *rng.integers(0, 2**64, 10, dtype=np.uint64).tolist()]
    for query in queries:
        for radius in (0, 3, 8, 10, 12, 16, 40):
            want = expected(codes, ids, query, radius)
            got = index.search(query, radius)
            assert got == by_distance(want), (kind, n, radius)


@pytest.mark.parametrize("radius", range(0, 15))
def test_spread_out_differences_are_found(radius: int) -> None:
    # The worst case for pigeonhole probing: the flipped bits spread over every substring.
    rng = np.random.default_rng(RNG_SEED + radius)
    stored = rng.integers(0, 2**64, 20_000, dtype=np.uint64)
    index = HammingIndex(64)
    index.add(np.arange(len(stored)), stored)
    for trial in range(30):
        target = int(stored[trial])
        per_substring = np.bincount(rng.integers(0, 4, radius), minlength=4)
        bits = [16 * s + int(b) for s in range(4) for b in rng.choice(16, per_substring[s], False)]
        query = target ^ sum(1 << b for b in bits)
        assert (trial, radius) in index.search(query, radius)
        if radius:
            assert trial not in {i for i, _ in index.search(query, radius - 1)}


def test_codes_as_bytes_ints_and_matrix_agree() -> None:
    rng = np.random.default_rng(RNG_SEED)
    codes = rng.integers(0, 2**64, 500, dtype=np.uint64)
    as_bytes = [int(c).to_bytes(8, "big") for c in codes]
    matrix = np.frombuffer(b"".join(as_bytes), dtype=np.uint8).reshape(-1, 8)
    assert to_uint64(as_bytes).tolist() == codes.tolist()
    assert to_uint64(matrix).tolist() == codes.tolist()
    a, b = HammingIndex(), HammingIndex()
    a.add(range(500), as_bytes)
    b.add(range(500), [int(c) for c in codes])
    query = int(codes[7]) ^ 0b1011
    assert a.search(query.to_bytes(8, "big"), 6) == b.search(query, 6)
    assert a.search(query, 6)[0] == (7, 3)


def test_adds_accumulate_and_batches_match_single_queries() -> None:
    rng = np.random.default_rng(RNG_SEED + 1)
    first, second = dataset("clustered", 3_000, rng), dataset("clustered", 2_000, rng)
    index = HammingIndex()
    index.add(np.arange(3_000), first)
    assert len(index) == 3_000
    index.search(0, 4)  # builds the tables; the next add must be folded in
    index.add(np.arange(3_000, 5_000), second)
    assert len(index) == 5_000
    both = np.concatenate([first, second])
    queries = both[rng.integers(0, 5_000, 20)]
    batch = index.search_batch(queries, 9)
    assert batch == [index.search(int(q), 9) for q in queries]
    assert batch == [by_distance(expected(both, np.arange(5_000), int(q), 9)) for q in queries]


def test_repeated_ids_each_report_their_own_distance() -> None:
    index = HammingIndex()
    index.add([5, 5, 6], [0b0, 0b111, 0b1])
    assert index.search(0, 3) == [(5, 0), (6, 1), (5, 3)]


def test_narrow_codes() -> None:
    rng = np.random.default_rng(RNG_SEED + 2)
    codes = rng.integers(0, 2**32, 4_000, dtype=np.uint64)
    index = HammingIndex(bits=32)
    index.add(np.arange(4_000), codes)
    for query in codes[:20]:
        want = by_distance(expected(codes, np.arange(4_000), int(query) ^ 0b101, 5))
        assert index.search(int(query) ^ 0b101, 5) == want
    with pytest.raises(ValueError, match="wider than 32 bits"):
        index.add([1], [2**40])


def test_bad_input_is_refused() -> None:
    assert HammingIndex().search(123, 5) == []
    with pytest.raises(ValueError, match="multiple of 8"):
        HammingIndex(bits=60)
    with pytest.raises(ValueError, match="2 ids for 1 codes"):
        HammingIndex().add([1, 2], [3])
    with pytest.raises(ValueError, match="8 bytes"):
        HammingIndex().add([1], [b"\x00\x01"])
    index = HammingIndex()
    index.add([1], [3])
    with pytest.raises(ValueError, match="radius must be >= 0"):
        index.search(3, -1)
