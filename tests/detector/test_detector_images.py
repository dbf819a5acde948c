"""Image-copy matching: pinned hashes, copies found after resize/recompress/crop, others not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image, ImageOps

from detector.images import ImageIndex, hash_image, image_copy_signal
from detector.model import Asset, AssetKind, ListingImage, ReferenceImage
from detector.settings import DetectionSettings

SETTINGS = DetectionSettings()
Photo = Callable[..., Image.Image]


def asset_with(image: Image.Image, kind: AssetKind = AssetKind.PRODUCT_IMAGE) -> Asset:
    ref = ReferenceImage(sha256="ab" * 32, image=image, label="front view")
    return Asset(id="A-PHOTO", owner="o", kind=kind, name="Novaflex Runner", images=(ref,))


def distance(index: ImageIndex, image: Image.Image) -> float | None:
    found = index.match(
        [ListingImage(url="https://m.example/1.jpg", sha256="cd" * 32, image=image)]
    )
    return found["A-PHOTO"][0].distance if found else None


def test_known_hashes_are_pinned(photo: Photo) -> None:
    # (pHash, dHash, wHash) of generated photos; a change here changes every stored match.
    assert hash_image(photo(1)) == (0xF803552D6BA6F834, 0xFCBCBCE723332620, 0x00004461D1FFFFFE)
    assert hash_image(photo(7, (300, 300))) == (
        0xEA0E188DECF3990B,
        0xF3E3C94D23D3CD95,
        0x1811E0E0F1FFE1E5,
    )


def test_featureless_images_are_not_hashed() -> None:
    assert hash_image(Image.new("RGB", (400, 300), (250, 250, 250))) is None


@pytest.fixture(scope="module")
def index(photo: Photo) -> ImageIndex:
    return ImageIndex([asset_with(photo(1))], SETTINGS)


def crop(im: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    w, h = im.size
    return im.crop((int(w * left), int(h * top), w - int(w * right), h - int(h * bottom)))


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda im: im, id="identical"),
        pytest.param(lambda im: im.resize((200, 150)), id="downscaled"),
        pytest.param(lambda im: im.resize((1280, 960)), id="upscaled"),
        pytest.param(lambda im: im.convert("L").convert("RGB"), id="greyscale"),
        pytest.param(lambda im: crop(im, 0.03, 0, 0, 0), id="crop-3%-left"),
        pytest.param(lambda im: crop(im, 0.07, 0.07, 0, 0), id="crop-7%-corner"),
        pytest.param(lambda im: crop(im, 0.02, 0.03, 0.04, 0.05), id="crop-uneven"),
        pytest.param(lambda im: crop(im, 0, 0.08, 0.08, 0), id="crop-8%-corner"),
        pytest.param(lambda im: crop(im, 0.1, 0, 0, 0), id="crop-10%-left"),
        pytest.param(lambda im: crop(im, 0.05, 0.05, 0.05, 0.05), id="crop-10%-centre"),
    ],
)
def test_copies_are_found(index: ImageIndex, photo: Photo, jpeg: Callable, edit: Callable) -> None:
    copy = jpeg(edit(photo(1)).resize((480, 360)), 40)
    d = distance(index, copy)
    assert d is not None
    assert d <= SETTINGS.image_max_distance


@pytest.mark.parametrize("seed", range(2, 10))
def test_unrelated_photos_are_not_matched(index: ImageIndex, photo: Photo, seed: int) -> None:
    assert distance(index, photo(seed)) is None


def test_mirrored_copy_is_not_claimed(index: ImageIndex, photo: Photo) -> None:
    # v1 limit, pinned so a change is deliberate: mirrored copies are not detected.
    assert distance(index, ImageOps.mirror(photo(1))) is None


def test_undecoded_images_are_skipped(photo: Photo) -> None:
    idx = ImageIndex([asset_with(photo(1))], SETTINGS)
    assert idx.match([ListingImage(url="u", image=None)]) == {}
    empty = Asset(
        id="E", owner="o", kind=AssetKind.PRODUCT_IMAGE, name="x", images=(ReferenceImage("00"),)
    )
    assert ImageIndex([empty], SETTINGS).match([ListingImage(url="u", image=photo(1))]) == {}


def test_score_falls_with_distance(index: ImageIndex, photo: Photo, jpeg: Callable) -> None:
    asset = asset_with(photo(1))
    exact = index.match([ListingImage(url="a", image=photo(1))])["A-PHOTO"]
    edited = index.match([ListingImage(url="b", image=jpeg(crop(photo(1), 0.07, 0.07, 0, 0), 30))])
    s_exact = image_copy_signal(asset, exact, SETTINGS)
    s_edit = image_copy_signal(asset, edited["A-PHOTO"], SETTINGS)
    assert s_exact.score == 1.0
    assert 0.5 <= s_edit.score < s_exact.score


def test_signal_evidence_names_both_images(index: ImageIndex, photo: Photo) -> None:
    asset = asset_with(photo(1))
    img = ListingImage(url="https://m.example/1.jpg", sha256="cd" * 32, image=photo(1))
    signal = image_copy_signal(asset, index.match([img])["A-PHOTO"], SETTINGS)
    ev = signal.evidence
    assert ev["listing_image_url"] == "https://m.example/1.jpg"
    assert ev["listing_image_sha256"] == "cd" * 32
    assert ev["reference_sha256"] == "ab" * 32
    assert ev["reference_label"] == "front view"
    assert (ev["phash_distance"], ev["dhash_distance"], ev["whash_distance"]) == (0, 0, 0)
    assert signal.detail.startswith("Listing image https://m.example/1.jpg copies the registered")
