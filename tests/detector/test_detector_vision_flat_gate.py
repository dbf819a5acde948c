"""The flat stage skips a segmentation the photo's colours cannot feed (``FlatScene._could_hold``):
the same finds as segmenting every time, a logo only the tight tolerance parts from a ground of
a near colour still found, also among many generated flat references."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.data
from PIL import Image

from detector.vision.flat_logos import FlatFind, FlatParams, FlatReference, FlatScene, prepare_flat
from detector.vision.logos import LogoMatcher
from model import Asset, AssetKind, ListingImage, ReferenceImage
from tests.detector.test_detector_vision_flat_logos import TRIO, bird, on_white, pasted, squares

PARAMS = FlatParams()


def generated_logo(rng: np.random.Generator) -> Image.Image:
    """A flat logo on white: one to three random convex polygons, each in its own colour."""
    canvas = np.full((300, 300, 3), 255, np.uint8)
    for _ in range(int(rng.integers(1, 4))):
        points = rng.integers(30, 270, (int(rng.integers(3, 7)), 2)).astype(np.int32)
        colour = tuple(int(c) for c in rng.integers(0, 200, 3))
        cv2.fillPoly(canvas, [cv2.convexHull(points)], colour)
    return Image.fromarray(canvas)


def flat_reference(asset_id: str, image: Image.Image) -> FlatReference | None:
    return prepare_flat(asset_id, ReferenceImage(f"sha-{asset_id}", image), 0, PARAMS)


def trio_on_near_ground(lighter: float) -> Image.Image:
    """The registered squares on a plain ground ``lighter`` Lab units lighter than the green
    square: within the usual colour tolerance of it, outside the tight one."""
    ref = flat_reference("trio", on_white(squares(TRIO)))
    assert ref is not None
    green = ref.colours[int(np.argmin(ref.colours[:, 1]))].copy()  # lowest a*: the green
    green[0] = min(255.0, green[0] + lighter)
    rgb = cv2.cvtColor(np.uint8([[green]]), cv2.COLOR_Lab2RGB)[0, 0]
    photo = Image.new("RGB", (640, 480), tuple(int(v) for v in rgb))
    mark = squares(TRIO, 200)
    photo.paste(mark, (300, 250), mark)
    return photo


def ungated(scene: FlatScene, ref: FlatReference) -> FlatFind | None:
    """``FlatScene.find`` as it was: the usual tolerance, then the tight one, both segmented."""
    present = np.bincount(ref.lut, weights=scene.histogram, minlength=256)[: len(ref.shares)]
    smallest = PARAMS.min_area_fraction * scene.pixels
    if (present < 0.5 * smallest * ref.shares * ref.fill).any():
        return None
    for lut in (ref.lut, ref.lut_tight):
        best = scene._best_region(ref, lut)
        if best is not None:
            return best
    return None


@pytest.fixture(scope="module")
def references() -> list[FlatReference]:
    rng = np.random.default_rng(7)
    refs = [
        flat_reference("trio", on_white(squares(TRIO))),
        flat_reference("bird", on_white(bird("#263238"))),
    ]
    refs += [flat_reference(f"gen-{i}", generated_logo(rng)) for i in range(40)]
    return [r for r in refs if r is not None]


def photos() -> list[Image.Image]:
    return [
        trio_on_near_ground(14),
        trio_on_near_ground(24),
        pasted(squares(TRIO), 0.2),
        pasted(bird("#263238"), 0.3, turn=20, photo="astronaut"),
        Image.fromarray(skimage.data.chelsea()),
    ]


def test_the_tight_tolerance_case_needs_the_tight_pass() -> None:
    ref = flat_reference("trio", on_white(squares(TRIO)))
    assert ref is not None
    scene = FlatScene(trio_on_near_ground(14), PARAMS)
    assert scene._best_region(ref, ref.lut) is None  # the ground swallows the green square
    assert scene._could_hold(ref, ref.lut_tight)
    found = scene.find(ref)
    assert found is not None and found.check.agreement >= PARAMS.min_agreement


def test_gated_find_equals_segmenting_every_time(references: list[FlatReference]) -> None:
    skipped = 0
    for photo in photos():
        scene = FlatScene(photo, PARAMS)
        for ref in references:
            gated, plain = scene.find(ref), ungated(scene, ref)
            assert (gated is None) == (plain is None), ref.asset_id
            if gated is not None and plain is not None:
                assert gated.check == plain.check
                assert np.array_equal(gated.polygon, plain.polygon)
            skipped += not scene._could_hold(ref, ref.lut_tight)
    assert skipped > 0  # the gate is exercised, not only passed


def test_a_photo_without_enough_of_a_colour_cannot_hold_the_logo() -> None:
    ref = flat_reference("trio", on_white(squares(TRIO)))
    assert ref is not None
    blank = FlatScene(Image.new("RGB", (640, 480), "white"), PARAMS)
    assert not blank._could_hold(ref, ref.lut)
    assert not blank._could_hold(ref, ref.lut_tight)
    assert blank.find(ref) is None


def test_the_logo_is_found_among_many_generated_flat_references() -> None:
    rng = np.random.default_rng(11)
    assets = [
        Asset(
            f"gen-{i}",
            f"owner-{i}",
            AssetKind.FIGURATIVE_MARK,
            f"gen {i}",
            images=(ReferenceImage(f"sha-gen-{i}", generated_logo(rng)),),
        )
        for i in range(60)
    ]
    trio = ReferenceImage("sha-trio", on_white(squares(TRIO)), label="trio")
    assets.append(Asset("trio", "owner-trio", AssetKind.FIGURATIVE_MARK, "trio", images=(trio,)))
    matcher = LogoMatcher(assets)
    assert matcher.flat_references >= 25  # one-colour convex ones are too plain to be flat
    photo = ListingImage("https://shop.example/p.jpg", None, trio_on_near_ground(14))
    assert set(matcher.match([photo])) == {"trio"}
