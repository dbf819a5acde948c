"""The detector's photo extractors asked of the image-signal cache: a photo is described once."""

from __future__ import annotations

import io
import pickle
import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from detector.engine import Detector
from detector.image_cache import ImageSignalCache
from detector.settings import DetectionSettings
from model import Asset, AssetKind, Listing, ListingImage, Seller
from tests.detector.conftest import listing as base_listing
from tests.detector.test_detector_vision_copycheck import real_photo
from tests.detector.test_detector_vision_regions import pasted, photo_asset

if TYPE_CHECKING:
    from PIL import Image

    from model import Finding

SETTINGS = DetectionSettings()
PHOTO_SHA = "f" * 64
KINDS = ("hashes", "descriptor", "copycheck", "regions", "ocr")


@pytest.fixture(scope="module")
def assets() -> list[Asset]:
    """Two registered product photos and a word mark (so listing photos are OCR'd too)."""
    return [
        photo_asset("A-CAM", "Cameraman", real_photo("camera")),
        photo_asset("A-COFFEE", "Coffee", real_photo("coffee")),
        Asset(id="A-NOVA", owner="Novaflex GmbH", kind=AssetKind.WORD_MARK, name="NOVAFLEX"),
    ]


@pytest.fixture(scope="module")
def copy_photo() -> Image.Image:
    """The registered camera photo pasted into part of another picture: the hashes miss it, the
    descriptor proposes it (so the copy check runs) and the region level finds it."""
    return pasted(real_photo("camera"), real_photo("rocket").resize((800, 600)), (200, 100, 400))


def listing(n: int, image: Image.Image) -> Listing:
    return base_listing(
        "Camera kit",
        id=f"L-{n}",
        url=f"https://shop.example/item/{n}",
        price=Decimal("5"),
        seller=Seller(id=f"s-{n}", name="Cheap Prints"),
        images=(ListingImage(url=f"https://cdn.example/{n}.jpg", sha256=PHOTO_SHA, image=image),),
    )


def summary(findings: list[Finding]) -> list[tuple[str, float, list[str]]]:
    return [(f.asset_id, f.risk, [s.kind for s in f.signals]) for f in findings]


def detector(assets: list[Asset], path: Path, **cache: object) -> Detector:
    return Detector(assets, SETTINGS, image_cache=ImageSignalCache(path, **cache))  # type: ignore[arg-type]


def test_a_photo_seen_on_another_listing_is_not_extracted_again(
    assets: list[Asset], copy_photo: Image.Image, tmp_path: Path
) -> None:
    det = detector(assets, tmp_path / "images.sqlite")
    assert det.image_signals is not None
    first = det.detect(listing(1, copy_photo))
    cold = dict(det.image_signals.extracted)
    assert all(cold.get(kind, 0) >= 1 for kind in KINDS), cold  # every extractor really ran
    assert summary(first)[0][:1] == ("A-CAM",)

    second = det.detect(listing(2, copy_photo))
    assert dict(det.image_signals.extracted) == cold  # nothing extracted for the second listing
    assert all(det.image_signals.reused[kind] >= 1 for kind in KINDS)
    assert summary(second) == summary(first)
    assert second[0].listing_id == "L-2"


def test_a_photo_without_a_digest_is_extracted_every_time(
    assets: list[Asset], copy_photo: Image.Image, tmp_path: Path
) -> None:
    det = detector(assets, tmp_path / "images.sqlite")
    assert det.image_signals is not None
    for n in (1, 2):
        unnamed = replace(
            listing(n, copy_photo), images=(ListingImage("https://x/1.jpg", None, copy_photo),)
        )
        det.detect(unnamed)
    assert det.image_signals.extracted["hashes"] == 2
    assert not det.image_signals.reused["hashes"]


def test_adding_an_asset_rematches_the_photo_from_the_cache(
    assets: list[Asset], copy_photo: Image.Image, tmp_path: Path
) -> None:
    path = tmp_path / "images.sqlite"
    before = detector(assets, path).detect(listing(1, copy_photo))
    rocket = photo_asset("A-ROCKET", "Rocket", real_photo("rocket"))
    grown = detector([*assets, rocket], path)  # a new registry: the findings cache would miss
    assert grown.image_signals is not None
    after = grown.detect(listing(1, copy_photo))
    extracted = grown.image_signals.extracted
    # Only the new registered photo is described; the listing photo comes from the cache.
    assert extracted["descriptor"] == 1 and extracted["regions"] == 1
    assert not extracted["hashes"] and not extracted["ocr"] and not extracted["copycheck"]
    assert "A-CAM" in {f.asset_id for f in after}  # the copy is still found
    assert {f.asset_id for f in after} >= {f.asset_id for f in before}


def _rows(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [key for (key,) in db.execute("SELECT key FROM signals")]


class _Payload:
    """What an insider would store: unpickling it creates a file (runs code)."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.target,))


def test_an_insider_writing_a_malicious_row_gets_it_recomputed_not_loaded(
    assets: list[Asset], copy_photo: Image.Image, tmp_path: Path
) -> None:
    path = tmp_path / "images.sqlite"
    expected = summary(detector(assets, path).detect(listing(1, copy_photo)))
    keys = _rows(path)
    assert len(keys) >= len(KINDS)
    pwned = tmp_path / "pwned"
    evil = io.BytesIO()
    np.savez(evil, vector=np.array([_Payload(pwned)], dtype=object), allow_pickle=True)
    wrong_shape = io.BytesIO()
    np.savez(wrong_shape, vector=np.ones(3, np.float32), points=np.ones((5, 3), np.float32))
    tampered = [evil.getvalue(), wrong_shape.getvalue(), b"PK\x03\x04 truncated", pickle.dumps(1)]
    with sqlite3.connect(path) as db:
        for n, key in enumerate(keys):
            db.execute(
                "UPDATE signals SET arrays = ?, meta = ? WHERE key = ?",
                (tampered[n % len(tampered)], '{"hashes": [1, 2]}' if n % 2 else "[]", key),
            )

    det = detector(assets, path)
    assert det.image_signals is not None
    assert summary(det.detect(listing(2, copy_photo))) == expected
    assert not pwned.exists()  # nothing stored was unpickled
    assert det.image_signals.cache.dropped >= len(KINDS)
    assert all(det.image_signals.extracted[kind] >= 1 for kind in KINDS)
    # The recomputed rows replaced the tampered ones: a third detector reuses them all.
    again = detector(assets, path)
    assert again.image_signals is not None
    again.detect(listing(3, copy_photo))
    assert not any(again.image_signals.extracted.values())


def test_a_different_extractor_digest_misses(
    assets: list[Asset], copy_photo: Image.Image, tmp_path: Path
) -> None:
    path = tmp_path / "images.sqlite"
    detector(assets, path).detect(listing(1, copy_photo))
    changed = detector(assets, path, code="other extractor code")
    assert changed.image_signals is not None
    changed.detect(listing(2, copy_photo))
    assert all(changed.image_signals.extracted[kind] >= 1 for kind in KINDS)
    assert not any(changed.image_signals.reused.values())


def test_pool_workers_fill_the_cache_the_next_detector_reads(
    assets: list[Asset], copy_photo: Image.Image, tmp_path: Path
) -> None:
    """Worker processes open the file themselves; what they stored is reused elsewhere."""
    from detector.workers import DetectionPool

    path = tmp_path / "images.sqlite"
    light = replace(SETTINGS, descriptor_model="", region_max_images=0, ocr_max_images=0)
    pool = DetectionPool(assets, light, workers=2, image_cache=path)
    try:
        pooled = [pool.submit(listing(n, real_photo("camera"))).result() for n in (1, 2)]
    finally:
        pool.close()
    assert _rows(path)  # written by the workers, not this process
    det = Detector(assets, light, image_cache=path)
    assert det.image_signals is not None
    assert summary(det.detect(listing(3, real_photo("camera")))) == summary(pooled[0])
    assert det.image_signals.reused["hashes"] == 1 and not det.image_signals.extracted["hashes"]


def test_the_descriptor_device_setting_reaches_the_cached_descriptor(
    assets: list[Asset], copy_photo: Image.Image, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A GPU worker's photos must be embedded on its GPU, or it must say it has none: the
    cache's descriptor once ignored ``descriptor_device`` and ran on the CPU without a word."""
    torch = pytest.importorskip("torch", reason="the descriptor extra is not installed")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: the device is there to be used")
    on_gpu = replace(SETTINGS, descriptor_device="cuda")
    det = Detector(assets, on_gpu, image_cache=ImageSignalCache(tmp_path / "images.sqlite"))
    with caplog.at_level("WARNING", logger="detector.engine"):
        det.detect(listing(1, copy_photo))
    assert "torch sees 0 CUDA device" in caplog.text
    assert det.image_signals is not None
    assert det.image_signals.extracted.get("descriptor", 0) == 0  # nothing embedded on the CPU
