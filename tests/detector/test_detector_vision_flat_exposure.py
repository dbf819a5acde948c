"""A flat mark in a photo whose exposure, contrast and saturation were shifted, drawn here:
its colours move mostly in lightness, which the colour tolerance weighs at
``LIGHTNESS_WEIGHT``, so the mark is still found; the same shapes in another firm's hues (a
colour change, not an exposure one) are still not taken for it."""

from __future__ import annotations

import io

import numpy as np
import skimage.data
from PIL import Image, ImageDraw, ImageEnhance

from detector.vision.flat_logos import FlatParams, FlatScene, _lab, _lut, prepare_flat
from model import ReferenceImage

GREEN, BLUE = "#1ed760", "#0a66c2"
OTHER_FIRM = ("#e4572e", "#f2c14e")  # an orange and a yellow: other hues, similar lightness


def mark(colours: tuple[str, str], size: int = 300) -> Image.Image:
    """Two flat colours in an L shape and a square (no shape of one colour alone)."""
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    s = size / 100
    draw.polygon(
        [
            (0, 0),
            (45 * s, 0),
            (45 * s, 55 * s),
            (100 * s, 55 * s),
            (100 * s, 100 * s),
            (0, 100 * s),
        ],
        fill=colours[0],
    )
    draw.rectangle((55 * s, 0, 100 * s, 45 * s), fill=colours[1])
    return im


def on_white(image: Image.Image) -> Image.Image:
    ground = Image.new("RGB", (image.width + 40, image.height + 40), "white")
    ground.paste(image, (20, 20), image)
    return ground


def shifted_photo(colours: tuple[str, str], width: int) -> Image.Image:
    """The mark pasted into a real photo, then the whole photo darkened, its contrast and
    saturation lowered (an underexposed, washed-out listing photo), saved as a JPEG."""
    photo = skimage.data.astronaut()  # type: ignore[no-untyped-call]
    scene = Image.fromarray(photo).convert("RGB").resize((640, 640))
    small = mark(colours).resize((width, width), Image.Resampling.LANCZOS)
    scene.paste(small, (300, 360), small)
    scene = ImageEnhance.Brightness(scene).enhance(0.82)
    scene = ImageEnhance.Contrast(scene).enhance(0.9)
    scene = ImageEnhance.Color(scene).enhance(0.85)
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=88)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def reference() -> ReferenceImage:
    return ReferenceImage("sha-mark", on_white(mark((GREEN, BLUE))), label="mark")


def test_lightness_counts_less_than_hue_in_the_tolerance() -> None:
    green = _lab(np.array([[[30, 215, 96]]], np.uint8)).reshape(1, 3).astype(np.float32)
    darker = _lab(np.array([[[22, 160, 70]]], np.uint8)).reshape(3)
    lut = _lut(green, FlatParams().colour_tolerance)
    q = darker.astype(np.int32) >> 4
    assert lut[(q[0] << 8) | (q[1] << 4) | q[2]] == 0


def test_mark_is_found_after_an_exposure_and_saturation_shift() -> None:
    params = FlatParams()
    ref = prepare_flat("mark", reference(), 0, params)
    assert ref is not None and len(ref.shares) == 2
    for width in (90, 180):
        found = FlatScene(shifted_photo((GREEN, BLUE), width), params).find(ref)
        assert found is not None, width


def test_same_shapes_in_other_hues_are_not_the_mark() -> None:
    params = FlatParams()
    ref = prepare_flat("mark", reference(), 0, params)
    assert ref is not None
    for width in (90, 180):
        assert FlatScene(shifted_photo(OTHER_FIRM, width), params).find(ref) is None, width


def test_black_keeps_full_lightness_weight() -> None:
    black = np.zeros((1, 3), np.float32)
    black[0] = _lab(np.zeros((1, 1, 3), np.uint8)).reshape(3)
    lut = _lut(black, FlatParams().colour_tolerance)
    dark_grey = _lab(np.full((1, 1, 3), 45, np.uint8)).reshape(3).astype(np.int32) >> 4
    assert lut[(dark_grey[0] << 8) | (dark_grey[1] << 4) | dark_grey[2]] == 255
