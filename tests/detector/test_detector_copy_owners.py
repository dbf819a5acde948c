"""One owner per copied photo: two firms' similar product photos drawn here; a seller copies one."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageDraw

from detector.copy_owners import STRONG_INLIERS, one_owner_per_copy
from detector.engine import Detector
from detector.settings import DetectionSettings
from detector.vision.copycheck import CopyChecker
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage, Signal


def product_shot(seed: int) -> Image.Image:
    """A dark-blue bottle on a light ground with its own fine grain: one firm's own photo.

    Two seeds give the same layout and colours (the hashes see look-alikes) but a different
    grain, so only a copy shares local features with its source.
    """
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (640, 480), (236, 236, 230))
    draw = ImageDraw.Draw(im)
    draw.rounded_rectangle([250, 60, 390, 440], radius=40, fill=(30, 50, 120))
    draw.rectangle([295, 20, 345, 70], fill=(30, 50, 120))
    pixels = np.asarray(im, np.float32)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (480, 640)).astype(np.float32), (0, 0), 1.5)
    label = (slice(150, 400), slice(265, 375))
    pixels[label] += (grain[label] / grain.std() * 15)[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def jpeg(im: Image.Image, quality: int = 80) -> Image.Image:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def photo_asset(asset_id: str, owner: str, image: Image.Image) -> Asset:
    ref = ReferenceImage(f"sha-{asset_id}", image, label=asset_id)
    return Asset(asset_id, owner, AssetKind.PRODUCT_IMAGE, asset_id, images=(ref,))


# The hash radius is widened so that the two look-alike photos both reach the hash level, as a
# look-alike reached the learned level on the unseen set; the descriptor is off (no model).
SETTINGS = DetectionSettings(descriptor_model="", image_max_distance=16)


@pytest.fixture(scope="module")
def detector() -> Detector:
    settings = SETTINGS
    return Detector(
        [
            photo_asset("aquila-bottle", "Aquila GmbH", product_shot(1)),
            photo_asset("borea-bottle", "Borea Ltd", product_shot(2)),
        ],
        settings,
    )


def copy_owners(detector: Detector, image: Image.Image) -> set[str]:
    listing = Listing(
        "l1",
        "shop",
        "https://shop.example/l1",
        "Insulated bottle 750 ml",
        images=(ListingImage("https://shop.example/l1.jpg", None, image),),
    )
    return {
        f.asset_id
        for f in detector.detect(listing)
        if any(s.kind == "image_copy" for s in f.signals)
    }


def test_the_two_photos_look_alike_to_the_hash_level() -> None:
    """The premise: without the owner rule both owners' photos match the copy."""
    from detector.images import ImageIndex

    assets = [
        photo_asset("aquila-bottle", "Aquila GmbH", product_shot(1)),
        photo_asset("borea-bottle", "Borea Ltd", product_shot(2)),
    ]
    index = ImageIndex(assets, SETTINGS)
    copy = jpeg(product_shot(1).resize((512, 384)))
    assert set(index.match([ListingImage("u", None, copy)])) == {"aquila-bottle", "borea-bottle"}


def test_copy_of_one_photo_is_not_attributed_to_the_second_owner(detector: Detector) -> None:
    copy = jpeg(product_shot(1).resize((512, 384)))
    assert copy_owners(detector, copy) == {"aquila-bottle"}
    copy = jpeg(product_shot(2), quality=75)
    assert copy_owners(detector, copy) == {"borea-bottle"}


def test_winner_evidence_names_the_owner_it_was_contested_with(detector: Detector) -> None:
    listing = Listing(
        "l2",
        "shop",
        "https://shop.example/l2",
        "Bottle",
        images=(ListingImage("https://shop.example/l2.jpg", None, jpeg(product_shot(1))),),
    )
    (finding,) = [f for f in detector.detect(listing) if f.asset_id == "aquila-bottle"]
    (signal,) = [s for s in finding.signals if s.kind == "image_copy"]
    (contest,) = signal.evidence["contested_with"]
    assert contest["owner"] == "Borea Ltd" and contest["kept"] is False
    assert contest["winner_inliers"] > contest["inliers"]


def _signal(asset_id: str, url: str, score: float) -> Signal:
    pairs = [{"listing_image_url": url, "reference_sha256": f"sha-{asset_id}"}]
    return Signal("image_copy", score, "copy", {"pairs": pairs})


def test_a_photo_holding_both_owners_photos_is_reported_to_both() -> None:
    """A collage of two real photos: both verify strongly, so neither owner loses its finding."""
    left = Image.fromarray(skimage.data.coffee()).resize((400, 300))
    right = Image.fromarray(skimage.data.chelsea()).resize((400, 300))
    collage = Image.new("RGB", (800, 300))
    collage.paste(left, (0, 0))
    collage.paste(right, (400, 0))
    assets = {
        "cup": photo_asset("cup", "Aquila GmbH", left),
        "cat": photo_asset("cat", "Borea Ltd", right),
    }
    url = "https://shop.example/c.jpg"
    signals = {"cup": _signal("cup", url, 0.7), "cat": _signal("cat", url, 0.9)}
    images = [ListingImage(url, None, jpeg(collage))]
    kept = one_owner_per_copy(signals, assets, images, CopyChecker())
    assert set(kept) == {"cup", "cat"}
    contest = kept["cat"].evidence["contested_with"]
    assert contest[0]["kept"] is True and contest[0]["inliers"] >= STRONG_INLIERS


def test_same_owner_assets_are_not_contested() -> None:
    image = product_shot(1)
    assets = {
        "a1": photo_asset("a1", "Aquila GmbH", image),
        "a2": photo_asset("a2", "Aquila GmbH", product_shot(2)),
    }
    url = "https://shop.example/s.jpg"
    signals = {"a1": _signal("a1", url, 0.9), "a2": _signal("a2", url, 0.6)}
    kept = one_owner_per_copy(signals, assets, [ListingImage(url, None, image)], CopyChecker())
    assert set(kept) == {"a1", "a2"} and "contested_with" not in kept["a1"].evidence
