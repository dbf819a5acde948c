"""Region-level copies: a registered photo pasted into part of another picture or a screenshot."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from detector.engine import Detector
from detector.settings import DetectionSettings, SettingsError
from detector.vision.regions import (
    MIN_INLIERS,
    RegionIndex,
    describe,
    region_copy_signal,
    root_sift,
    verify,
)
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage, Seller
from tests.detector.conftest import listing as base_listing
from tests.detector.test_detector_vision_copycheck import real_photo


def photo_asset(asset_id: str, name: str, image: Image.Image) -> Asset:
    return Asset(
        id=asset_id,
        owner="o",
        kind=AssetKind.PRODUCT_IMAGE,
        name=name,
        images=(ReferenceImage(f"sha-{asset_id}", image, label=f"{name} official photo"),),
        authorized_sellers=("official",),
    )


def pasted(source: Image.Image, background: Image.Image, box: tuple[int, int, int]) -> Image.Image:
    """``source`` shrunk to ``box[2]`` pixels wide and pasted at (box[0], box[1])."""
    x, y, width = box
    small = source.resize((width, round(source.height * width / source.width)))
    frame = background.copy()
    frame.paste(small, (x, y))
    return frame


def screenshot(source: Image.Image) -> Image.Image:
    """A phone 'page': header bar, the photo in the middle third, text lines under it."""
    page = Image.new("RGB", (414, 736), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 414, 64), fill=(40, 90, 200))
    for row in range(8):
        draw.rectangle((20, 520 + 24 * row, 20 + 30 * (row % 5 + 6), 532 + 24 * row), fill="grey")
    return pasted(source, page, (32, 120, 350))


def listing(*images: Image.Image) -> Listing:
    """A cheap listing by an unknown seller carrying ``images``."""
    return base_listing(
        "Camera kit",
        price=Decimal("5"),
        seller=Seller(id="s-9", name="Cheap Prints"),
        images=tuple(
            ListingImage(url=f"https://cdn.example/{n}.jpg", sha256=f"l{n}", image=im)
            for n, im in enumerate(images)
        ),
    )


@pytest.fixture(scope="module")
def assets() -> list[Asset]:
    return [
        photo_asset("A-CAM", "Cameraman", real_photo("camera")),
        photo_asset("A-COFFEE", "Coffee", real_photo("coffee")),
        photo_asset("A-ROCKET", "Rocket", real_photo("rocket")),
    ]


def test_root_sift_rows_have_unit_length() -> None:
    rows = root_sift(np.abs(np.random.default_rng(0).normal(size=(5, 128))).astype(np.float32))
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert root_sift(np.zeros((0, 128), np.float32)).shape == (0, 128)


def test_a_photo_pasted_into_another_is_found_with_its_region(assets: list[Asset]) -> None:
    frame = pasted(real_photo("coffee"), real_photo("astronaut"), (60, 140, 260))
    found = RegionIndex(assets).match(listing(frame).images)
    assert set(found) == {"A-COFFEE"}
    match = found["A-COFFEE"][0]
    assert match.verification.inliers >= MIN_INLIERS
    x0, y0, x1, y1 = match.verification.bbox
    # 260 px wide at (60, 140); the coffee photo is 600x400, so 173 px tall.
    assert abs(x0 - 60) <= 6 and abs(y0 - 140) <= 6 and abs(x1 - 320) <= 6 and abs(y1 - 313) <= 6
    assert len(match.verification.polygon) == 4
    assert 0.1 < match.verification.area_fraction < 0.25


def test_a_photo_in_a_page_screenshot_is_found(assets: list[Asset]) -> None:
    found = RegionIndex(assets).match(listing(screenshot(real_photo("rocket"))).images)
    assert set(found) == {"A-ROCKET"}


def test_unrelated_and_look_alike_photos_are_not_copies(assets: list[Asset]) -> None:
    index = RegionIndex(assets)
    others = [real_photo(n) for n in ("astronaut", "chelsea", "hubble_deep_field", "brick")]
    assert index.match(listing(*others).images) == {}


def test_a_mirrored_paste_is_not_a_region_copy(assets: list[Asset]) -> None:
    """A mirror image cannot come from one homography; the hash level has mirrored variants."""
    reference = describe(real_photo("coffee"), 640, 1000)
    flipped = ImageOps.mirror(pasted(real_photo("coffee"), real_photo("astronaut"), (60, 80, 300)))
    assert verify(reference, describe(flipped, 1024, 3000)) is None


def test_blank_and_tiny_listing_photos_are_harmless(assets: list[Asset]) -> None:
    index = RegionIndex(assets)
    blank = Image.new("RGB", (800, 600), "white")
    tiny = Image.new("RGB", (3, 2), "red")
    undecoded = ListingImage(url="https://cdn.example/x.jpg")
    images = (*listing(blank, tiny).images, undecoded)
    assert index.match(images) == {}


def test_no_product_photos_means_no_index() -> None:
    logo = Asset("A-LOGO", "o", AssetKind.FIGURATIVE_MARK, "Logo", images=())
    assert not RegionIndex([logo]).needed


def test_signal_explains_the_pair_and_carries_the_region(assets: list[Asset]) -> None:
    frame = pasted(real_photo("coffee"), real_photo("astronaut"), (40, 60, 320))
    matches = RegionIndex(assets).match(listing(frame, frame.copy()).images)["A-COFFEE"]
    signal = region_copy_signal(assets[1], matches)
    assert signal.kind == "image_copy" and 0.5 <= signal.score <= 1.0
    assert "Coffee official photo" in signal.detail and "1 more listing photo" in signal.detail
    evidence = signal.evidence
    assert evidence["level"] == "region" and evidence["reference_sha256"] == "sha-A-COFFEE"
    assert evidence["listing_image_url"] == "https://cdn.example/0.jpg"
    assert len(evidence["bbox"]) == 4 and len(evidence["polygon"]) == 4
    json.dumps(evidence)  # stored with the finding as JSON
    with pytest.raises(ValueError):
        region_copy_signal(assets[1], [])


def test_detector_flags_a_pasted_copy_sold_by_a_stranger(assets: list[Asset]) -> None:
    frame = screenshot(real_photo("camera"))
    findings = Detector(assets).detect(listing(frame))
    by_asset = {f.asset_id: f for f in findings}
    assert set(by_asset) == {"A-CAM"}
    copy = next(s for s in by_asset["A-CAM"].signals if s.kind == "image_copy")
    assert copy.evidence["level"] in ("region", "descriptor", "hash")
    assert by_asset["A-CAM"].flagged


def test_the_region_level_alone_finds_it_when_the_others_are_off(assets: list[Asset]) -> None:
    settings = dataclasses.replace(DetectionSettings(), descriptor_model="")
    frame = pasted(real_photo("camera"), real_photo("chelsea"), (10, 10, 300))
    (finding,) = Detector(assets, settings).detect(listing(frame))
    copy = next(s for s in finding.signals if s.kind == "image_copy")
    assert copy.evidence["level"] == "region"
    off = dataclasses.replace(settings, region_max_images=0)
    assert Detector(assets, off).detect(listing(frame)) == []


@pytest.mark.parametrize("field,value", [("region_max_images", -1), ("region_min_inliers", 4)])
def test_settings_reject_bad_region_values(field: str, value: int) -> None:
    with pytest.raises(SettingsError, match=field):
        dataclasses.replace(DetectionSettings(), **{field: value})
