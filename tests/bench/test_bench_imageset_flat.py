"""The flat-logo group and the registry padding of the speed bench: labels and determinism."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image

from bench import image_speed_sizes
from bench.imageset_flat import FLAT_LOGOS, TRIO, _recipe, paste_mark, reference, squares
from model import AssetKind


def test_registered_and_negative_flat_logos_are_labelled() -> None:
    kinds = {logo.kind for logo in FLAT_LOGOS}
    assert kinds == {"registered", "other_colours", "similar_shape", "other_flat_logo"}
    assert all(logo.registered == (logo.kind == "registered") for logo in FLAT_LOGOS)
    assert len({logo.name for logo in FLAT_LOGOS}) == len(FLAT_LOGOS)


def test_reference_is_the_mark_on_white() -> None:
    trio = next(logo for logo in FLAT_LOGOS if logo.name == "trio-squares")
    image = np.asarray(reference(trio))
    assert image.shape[2] == 3 and (image[0, 0] == 255).all()
    assert {tuple(c) for c in image.reshape(-1, 3)} >= {(216, 27, 96), (46, 125, 50)}


def test_pasted_mark_keeps_its_colours_inside_the_returned_box() -> None:
    scene = Image.new("RGB", (640, 480), (128, 128, 128))
    recipe = _recipe(random.Random(1), 0.3, "plain") | {"opacity": 1.0}
    image, bbox = paste_mark(scene, squares(TRIO), recipe, None)
    x0, y0, x1, y1 = bbox
    assert 180 <= x1 - x0 <= 200  # 30 % of 640 pixels
    inside = np.asarray(image)[y0:y1, x0:x1].reshape(-1, 3).astype(int)
    magenta = np.abs(inside - (216, 27, 96)).max(axis=1) < 30
    assert magenta.mean() > 0.15
    outside = np.asarray(image)[:, : max(1, x0 - 4)].reshape(-1, 3).astype(int)
    assert (np.abs(outside - 128).max(axis=1) < 30).all()


def test_registry_padding_is_seeded_and_sized() -> None:
    first = image_speed_sizes.registry(20)
    again = image_speed_sizes.registry(20)
    assert len(first) == 20 and len({a.id for a in first}) == 20
    for a, b in zip(first, again, strict=True):
        left, right = a.images[0].image, b.images[0].image
        assert left is not None and right is not None
        assert left.tobytes() == right.tobytes()
    assert {a.kind for a in first if a.id.startswith("pad-")} == {
        AssetKind.PRODUCT_IMAGE,
        AssetKind.FIGURATIVE_MARK,
    }
