"""One-colour marks with a cut-out, drawn here: a rounded tile with a small triangular cut-out
(a play button) is a mark, not a plain sticker, even though its solidity (0.95) passes the
plainness cut; it is prepared and found in a photo, while the same tile without the cut-out is
still refused as too plain, and a plain tile of the mark's colour and outline is not taken for
the mark (its cut-out is filled)."""

from __future__ import annotations

import io

import skimage.data
from PIL import Image, ImageDraw

from detector.vision.flat_logos import FlatParams, FlatScene, prepare_flat
from model import ReferenceImage

RED = "#ff0000"


def tile(cutout: bool, width: int = 480, height: int = 340) -> Image.Image:
    """A red rounded tile on transparency, with a white-ground triangle cut out when asked
    (a triangle of about 6 % of the tile, as a play button's)."""
    im = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=height // 5, fill=RED)
    if cutout:
        cx, cy, w, h = width * 0.52, height * 0.5, width * 0.26, height * 0.42
        draw.polygon(
            [(cx - w / 2, cy - h / 2), (cx + w / 2, cy), (cx - w / 2, cy + h / 2)],
            fill=(0, 0, 0, 0),
        )
    return im


def on_white(mark: Image.Image) -> Image.Image:
    """As a rights holder files it: on white, the cut-out showing the white ground."""
    ground = Image.new("RGB", (mark.width + 32, mark.height + 32), "white")
    ground.paste(mark, (16, 16), mark)
    return ground


def _coffee() -> Image.Image:
    """A real photo (scikit-image's coffee) at 640 x 480."""
    photo = skimage.data.coffee()  # type: ignore[no-untyped-call]
    return Image.fromarray(photo).convert("RGB").resize((640, 480))


def photo_with(mark: Image.Image, width: int) -> Image.Image:
    """The mark (cut-out showing white) pasted into a real photo at ``width`` pixels, JPEG."""
    scene = _coffee()
    filed = on_white(mark).crop((16, 16, 16 + mark.width, 16 + mark.height))
    small = filed.resize((width, round(width * mark.height / mark.width)), Image.Resampling.LANCZOS)
    # The cut-out is white in a print, so the whole rounded outline is pasted.
    outline = tile(False, mark.width, mark.height).getchannel("A").resize(small.size)
    scene.paste(small, (120, 150), outline)
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=90)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def plain_tile_photo(width: int) -> Image.Image:
    """The tile's outline in the mark's colour with no cut-out: a sticker, not the mark."""
    scene = _coffee()
    plain = tile(False)
    small = plain.resize(
        (width, round(width * plain.height / plain.width)), Image.Resampling.LANCZOS
    )
    scene.paste(small, (120, 150), small)
    return scene


def test_tile_with_small_cutout_is_prepared_as_a_flat_mark() -> None:
    ref = prepare_flat("play", ReferenceImage("sha-play", on_white(tile(True))), 0, FlatParams())
    assert ref is not None
    assert len(ref.shares) == 1


def test_tile_without_cutout_is_still_too_plain() -> None:
    plain = prepare_flat("tile", ReferenceImage("sha-tile", on_white(tile(False))), 0, FlatParams())
    assert plain is None


def test_tile_with_cutout_is_found_in_a_photo() -> None:
    params = FlatParams()
    ref = prepare_flat("play", ReferenceImage("sha-play", on_white(tile(True))), 0, params)
    assert ref is not None
    for width in (90, 200):
        found = FlatScene(photo_with(tile(True), width), params).find(ref)
        assert found is not None, width
        assert found.check.holes >= params.min_open_holes_one_colour


def test_plain_tile_of_the_marks_colour_is_not_the_mark() -> None:
    params = FlatParams()
    ref = prepare_flat("play", ReferenceImage("sha-play", on_white(tile(True))), 0, params)
    assert ref is not None
    for width in (90, 200):
        assert FlatScene(plain_tile_photo(width), params).find(ref) is None, width
