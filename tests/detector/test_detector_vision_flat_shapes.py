"""Flat logos found by colour and shape, drawn here (not the bench set): a lightning bolt, a
two-colour pennant and a cut-out ring, pasted turned or squeezed into real skimage photos; and
what must not pass for them: a dark patch over the bolt's outline, the bolt in another firm's
colour, a plain disc where the ring is cut out. And the colour veto on SIFT placements: a
one-colour mark found by SIFT in another colour stays found, a two-colour one does not."""

from __future__ import annotations

import io

import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageDraw

from detector.vision.flat_index import FlatIndex
from detector.vision.flat_logos import FlatParams, FlatScene, prepare_flat
from detector.vision.logos import LogoMatcher
from model import Asset, AssetKind, ListingImage, ReferenceImage

BOLT = [(55, 0), (20, 55), (45, 55), (30, 100), (80, 38), (54, 38), (72, 0)]  # a concave bolt


def bolt(colour: str, size: int = 300) -> Image.Image:
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    s = size / 100
    ImageDraw.Draw(im).polygon([(x * s, y * s) for x, y in BOLT], fill=colour)
    return im.crop(im.getchannel("A").getbbox())


def bolt_hull_patch(colour: str, size: int = 300) -> Image.Image:
    """A solid patch the shape of the bolt's convex hull: the bolt's colour and size, no bolt."""
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    s = size / 100
    hull = [(55, 0), (72, 0), (80, 38), (30, 100), (20, 55)]
    ImageDraw.Draw(im).polygon([(x * s, y * s) for x, y in hull], fill=colour)
    return im.crop(im.getchannel("A").getbbox())


def pennant(size: int = 300) -> Image.Image:
    """Two flat colours: a teal band and a yellow triangle on it."""
    im = Image.new("RGBA", (size, size * 6 // 10), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.rectangle([0, 0, size - 1, size * 6 // 10 - 1], fill="#00796b")
    draw.polygon([(0, 0), (size * 45 // 100, size * 3 // 10), (0, size * 6 // 10)], fill="#fbc02d")
    return im


def ring(colour: str, size: int = 300, cut: bool = True) -> Image.Image:
    """A disc with an off-centre square cut out (or, ``cut=False``, the plain disc)."""
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.ellipse([0, 0, size - 1, size - 1], fill=colour)
    if cut:
        draw.rectangle([size * 0.45, size * 0.25, size * 0.75, size * 0.55], fill=(0, 0, 0, 0))
    return im


def on_white(mark: Image.Image) -> Image.Image:
    pad = mark.width // 8
    ground = Image.new("RGB", (mark.width + 2 * pad, mark.height + 2 * pad), "white")
    ground.paste(mark, (pad, pad), mark)
    return ground


def pasted(
    mark: Image.Image,
    width_fraction: float,
    *,
    turn: float = 0.0,
    squeeze: float = 1.0,
    photo: str = "chelsea",
    at: tuple[int, int] = (120, 80),
) -> Image.Image:
    """The mark pasted into a real photo (turned, squeezed), saved as a JPEG."""
    rgb = getattr(skimage.data, photo)()
    scene = Image.fromarray(rgb[..., :3]).convert("RGB").resize((640, 480))
    width = round(640 * width_fraction)
    height = max(1, round(mark.height * width / mark.width * squeeze))
    small = mark.resize((width, height), Image.LANCZOS)
    if turn:
        small = small.rotate(turn, resample=Image.BICUBIC, expand=True)
    scene.paste(small, at, small)
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=88)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def asset(asset_id: str, image: Image.Image) -> Asset:
    ref = ReferenceImage(f"sha-{asset_id}", image, label=asset_id)
    return Asset(asset_id, f"owner-{asset_id}", AssetKind.FIGURATIVE_MARK, asset_id, images=(ref,))


@pytest.fixture(scope="module")
def matcher() -> LogoMatcher:
    return LogoMatcher(
        [
            asset("bolt", on_white(bolt("#212121"))),
            asset("pennant", on_white(pennant())),
            asset("ring", on_white(ring("#d32f2f"))),
        ]
    )


def found(matcher: LogoMatcher, image: Image.Image) -> set[str]:
    return set(matcher.match([ListingImage("https://shop.example/p.jpg", None, image)]))


def test_all_three_drawn_logos_are_flat_references(matcher: LogoMatcher) -> None:
    assert matcher.flat_references == 3


@pytest.mark.parametrize(
    ("name", "mark", "kwargs"),
    [
        ("bolt_turned", lambda: bolt("#212121"), {"width_fraction": 0.12, "turn": 25.0}),
        ("bolt_squeezed", lambda: bolt("#212121"), {"width_fraction": 0.15, "squeeze": 0.75}),
        ("pennant_turned", pennant, {"width_fraction": 0.18, "turn": -20.0}),
        ("pennant_squeezed", pennant, {"width_fraction": 0.25, "squeeze": 1.3}),
        ("ring_small", lambda: ring("#d32f2f"), {"width_fraction": 0.1}),
        (
            "ring_turned_on_rocket",
            lambda: ring("#d32f2f"),
            {"width_fraction": 0.2, "turn": 30.0, "photo": "rocket", "at": (60, 260)},
        ),
    ],
)
def test_drawn_flat_logo_pasted_into_a_photo_is_found(
    matcher: LogoMatcher, name: str, mark, kwargs
) -> None:
    assert name.split("_")[0] in found(matcher, pasted(mark(), **kwargs))


def test_dark_patch_over_the_bolts_outline_is_not_the_bolt(matcher: LogoMatcher) -> None:
    image = pasted(bolt_hull_patch("#212121"), 0.15)
    assert "bolt" not in found(matcher, image)


def test_bolt_in_another_firms_colour_is_not_the_bolt(matcher: LogoMatcher) -> None:
    image = pasted(bolt("#1e88e5"), 0.15)
    assert "bolt" not in found(matcher, image)


def test_plain_disc_in_the_rings_colour_is_not_the_cut_out_ring(matcher: LogoMatcher) -> None:
    image = pasted(ring("#d32f2f", cut=False), 0.15)
    assert "ring" not in found(matcher, image)


def test_open_holes_tell_the_bolt_from_its_hull_patch() -> None:
    params = FlatParams()
    ref = prepare_flat("bolt", ReferenceImage("b", on_white(bolt("#212121"))), 0, params)
    assert ref is not None
    real = FlatScene(pasted(bolt("#212121"), 0.15), params).find(ref)
    assert real is not None and real.check.holes >= params.min_open_holes_one_colour
    patch = pasted(bolt_hull_patch("#212121"), 0.15)
    assert FlatScene(patch, params).find(ref) is None


def test_colour_index_keeps_only_references_whose_colours_the_photo_shows() -> None:
    params = FlatParams()
    refs = [
        prepare_flat(name, ReferenceImage(name, on_white(mark)), 0, params)
        for name, mark in (("ring", ring("#d32f2f")), ("pennant", pennant()))
    ]
    assert all(r is not None for r in refs)
    index = FlatIndex([r for r in refs if r is not None])
    scene = FlatScene(pasted(ring("#d32f2f"), 0.2, photo="camera"), params)  # grey photo
    smallest = params.min_area_fraction * scene.pixels
    assert [r.asset_id for r in index.candidates(scene.histogram, smallest)] == ["ring"]
    # The index says what the per-reference colour gate says, for each reference.
    grey = np.full((64, 64, 3), 128, np.uint8)
    empty = FlatScene(Image.fromarray(grey), params)
    assert index.candidates(empty.histogram, params.min_area_fraction * empty.pixels) == []


# An irregular polygon with two cut-outs: flat (few edges) yet with corners SIFT can place.
BLOB = [(241, 152), (251, 160), (218, 165), (225, 170), (204, 258), (135, 268), (38, 120)]
BLOB += [(56, 123), (35, 59), (55, 40), (134, 29), (135, 32), (197, 37), (190, 60), (199, 89)]
BLOB += [(231, 55), (243, 93), (235, 113)]
BLOB_HOLES = [(141, 172, 182, 198), (148, 129, 180, 155)]


def blob(colour: str, second: str | None = None) -> Image.Image:
    """The polygon in one colour, or (``second``) with its lower part in a second colour."""
    im = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.polygon(BLOB, fill=colour)
    if second is not None:
        band = Image.new("L", im.size, 0)
        ImageDraw.Draw(band).polygon([(0, 165), (300, 120), (300, 300), (0, 300)], fill=255)
        inside = np.asarray(im.getchannel("A")) > 0
        lower = Image.fromarray(np.where(inside & (np.asarray(band) > 0), 255, 0).astype(np.uint8))
        im.paste(second, (0, 0, 300, 300), lower)
    for hole in BLOB_HOLES:
        draw.rectangle(hole, fill=(0, 0, 0, 0))
    return im.crop(im.getchannel("A").getbbox())


def test_one_colour_mark_found_by_sift_in_another_colour_is_still_found() -> None:
    """A mark registered in one colour is commonly printed in any: SIFT's placement stands."""
    assets = [asset("blob", on_white(blob("#c62828")))]
    with_flat = LogoMatcher(assets)
    ref = prepare_flat("blob", assets[0].images[0], 0, FlatParams())
    assert ref is not None and len(ref.shares) == 1  # a one-colour flat reference
    image = pasted(blob("#212121"), 0.35)
    assert "blob" in found(LogoMatcher(assets, flat=False), image)  # SIFT places it
    assert "blob" in found(with_flat, image)


def test_two_colour_mark_found_by_sift_in_other_colours_is_vetoed() -> None:
    """Two colours in their arrangement are the mark: SIFT, blind to colour, is overruled."""
    assets = [asset("blob", on_white(blob("#c62828", "#1565c0")))]
    with_flat = LogoMatcher(assets)
    ref = prepare_flat("blob", assets[0].images[0], 0, FlatParams())
    assert ref is not None and len(ref.shares) == 2
    assert "blob" in found(with_flat, pasted(blob("#c62828", "#1565c0"), 0.35))
    image = pasted(blob("#2e7d32", "#6a1b9a"), 0.35)
    assert "blob" in found(LogoMatcher(assets, flat=False), image)  # SIFT places it
    assert "blob" not in found(with_flat, image)
