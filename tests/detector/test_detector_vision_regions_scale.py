"""Region-level copies with many registered photos: the copy is still found, the best-matching
of two similar registered photos wins, and an unrelated photo matches none of them."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import ImageOps

from detector.vision.regions import RegionIndex
from model import Asset
from tests.detector.test_detector_vision_copycheck import real_photo
from tests.detector.test_detector_vision_regions import listing, pasted, photo_asset

# Real photos that neither the copied photo nor the listing backgrounds come from.
SOURCES = (
    "astronaut",
    "coffee",
    "rocket",
    "hubble_deep_field",
    "moon",
    "immunohistochemistry",
    "brick",
    "grass",
    "gravel",
    "coins",
    "retina",
    "cell",
)


def unrelated_references(count: int, seed: int = 7) -> list[Asset]:
    """``count`` distinct registered photos: seeded crops (a quarter to half of each side) of
    real photos, some mirrored, shrunk to 240 px: many references, none of them the copy."""
    rng = np.random.default_rng(seed)
    photos = [real_photo(name) for name in SOURCES]
    out = []
    for i in range(count):
        image = photos[i % len(photos)]
        w, h = image.size
        cw, ch = (int(side * rng.uniform(0.25, 0.5)) for side in (w, h))
        x, y = int(rng.integers(0, w - cw)), int(rng.integers(0, h - ch))
        crop = image.crop((x, y, x + cw, y + ch))
        crop = ImageOps.mirror(crop) if rng.random() < 0.3 else crop
        crop.thumbnail((240, 240))
        out.append(photo_asset(f"U-{i:03d}", f"Unrelated {i}", crop))
    return out


@pytest.fixture(scope="module")
def crowded() -> tuple[RegionIndex, list[Asset]]:
    assets = [photo_asset("A-CAM", "Cameraman", real_photo("camera")), *unrelated_references(300)]
    return RegionIndex(assets), assets


def test_a_copied_photo_is_found_among_300_unrelated_references(
    crowded: tuple[RegionIndex, list[Asset]],
) -> None:
    index, _ = crowded
    copy = pasted(real_photo("camera"), real_photo("chelsea"), (40, 20, 260))
    found = index.match(listing(copy).images)
    assert set(found) == {"A-CAM"}


def test_an_unrelated_photo_matches_none_of_many_references(
    crowded: tuple[RegionIndex, list[Asset]],
) -> None:
    index, _ = crowded
    for name in ("chelsea", "page", "text"):
        assert index.match(listing(real_photo(name)).images) == {}


def test_the_closest_of_two_similar_references_wins() -> None:
    camera = real_photo("camera")
    retouched = camera.copy()  # another owner's photo: the same shot with a corner replaced
    retouched.paste(real_photo("coffee").resize((256, 256)), (0, 0))
    assets = [
        photo_asset("A-RETOUCHED", "Retouched", retouched),
        photo_asset("A-CAM", "Cameraman", camera),
        *unrelated_references(40),
    ]
    copy = pasted(camera, real_photo("chelsea"), (40, 20, 300))
    found = RegionIndex(assets).match(listing(copy).images)
    assert set(found) == {"A-CAM"}
