"""The USE embedder through the shared interface: offline, normalised, meaningful, loaded once."""

from __future__ import annotations

import numpy as np
import pytest

from detector.semantic.embedder import (
    EmbedderUnavailableError,
    get_embedder,
    loaded_embedders,
)
from detector.semantic.use import UseEmbedder


@pytest.fixture(scope="module")
def use() -> UseEmbedder:
    embedder = get_embedder("use")
    assert isinstance(embedder, UseEmbedder)
    return embedder


def cosine(embedder: UseEmbedder, a: str, b: str) -> float:
    va, vb = embedder.encode([a, b])
    return float(va @ vb)


def test_vectors_are_float32_unit_length_rows(use: UseEmbedder) -> None:
    vectors = use.encode(["insulated water bottle", "保温杯", "x" * 500])
    assert vectors.shape == (3, use.dimension) == (3, 512)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_an_empty_matrix(use: UseEmbedder) -> None:
    assert use.encode([]).shape == (0, 512)


def test_the_factory_loads_each_model_once(use: UseEmbedder) -> None:
    assert get_embedder("use") is use
    assert "use" in loaded_embedders()


def test_paraphrase_scores_above_same_domain_and_unrelated_text(use: UseEmbedder) -> None:
    claim = "a clamp for gripping the phone, the jaws urged toward each other by a spring"
    paraphrase = "spring-loaded grips snap onto your phone and hold it tight"
    same_domain = "the phone rests on a fixed aluminium cradle"
    unrelated = "organic cotton t-shirt with a cat print"
    close = cosine(use, claim, paraphrase)
    assert close > cosine(use, claim, same_domain)
    assert close > cosine(use, claim, unrelated) + 0.2


def test_chinese_listing_matches_english_claim_across_languages(use: UseEmbedder) -> None:
    claim = "a warning light on the handle that is illuminated when the brushing force is too high"
    chinese = "刷牙用力过大时，手柄上的指示灯亮起提醒"
    unrelated = "纯棉短袖T恤 卡通猫咪印花"
    assert cosine(use, claim, chinese) > cosine(use, claim, unrelated) + 0.2


def test_unknown_embedder_names_the_choices() -> None:
    with pytest.raises(EmbedderUnavailableError, match="minilm, use"):
        get_embedder("word2vec")
