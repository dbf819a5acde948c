"""The logo stage's photo features from the image-signal cache: the demo shop's real photos and
brand kit give bit-identical logo matches cached and uncached, and a forged row is recomputed."""

from __future__ import annotations

import io
import pickle
import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from PIL import Image

from demomarket.brandkit import write_brand_kit
from detector.cache import findings_json
from detector.engine import Detector
from detector.image_cache import ImageSignalCache
from detector.image_signals import PhotoSignals
from detector.settings import DetectionSettings
from detector.vision.keypoints import describe_scene, work_shape
from detector.vision.logo_match import LogoParams
from detector.vision.logos import LogoMatcher
from model import ListingImage
from registry.store import Registry
from tests.detector.test_detector_workers import demo_listings

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from detector.vision.logo_match import LogoMatch
    from model import Asset, Listing

PARAMS = LogoParams()
KEY_PARAMS = f"{PARAMS.max_side},{PARAMS.scene_features}"
# Demo listings whose photos show the registered logo, and a few that do not.
WITH_LOGO = ("1001", "1002", "1003", "1015", "1017", "1024", "1026", "1027", "1030")
WITHOUT = ("1004", "1018", "1029")
# Only the stage under test: no network, OCR or region level, so the tests stay quick.
LOGOS_ONLY = replace(
    DetectionSettings(), descriptor_model="", ocr_max_images=0, region_max_images=0
)


@pytest.fixture(scope="module")
def demo_assets(tmp_path_factory: pytest.TempPathFactory) -> list[Asset]:
    registry = Registry("sqlite://")
    try:
        registry.import_file(write_brand_kit(tmp_path_factory.mktemp("kit")))
        return registry.detector_assets()
    finally:
        registry.close()


def upscaled(image: ListingImage, side: int = 1600) -> ListingImage:
    """A photo larger than the work size, so the stage shrinks it (scale < 1)."""
    assert image.image is not None
    big = image.image.resize((side, side), Image.Resampling.LANCZOS)
    return ListingImage(f"{image.url}?big", "b" * 64, big)


@pytest.fixture(scope="module")
def demo_photos() -> dict[str, tuple[ListingImage, ...]]:
    """The chosen demo listings' decoded photos, plus one of them upscaled past the work size."""
    by_id: dict[str, Listing] = {listing.id: listing for listing in demo_listings()}
    photos = {key: by_id[f"demo:{key}"].images for key in (*WITH_LOGO, *WITHOUT)}
    photos["big"] = (upscaled(photos["1001"][0]),)
    return photos


def described(matches: dict[str, list[LogoMatch]]) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a match says, exactly (floats unrounded), without the photo object."""
    return {
        asset_id: [
            (m.reference.sha256, m.inliers, m.candidates, m.bbox, m.polygon, m.view, m.outline)
            for m in found
        ]
        for asset_id, found in sorted(matches.items())
    }


def cached_matcher(assets: list[Asset], path: Path) -> tuple[LogoMatcher, PhotoSignals]:
    signals = PhotoSignals(ImageSignalCache(path), assets)
    matcher = LogoMatcher(assets)
    matcher.describe = signals.logo_features
    return matcher, signals


def match_all(
    matcher: LogoMatcher,
    photos: dict[str, Sequence[ListingImage]],
    signals: PhotoSignals | None = None,
) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    out = {}
    for key, images in photos.items():
        if signals is None:
            out[key] = described(matcher.match(images))
        else:
            with signals.listing(images):
                out[key] = described(matcher.match(images))
    return out


def test_cached_logo_features_give_bit_identical_matches_on_the_demo_photos(
    demo_assets: list[Asset], demo_photos: dict[str, tuple[ListingImage, ...]], tmp_path: Path
) -> None:
    expected = match_all(LogoMatcher(demo_assets), demo_photos)
    assert {key for key, found in expected.items() if found} >= {*WITH_LOGO, "big"}
    assert not any(expected[key] for key in WITHOUT)
    count = sum(len(images) for images in demo_photos.values())
    path = tmp_path / "images.sqlite"

    cold, signals = cached_matcher(demo_assets, path)
    assert match_all(cold, demo_photos, signals) == expected
    assert signals.extracted["logos"] == count and not signals.reused["logos"]

    warm, signals = cached_matcher(demo_assets, path)  # a new process reading the file
    assert match_all(warm, demo_photos, signals) == expected
    assert signals.reused["logos"] == count and not signals.extracted["logos"]
    # The stored features themselves: same values, same dtypes, same order.
    for images in demo_photos.values():
        with signals.listing(images):
            for item in images:
                assert item.image is not None
                stored = signals.logo_features(item.image, PARAMS.max_side, PARAMS.scene_features)
                fresh = describe_scene(item.image, PARAMS.max_side, PARAMS.scene_features)
                for name in ("points", "descriptors", "frames"):
                    a, b = getattr(stored, name), getattr(fresh, name)
                    assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert not signals.extracted["logos"]


def test_the_detector_reads_logo_features_from_the_cache(
    demo_assets: list[Asset], tmp_path: Path
) -> None:
    (listing,) = [item for item in demo_listings() if item.id == "demo:1001"]
    expected = findings_json(Detector(demo_assets, LOGOS_ONLY).detect(listing))
    assert "novaflex-logo" in expected
    path = tmp_path / "images.sqlite"
    first = Detector(demo_assets, LOGOS_ONLY, image_cache=path)
    assert findings_json(first.detect(listing)) == expected
    assert first.image_signals is not None
    assert first.image_signals.extracted["logos"] == len(listing.images)
    again = Detector(demo_assets, LOGOS_ONLY, image_cache=path)
    assert findings_json(again.detect(listing)) == expected
    assert again.image_signals is not None
    assert again.image_signals.reused["logos"] == len(listing.images)
    assert not again.image_signals.extracted["logos"]


class _Payload:
    """What an insider would store: unpickling it creates a file (runs code)."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (type(self.target).touch, (self.target,))


def _npz(compressed: bool = False, **arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)  # type: ignore[operator]
    return buffer.getvalue()


def _forgeries(
    stored: dict[str, np.ndarray], photo: Image.Image, pwned: Path
) -> dict[str, tuple[str, bytes]]:
    """(meta, arrays) rows an insider could write in place of the photo's real one."""
    points, desc, frames = stored["points"], stored["descriptors"], stored["frames"]
    scale, _ = work_shape(photo.size, PARAMS.max_side)
    evil = io.BytesIO()
    np.savez(evil, points=np.array([_Payload(pwned)], dtype=object), allow_pickle=True)
    flipped = frames.copy()
    flipped[0, 0] = -1.0
    nan = frames.copy()
    nan[0, 1] = np.nan
    return {
        "pickled object": ("{}", evil.getvalue()),
        "python pickle": ("{}", pickle.dumps({"points": points})),
        "truncated zip": ("{}", b"PK\x03\x04 truncated"),
        "compressed member": (
            "{}",
            _npz(True, points=points, descriptors=desc, frames=frames),
        ),
        # Inside the photo, outside the shrunk image the features were taken from.
        "points in photo pixels": (
            "{}",
            _npz(points=points / np.float32(scale), descriptors=desc, frames=frames),
        ),
        "negative size": ("{}", _npz(points=points, descriptors=desc, frames=flipped)),
        "angle not a number": ("{}", _npz(points=points, descriptors=desc, frames=nan)),
        "short descriptors": (
            "{}",
            _npz(points=points, descriptors=desc[:, :64], frames=frames),
        ),
        "frames missing": ("{}", _npz(points=points, descriptors=desc)),
        "one frame short": ("{}", _npz(points=points, descriptors=desc, frames=frames[:-1])),
        "meta not an object": ("[]", _npz(points=points, descriptors=desc, frames=frames)),
    }


FORGERIES = (
    "pickled object",
    "python pickle",
    "truncated zip",
    "compressed member",
    "points in photo pixels",
    "negative size",
    "angle not a number",
    "short descriptors",
    "frames missing",
    "one frame short",
    "meta not an object",
)


@pytest.fixture(scope="module")
def big_expected(
    demo_assets: list[Asset], demo_photos: dict[str, tuple[ListingImage, ...]]
) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """The upscaled photo's matches, uncached."""
    expected = match_all(LogoMatcher(demo_assets), {"big": demo_photos["big"]})
    assert expected["big"]  # the logo is found: a forged row could hide or move it
    return expected


@pytest.mark.parametrize("forgery", FORGERIES)
def test_an_insider_writing_a_malicious_logo_row_gets_it_recomputed_not_loaded(
    forgery: str,
    demo_assets: list[Asset],
    demo_photos: dict[str, tuple[ListingImage, ...]],
    big_expected: dict[str, dict[str, list[tuple[Any, ...]]]],
    tmp_path: Path,
) -> None:
    images = demo_photos["big"]
    (item,) = images
    assert item.image is not None and item.sha256 is not None
    expected = big_expected
    path = tmp_path / "images.sqlite"
    matcher, signals = cached_matcher(demo_assets, path)
    match_all(matcher, {"big": images}, signals)
    key = signals.cache.key("logos", KEY_PARAMS, item.sha256)
    row = signals.cache.get(key)
    assert row is not None
    pwned = tmp_path / "pwned"
    meta, arrays = _forgeries(row[1], item.image, pwned)[forgery]
    with sqlite3.connect(path) as db:
        changed = db.execute(
            "UPDATE signals SET meta = ?, arrays = ? WHERE key = ?", (meta, arrays, key)
        ).rowcount
    assert changed == 1

    matcher, signals = cached_matcher(demo_assets, path)
    assert match_all(matcher, {"big": images}, signals) == expected
    assert not pwned.exists()  # nothing stored was unpickled
    assert signals.cache.dropped == 1
    assert signals.extracted["logos"] == 1 and not signals.reused["logos"]
    # The recomputed row replaced the forged one: the next reader takes it as it is.
    matcher, signals = cached_matcher(demo_assets, path)
    assert match_all(matcher, {"big": images}, signals) == expected
    assert signals.reused["logos"] == 1 and not signals.extracted["logos"]
