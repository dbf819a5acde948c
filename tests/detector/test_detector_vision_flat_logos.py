"""Flat logos (coloured squares, a silhouette) drawn here and pasted into real skimage photos."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageDraw

from detector.vision.flat_logos import FlatParams, FlatScene, edge_density, prepare_flat
from detector.vision.logo_match import LogoParams, logo_signal
from detector.vision.logos import LogoMatcher
from model import Asset, AssetKind, ListingImage, ReferenceImage

TRIO = ("#d81b60", "#2e7d32", "#1565c0")  # the registered squares: magenta, green, blue
OTHER_TRIO = ("#f9a825", "#6a1b9a", "#00838f")  # the same shape in another firm's colours


def squares(colours: tuple[str, str, str], width: int = 330) -> Image.Image:
    """Three coloured squares in a row with gaps, RGBA on transparent."""
    side = width * 10 // 33
    im = Image.new("RGBA", (width, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    for i, colour in enumerate(colours):
        x = i * (side + width // 33)
        draw.rectangle([x, 0, x + side - 1, side - 1], fill=colour)
    return im


def bird(colour: str, size: int = 300) -> Image.Image:
    """A bird-like silhouette (body, wing, beak, tail): one colour, no texture."""
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    s = size / 100
    draw.ellipse([20 * s, 35 * s, 75 * s, 70 * s], fill=colour)  # body
    draw.ellipse([62 * s, 22 * s, 86 * s, 46 * s], fill=colour)  # head
    draw.polygon([(84 * s, 30 * s), (99 * s, 36 * s), (84 * s, 40 * s)], fill=colour)  # beak
    draw.polygon([(30 * s, 45 * s), (55 * s, 5 * s), (60 * s, 45 * s)], fill=colour)  # wing
    draw.polygon([(24 * s, 48 * s), (2 * s, 30 * s), (6 * s, 62 * s)], fill=colour)  # tail
    return im


def on_white(mark: Image.Image) -> Image.Image:
    """The registered image: the mark on white with a margin, as an owner files it."""
    pad = mark.width // 10
    ground = Image.new("RGB", (mark.width + 2 * pad, mark.height + 2 * pad), "white")
    ground.paste(mark, (pad, pad), mark)
    return ground


def pasted(mark: Image.Image, width_fraction: float, turn: float = 0.0, photo: str = "coffee"):
    """A real photo with the mark pasted at ``width_fraction`` of its width, as a JPEG."""
    rgb = getattr(skimage.data, photo)()
    scene = Image.fromarray(rgb[..., :3]).convert("RGB").resize((640, 480))
    width = round(640 * width_fraction)
    small = mark.resize((width, max(1, round(mark.height * width / mark.width))), Image.LANCZOS)
    if turn:
        small = small.rotate(turn, resample=Image.BICUBIC, expand=True)
    scene.paste(small, (330, 250), small)
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=88)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def logo_asset(asset_id: str, image: Image.Image) -> Asset:
    ref = ReferenceImage(f"sha-{asset_id}", image, label=asset_id)
    return Asset(asset_id, f"owner-{asset_id}", AssetKind.FIGURATIVE_MARK, asset_id, images=(ref,))


def found(matcher: LogoMatcher, image: Image.Image) -> dict[str, float]:
    hits = matcher.match([ListingImage("https://shop.example/p.jpg", None, image)])
    return {a: max(m.score(matcher.params) for m in ms) for a, ms in hits.items()}


@pytest.fixture(scope="module")
def matcher() -> LogoMatcher:
    return LogoMatcher(
        [logo_asset("trio", on_white(squares(TRIO))), logo_asset("bird", on_white(bird("#263238")))]
    )


def test_flat_references_are_the_ones_with_few_edges() -> None:
    """Squares and a silhouette are flat; a dense pattern of lines is left to the SIFT stage."""
    params = FlatParams()
    trio = prepare_flat("t", ReferenceImage("t", on_white(squares(TRIO))), 500, params)
    assert trio is not None and len(trio.colours) == 3
    stripes = Image.new("RGB", (200, 200), "white")
    draw = ImageDraw.Draw(stripes)
    for x in range(10, 190, 8):
        draw.line([(x, 10), (x, 190)], fill="black", width=3)
    mask = np.asarray(stripes.convert("L")) < 128
    assert edge_density(mask) > params.max_edge_density
    assert prepare_flat("s", ReferenceImage("s", stripes), 500, params) is None


def test_plain_one_colour_square_is_too_plain_to_match() -> None:
    """A single red square would match every red sticker: the stage does not take it."""
    plain = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(plain).rectangle([40, 40, 160, 160], fill="#c62828")
    assert prepare_flat("p", ReferenceImage("p", plain), 0, FlatParams()) is None


def test_three_colour_squares_at_15_percent_width_are_found(matcher: LogoMatcher) -> None:
    hits = matcher.match([ListingImage("u", None, pasted(squares(TRIO), 0.15))])
    assert set(hits) == {"trio"}
    match = hits["trio"][0]
    assert match.shape is not None and match.shape.colours == 3
    x0, y0, x1, y1 = match.bbox
    assert abs(x0 - 330) <= 12 and abs(y0 - 250) <= 12  # where it was pasted
    assert abs((x1 - x0) - 96) <= 14 and abs((y1 - y0) - 29) <= 10


def test_turned_squares_are_found(matcher: LogoMatcher) -> None:
    assert "trio" in found(matcher, pasted(squares(TRIO), 0.2, turn=25))


def test_same_squares_in_another_firms_colours_are_not_found(matcher: LogoMatcher) -> None:
    for fraction in (0.15, 0.3):
        assert "trio" not in found(matcher, pasted(squares(OTHER_TRIO), fraction))


def test_squares_in_the_registered_colours_but_another_order_are_not_found(
    matcher: LogoMatcher,
) -> None:
    """Colour and shape are checked together: the same three colours, swapped, are not the mark."""
    swapped = (TRIO[2], TRIO[0], TRIO[1])
    assert "trio" not in found(matcher, pasted(squares(swapped), 0.2))


def test_silhouette_is_found_and_another_colour_is_not(matcher: LogoMatcher) -> None:
    assert "bird" in found(matcher, pasted(bird("#263238"), 0.2, photo="astronaut"))
    assert "bird" not in found(matcher, pasted(bird("#ef6c00"), 0.2, photo="astronaut"))


def test_photos_without_the_logo_find_nothing(matcher: LogoMatcher) -> None:
    for name in ("coffee", "astronaut", "chelsea", "rocket"):
        rgb = getattr(skimage.data, name)()
        assert found(matcher, Image.fromarray(rgb[..., :3]).convert("RGB")) == {}


def test_flat_stage_off_finds_nothing_the_sift_stage_misses() -> None:
    """The comparison the bench makes: the same squares, with the flat stage turned off."""
    assets = [logo_asset("trio", on_white(squares(TRIO)))]
    off = LogoMatcher(assets, flat=False)
    on = LogoMatcher(assets)
    image = pasted(squares(TRIO), 0.1)
    assert off.flat_references == 0 and on.flat_references == 1
    assert "trio" not in found(off, image)
    assert "trio" in found(on, image)


def test_flat_signal_names_the_method_and_the_numbers(matcher: LogoMatcher) -> None:
    hits = matcher.match([ListingImage("u", None, pasted(squares(TRIO), 0.25))])
    asset = logo_asset("trio", on_white(squares(TRIO)))
    signal = logo_signal(asset, hits["trio"])
    assert signal.evidence["method"] == "flat colour+shape"
    assert 0.6 <= signal.score <= 1.0
    assert signal.evidence["shape_agreement"] >= LogoParams().flat.min_agreement
    assert "colour(s) and shape agree" in signal.detail
    assert not math.isnan(signal.evidence["hu_distance"])


def test_feature_placement_of_coloured_squares_must_show_their_colours() -> None:
    """SIFT is blind to colour: a placement on squares in another firm's colours is vetoed."""
    params = FlatParams()
    ref = prepare_flat("t", ReferenceImage("t", on_white(squares(TRIO))), 0, params)
    assert ref is not None
    box = (330, 250, 330 + 192, 250 + 58)  # where ``pasted`` puts a 30 % wide mark
    assert FlatScene(pasted(squares(TRIO), 0.3), params).shows_colours(ref, box)
    assert not FlatScene(pasted(squares(OTHER_TRIO), 0.3), params).shows_colours(ref, box)
