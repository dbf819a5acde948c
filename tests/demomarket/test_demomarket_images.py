"""Images are deterministic, copies stay perceptually close, hostile files stay hostile."""

from __future__ import annotations

import io
import itertools

import imagehash
import pytest
from PIL import Image

from demomarket import CATALOG, images

OFFICIAL = [f"{stem}.png" for stem in images.OFFICIAL] + ["novaflex-logo.png"]


def _open(name: str) -> Image.Image:
    return Image.open(io.BytesIO(images.cached(name)[0]))


def _phash(name: str) -> imagehash.ImageHash:
    return imagehash.phash(_open(name))


def test_rendering_is_deterministic() -> None:
    for name in ("novaflex-aero-runner.png", "lumora-halo-lamp--copy-a.jpg", "gen-mug.jpg"):
        assert images.render(name) == images.render(name)  # render() never caches


def test_copies_differ_in_bytes_but_not_in_perceptual_hash() -> None:
    for original in OFFICIAL:
        stem = original.removesuffix(".png")
        for variant in images.COPY_VARIANTS:
            copy = f"{stem}--copy-{variant}.jpg"
            assert images.cached(copy)[0] != images.cached(original)[0]
            assert _open(copy).size < _open(original).size
            assert _phash(copy) - _phash(original) <= 10, copy


def test_official_photos_are_perceptually_distinct_from_each_other_and_from_others() -> None:
    hashes = {name: _phash(name) for name in OFFICIAL}
    for a, b in itertools.combinations(OFFICIAL, 2):
        assert hashes[a] - hashes[b] >= 16, (a, b)
    unrelated = sorted(n for n in CATALOG.image_names() if n.startswith("gen-"))
    for name in unrelated:
        assert min(_phash(name) - h for h in hashes.values()) >= 16, name


def test_unknown_names_raise_key_error() -> None:
    for name in ("nothing.png", "novaflex-aero-runner--copy-z.jpg", "gen-mug.png", "x.exe"):
        with pytest.raises(KeyError):
            images.render(name)


def test_huge_png_is_small_in_bytes_but_81_megapixels() -> None:
    data, media = images.render("hostile-huge.png")
    assert media == "image/png" and len(data) < 64_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (9000, 9000)


def test_bomb_png_is_refused_by_pillow() -> None:
    data, _ = images.render("hostile-bomb.png")
    assert len(data) < 64_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(data))


def test_corrupt_jpeg_opens_then_fails_to_decode() -> None:
    data, media = images.render("hostile-corrupt.jpg")
    assert media == "image/jpeg"
    with Image.open(io.BytesIO(data)) as image, pytest.raises(OSError, match="truncated"):
        image.load()
