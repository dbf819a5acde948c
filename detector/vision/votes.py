"""One nearest-neighbour index over every reference's local features, queried once per photo.

Matching a listing photo against each registered image in turn costs one brute-force match and
one robust fit per reference: with a thousand references that is seconds a photo. Instead every
reference descriptor goes into one faiss index that remembers which reference it came from; a
photo's descriptors query it once, each votes for the reference owning its nearest neighbour
when that neighbour is clearly closer than the nearest feature of any *other* reference (Lowe's
ratio across references, so a feature common to many references votes for none), and only the
few references with the most votes go on to the matcher's full geometric verification.

Below ``APPROXIMATE_ABOVE`` vectors the index is exact (one BLAS product); above it an inverted
file (``IndexIVFFlat``, k-means cells trained on a fixed-seed sample) searches ``PROBES`` cells
only, so the search cost grows with the square root of the number of reference features, not
linearly (500,000 RootSIFT vectors: about 700 cells, 8 probed, some 6,000 distances a query
instead of 500,000; training on a 28,000-vector sample, 10 rounds). The index is built once
per matcher, which is rebuilt with the registry.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

APPROXIMATE_ABOVE = 50_000  # reference descriptors held in an exact index up to this many
CELLS_PER_SQRT = 1  # inverted-file cells: this many times the square root of the vectors
PROBES = 8  # cells searched per query
TRAIN_PER_CELL = 40  # k-means sample size per cell (faiss warns below 39)
TRAIN_ITERATIONS = 10  # k-means rounds: the cells need only be roughly right
SEED = 1234


class VoteIndex:
    """Descriptors of every reference, each row tagged with its reference's position."""

    def __init__(
        self,
        descriptors: Sequence[np.ndarray],
        dim: int = 128,
        exact_up_to: int = APPROXIMATE_ABOVE,
    ) -> None:
        self._descriptors = [np.asarray(d, np.float32).reshape(-1, dim) for d in descriptors]
        self._dim = dim
        self._exact_up_to = exact_up_to
        self._index: Any = None
        self._owner = np.zeros(0, np.int64)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """Number of references (not descriptors)."""
        return len(self._descriptors)

    def _ready(self) -> Any:
        """The faiss index, built on first use (so a matcher that is never asked costs nothing)."""
        with self._lock:
            if self._index is None:
                import faiss

                owner = [np.full(len(d), row, np.int64) for row, d in enumerate(self._descriptors)]
                matrix = np.ascontiguousarray(
                    np.concatenate(self._descriptors or [np.zeros((0, self._dim), np.float32)])
                )
                self._owner = np.concatenate(owner) if owner else np.zeros(0, np.int64)
                index = _build(faiss, matrix, self._dim, self._exact_up_to)
                self._descriptors = []  # the index holds them now
                self._index = index
            return self._index

    @property
    def approximate(self) -> bool:
        """Whether the index searches only some cells (an inverted file)."""
        return bool(self._ready().ntotal > self._exact_up_to)

    def votes(self, queries: np.ndarray, neighbours: int = 8, ratio: float = 0.8) -> Counter[int]:
        """References voted for by the query features that pass the ratio test across them."""
        index = self._ready()
        if index.ntotal == 0 or len(queries) == 0:
            return Counter()
        k = min(neighbours, index.ntotal)
        squared, rows = index.search(np.ascontiguousarray(queries, np.float32), k)
        distances = np.sqrt(np.maximum(squared, 0.0))
        valid = rows >= 0  # a filled prefix of each row (an inverted file may return fewer)
        owners = np.where(valid, self._owner[np.maximum(rows, 0)], -1)
        first = owners[:, 0]
        other = valid & (owners != first[:, None])
        has_other = other.any(axis=1)
        nearest_other = distances[np.arange(len(rows)), other.argmax(axis=1)]
        passed = valid[:, 0] & (~has_other | (distances[:, 0] < ratio * nearest_other))
        return Counter(first[passed].tolist())

    def shortlist(
        self,
        queries: np.ndarray,
        top: int,
        min_votes: int = 1,
        neighbours: int = 8,
        ratio: float = 0.8,
    ) -> list[tuple[int, int]]:
        """(reference, votes) of the ``top`` most-voted references, most votes first (ties: the
        earlier reference), leaving out those with fewer than ``min_votes``."""
        counted = self.votes(queries, neighbours, ratio)
        ranked = sorted(counted.items(), key=lambda rv: (-rv[1], rv[0]))
        return [(row, count) for row, count in ranked[:top] if count >= min_votes]


def _build(faiss: Any, matrix: np.ndarray, dim: int, exact_up_to: int) -> Any:
    """Exact for a small matrix, an inverted file trained on a seeded sample for a large one."""
    if len(matrix) <= exact_up_to:
        index = faiss.IndexFlatL2(dim)
        if len(matrix):
            index.add(matrix)
        return index
    cells = max(1, min(int(CELLS_PER_SQRT * np.sqrt(len(matrix))), len(matrix) // TRAIN_PER_CELL))
    quantizer = faiss.IndexFlatL2(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, cells)
    index.cp.seed = SEED
    index.cp.niter = TRAIN_ITERATIONS
    sample = min(len(matrix), cells * TRAIN_PER_CELL)
    rows = np.random.default_rng(SEED).choice(len(matrix), size=sample, replace=False)
    index.train(matrix[np.sort(rows)])
    index.add(matrix)
    index.nprobe = PROBES  # faiss's wrapper keeps the quantizer alive with the index
    return index


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection of two boxes (x0, y0, x1, y1) over the smaller one's area (0 to 1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / max(1, smaller)
