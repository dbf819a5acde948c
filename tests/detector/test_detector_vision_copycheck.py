"""The geometric check behind the learned descriptor: copies pass, look-alikes do not."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import numpy as np
import skimage.data
from PIL import Image, ImageDraw, ImageOps

from detector.engine import Detector
from detector.vision.copycheck import MIN_INLIERS, CopyChecker
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage, Seller
from tests.detector.test_detector_vision_logos import render_logo


def real_photo(name: str) -> Image.Image:
    rgb = getattr(skimage.data, name)()
    if rgb.ndim == 2:
        rgb = np.stack([rgb] * 3, -1)
    return Image.fromarray(np.ascontiguousarray(rgb[..., :3]))


def hard_copy(image: Image.Image) -> Image.Image:
    """Tight crop (half the side), a price banner across it, a white border, resized."""
    w, h = image.size
    crop = image.crop((w // 4, h // 4, w * 3 // 4, h * 3 // 4)).copy()
    ImageDraw.Draw(crop).rectangle((0, crop.height - 40, crop.width, crop.height), fill="red")
    return ImageOps.expand(crop, border=30, fill="white").resize((300, 300))


def on_white(slug: str) -> Image.Image:
    logo = render_logo(slug, 300)
    flat = Image.new("RGB", logo.size, "white")
    flat.paste(logo, mask=logo.getchannel("A"))
    return flat


def test_a_hard_copy_shares_a_homography_with_its_source() -> None:
    source = real_photo("astronaut")
    check = CopyChecker().check("ref", source, hard_copy(source))
    assert check.passed and check.inliers >= MIN_INLIERS


def test_look_alike_images_do_not_pass() -> None:
    checker = CopyChecker()
    assert not checker.check("a", on_white("adidas"), on_white("puma")).passed
    assert not checker.check("b", real_photo("coffee"), real_photo("chelsea")).passed


def listing(image: Image.Image) -> Listing:
    return Listing(
        id="L-1",
        marketplace="m",
        url="https://shop.example/1",
        title="Poster print",
        price=Decimal("5"),
        currency="EUR",
        seller=Seller(id="s-9", name="Cheap Prints"),
        images=(ListingImage(url="https://cdn.example/1.jpg", image=image),),
    )


def test_detector_finds_a_hard_copy_through_the_descriptor_and_explains_it() -> None:
    source = real_photo("astronaut")
    asset = Asset(
        id="A-PHOTO",
        owner="o",
        kind=AssetKind.PRODUCT_IMAGE,
        name="Astronaut poster",
        authorized_sellers=("Official",),
        images=(ReferenceImage(sha256="ab" * 32, image=source, label="front"),),
    )
    [finding] = Detector([asset]).detect(listing(hard_copy(source)))
    copy = next(s for s in finding.signals if s.kind == "image_copy")
    assert copy.evidence["level"] == "descriptor"
    assert copy.evidence["geometric_inliers"] >= MIN_INLIERS
    assert finding.flagged


def test_detector_does_not_take_another_logo_on_white_for_a_copy() -> None:
    asset = Asset(
        id="A-LOGO-PHOTO",
        owner="o",
        kind=AssetKind.PRODUCT_IMAGE,
        name="Adidas-like print",
        images=(ReferenceImage(sha256="cd" * 32, image=on_white("adidas")),),
    )
    other = dataclasses.replace(listing(on_white("puma")), title="Cat sticker")
    assert Detector([asset]).detect(other) == []
