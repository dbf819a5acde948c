"""The colour gate is one formula: the registry-wide product (``FlatIndex``) and one reference's
own check (``FlatScene.find``) keep and drop the same generated references for a real photo."""

from __future__ import annotations

import numpy as np
import skimage.data
from PIL import Image, ImageDraw

from detector.vision.flat_index import FlatIndex, colours_short
from detector.vision.flat_logos import NO_LABEL, FlatParams, FlatScene, prepare_flat
from model import ReferenceImage


def generated(count: int, seed: int = 5) -> list[Image.Image]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        im = Image.new("RGB", (300, 300), "white")
        draw = ImageDraw.Draw(im)
        for _ in range(int(rng.integers(1, 4))):
            points = rng.integers(30, 270, (int(rng.integers(3, 7)), 2))
            colour = tuple(int(c) for c in rng.integers(0, 255, 3))
            draw.polygon([tuple(int(v) for v in p) for p in points], fill=colour)
        out.append(im)
    return out


def test_index_and_single_reference_gate_agree() -> None:
    params = FlatParams()
    refs = [
        r
        for i, im in enumerate(generated(60))
        if (r := prepare_flat(f"g{i}", ReferenceImage(f"s{i}", im), 0, params)) is not None
    ]
    scene = FlatScene(Image.fromarray(skimage.data.coffee()), params)
    smallest = params.min_area_fraction * scene.pixels
    kept = {r.asset_id for r in FlatIndex(refs).candidates(scene.histogram, smallest)}
    one_by_one = set()
    for ref in refs:
        present = np.bincount(ref.lut, weights=scene.histogram, minlength=NO_LABEL + 1)
        if not colours_short(present[: len(ref.shares)], ref.shares * ref.fill, smallest).any():
            one_by_one.add(ref.asset_id)
    assert kept == one_by_one
    assert 0 < len(kept) < len(refs)  # the photo keeps some references and drops others
    for ref in refs:
        if ref.asset_id not in kept:
            assert scene.find(ref) is None
