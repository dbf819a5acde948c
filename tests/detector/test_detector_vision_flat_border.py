"""Regions the photo's border cuts, drawn here: a two-colour flag running off the top of the
photo leaves a plain band whose straight top edge is the border's, which a band-shaped mark
among many registered ones fits by chance and must not be taken for; a mark whose tip alone
the border cuts keeps most of its outline in view and is still found."""

from __future__ import annotations

import io

import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageDraw

from detector.vision.flat_logos import FlatParams, FlatReference, FlatScene, prepare_flat
from model import ReferenceImage

TEAL, AMBER = "#00695c", "#ffb300"
BOLT = [(55, 0), (20, 55), (45, 55), (30, 100), (80, 38), (54, 38), (72, 0)]  # a concave bolt


def band(width: int = 400, height: int = 90) -> Image.Image:
    """A two-colour band: teal with an amber block at its right end (a flag's lower edge)."""
    im = Image.new("RGBA", (width, height), TEAL)
    ImageDraw.Draw(im).rectangle([width * 3 // 4, 0, width - 1, height - 1], fill=AMBER)
    return im


def bolt(colour: str, size: int = 300) -> Image.Image:
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    s = size / 100
    ImageDraw.Draw(im).polygon([(x * s, y * s) for x, y in BOLT], fill=colour)
    return im.crop(im.getchannel("A").getbbox())


def on_white(mark: Image.Image) -> Image.Image:
    pad = max(mark.width, mark.height) // 8
    ground = Image.new("RGB", (mark.width + 2 * pad, mark.height + 2 * pad), "white")
    ground.paste(mark, (pad, pad), mark)
    return ground


def photo_with(mark: Image.Image, at: tuple[int, int]) -> Image.Image:
    """The mark pasted into a real photo at ``at`` (which may lie above the top border: what
    runs off the photo is cut), saved as a JPEG."""
    scene = Image.fromarray(skimage.data.chelsea()).convert("RGB").resize((640, 480))
    scene.paste(mark, at, mark)
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=90)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def generated_marks(count: int, seed: int = 3) -> list[Image.Image]:
    """Flat marks of one to three random convex polygons, each in its own colour."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        im = Image.new("RGB", (300, 300), "white")
        draw = ImageDraw.Draw(im)
        for _ in range(int(rng.integers(1, 4))):
            points = rng.integers(30, 270, (int(rng.integers(3, 7)), 2))
            colour = tuple(int(c) for c in rng.integers(0, 200, 3))
            draw.polygon([tuple(int(v) for v in p) for p in points], fill=colour)
        out.append(im)
    return out


def prepared(name: str, image: Image.Image, params: FlatParams) -> FlatReference:
    ref = prepare_flat(name, ReferenceImage(f"sha-{name}", image, label=name), 0, params)
    assert ref is not None, name
    return ref


@pytest.fixture(scope="module")
def registry() -> list[FlatReference]:
    """The band-shaped mark among 40 generated ones, as a large registry holds them."""
    params = FlatParams()
    refs = [prepared("band", on_white(band()), params)]
    for i, image in enumerate(generated_marks(40)):
        ref = prepare_flat(f"gen-{i}", ReferenceImage(f"sha-gen-{i}", image), 0, params)
        if ref is not None:
            refs.append(ref)
    return refs


def flag_off_the_top() -> Image.Image:
    """A tall two-colour flag whose top runs off the photo: what shows is a band."""
    flag = band(400, 400)
    return photo_with(flag, (120, 90 - 400))


def test_band_cut_by_the_border_is_not_taken_for_the_band_mark(
    registry: list[FlatReference],
) -> None:
    scene = FlatScene(flag_off_the_top(), FlatParams())
    found = {ref.asset_id: hit for ref in registry if (hit := scene.find(ref)) is not None}
    assert found == {}, {k: (v.check.agreement, v.check.seen) for k, v in found.items()}


def test_the_fit_on_the_cut_band_leans_on_the_border() -> None:
    """Without the border rule the band mark fits the cut flag well: the rule is what stops it."""
    loose = FlatParams(min_seen_outline=0.0)
    ref = prepared("band", on_white(band()), loose)
    hit = FlatScene(flag_off_the_top(), loose).find(ref)
    assert hit is not None and hit.check.agreement >= loose.min_agreement
    assert hit.check.seen < FlatParams().min_seen_outline


def test_the_same_band_in_full_view_is_found(registry: list[FlatReference]) -> None:
    scene = FlatScene(photo_with(band(), (120, 200)), FlatParams())
    hit = scene.find(registry[0])
    assert hit is not None and hit.check.seen == pytest.approx(1.0)


def test_mark_whose_tip_the_border_cuts_is_still_found() -> None:
    params = FlatParams()
    ref = prepared("bolt", on_white(bolt("#1565c0")), params)
    mark = bolt("#1565c0", 160)
    cut = round(0.06 * mark.height)  # the tip, above the photo's top
    hit = FlatScene(photo_with(mark, (200, -cut)), params).find(ref)
    assert hit is not None
    assert params.min_seen_outline <= hit.check.seen < 1.0
