"""Per-listing image detection cost at 10, 100 and 1,000 registered images, stage by stage.

The registry holds the flat-logo group's registered logos (``bench/imageset_flat.py``) and
registered simple-icons logos, padded to each size with seeded generated images: half product
photos (smooth colour fields with shapes and grain), half flat logos (random polygons in one to
three colours, the kind the flat stage looks for, so its cost with many flat references is
what is measured). Held listings have one photo each: the flat-logo cases (registered logos
and other firms' flat logos) and JPEG copies of padding photos. Each listing goes through the
whole ``Detector.detect``; the time of each image stage is taken by wrapping the detector's own
stage objects (hash index, learned descriptor, OCR, region SIFT, SIFT logo stage, flat stage),
and recall and precision of the image findings on the held listings are printed beside them.
The first listing (model loading, lazy indexes) is run once before the clock starts.
"""

from __future__ import annotations

import functools
import io
import random
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from PIL import Image

from bench.flat_logo_quality import flat_assets
from bench.image_quality import image_signal
from bench.imageset_flat import flat_cases
from bench.imageset_metrics import Predictions, score
from bench.imageset_sources import LOGOS, logo_reference
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from detector.engine import Detector

SEED = 21
STAGES = (
    ("hash", "_images", "match"),
    ("descriptor", "_descriptors", "match"),
    ("ocr", "_ocr", "read_listing"),
    ("region sift", "_regions", "match"),
    ("logo sift", "_logos", "_feature_matches"),
    ("logo flat", "_logos", "_flat_matches"),
)


def padding_photo(rng: np.random.Generator) -> Image.Image:
    """A generated product-like photo: a smooth colour field, a few shapes, grain."""
    h, w = 480, 640
    field = cv2.resize(rng.uniform(0, 255, (3, 4, 3)).astype(np.float32), (w, h))
    canvas = np.ascontiguousarray(field)
    for _ in range(int(rng.integers(3, 7))):
        colour = tuple(float(c) for c in rng.uniform(0, 255, 3))
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        axes = (int(rng.integers(20, 160)), int(rng.integers(20, 160)))
        cv2.ellipse(canvas, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.5)
    canvas += (grain / grain.std() * 12)[..., None]
    return Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))


def padding_logo(rng: np.random.Generator) -> Image.Image:
    """A generated flat logo on white: one to three random polygons, each in its own colour."""
    canvas = np.full((300, 300, 3), 255, np.uint8)
    for _ in range(int(rng.integers(1, 4))):
        points = rng.integers(30, 270, (int(rng.integers(3, 7)), 2)).astype(np.int32)
        colour = tuple(int(c) for c in rng.integers(0, 200, 3))
        cv2.fillPoly(canvas, [cv2.convexHull(points)], colour)
    return Image.fromarray(canvas)


def registry(size: int, seed: int = SEED) -> list[Asset]:
    """The base registered logos, padded with generated photos and logos to ``size`` images."""
    base = flat_assets()
    for slug in LOGOS[: max(0, min(8, size - len(base)))]:
        ref = ReferenceImage(f"logo-{slug}", logo_reference(slug), label=slug)
        base.append(Asset(f"logo-{slug}", slug, AssetKind.FIGURATIVE_MARK, slug, images=(ref,)))
    base = base[:size]
    rng = np.random.default_rng(seed)
    for i in range(size - len(base)):
        photo = i % 2 == 0
        image = padding_photo(rng) if photo else padding_logo(rng)
        kind = AssetKind.PRODUCT_IMAGE if photo else AssetKind.FIGURATIVE_MARK
        ref = ReferenceImage(f"pad-{i}", image, label=f"pad {i}")
        base.append(Asset(f"pad-{i}", f"padding owner {i}", kind, f"pad {i}", images=(ref,)))
    return base


def held_listings(limit: int, assets: list[Asset]) -> list[dict[str, Any]]:
    """``limit`` one-photo listings: flat-logo cases (positives and negatives) and copies of
    registered padding photos, with their labels."""
    cases = flat_cases()
    rng = random.Random(SEED)
    rng.shuffle(cases)
    photos = [a for a in assets if a.kind is AssetKind.PRODUCT_IMAGE]
    copies = []
    for asset in photos[: max(0, limit // 4)]:
        image = asset.images[0].image
        assert image is not None
        buffer = io.BytesIO()
        image.resize((512, 384)).save(buffer, "JPEG", quality=80)
        copies.append(
            {
                "id": f"copy-{asset.id}",
                "expect": "match",
                "asset_id": asset.id,
                "image": Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"),
            }
        )
    return (copies + cases)[:limit]


def _timed(func: Callable[..., Any], name: str, spent: dict[str, float]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start

    return wrapper


def instrument(
    detector: Detector, stages: Sequence[tuple[str, str, str]] = STAGES
) -> dict[str, float]:
    """Wrap each image stage the detector holds; returns the seconds spent per stage."""
    spent: dict[str, float] = defaultdict(float)
    for name, holder, method in stages:
        target = getattr(detector, holder, None)
        if target is not None and hasattr(target, method):
            setattr(target, method, _timed(getattr(target, method), name, spent))
    return spent


def measure(size: int, limit: int) -> dict[str, Any]:
    """Build the detector over ``size`` registered images and detect the held listings."""
    from detector.engine import Detector

    assets = registry(size)
    held = held_listings(limit, assets)
    start = time.perf_counter()
    detector = Detector(assets)
    build = time.perf_counter() - start
    listings = [
        Listing(
            c["id"],
            "bench",
            f"bench://{c['id']}",
            "",
            images=(ListingImage(f"bench://{c['id']}.jpg", None, c["image"]),),
        )
        for c in held
    ]
    detector.detect(listings[0])  # warm-up: models load, lazy indexes are built
    spent = instrument(detector)
    picks: Predictions = {}
    start = time.perf_counter()
    for case, listing in zip(held, listings, strict=True):
        found = {}
        for finding in detector.detect(listing):
            scores = [s.score for s in finding.signals if image_signal(s)]
            if scores:
                found[finding.asset_id] = max(scores)
        picks[case["id"]] = found
    total = time.perf_counter() - start
    result = score(held, picks)
    per_listing = total / max(1, len(held))
    stages = {name: round(spent[name] / max(1, len(held)), 4) for name, _, _ in STAGES}
    flat = getattr(getattr(detector, "_logos", None), "flat_references", 0)
    return {
        "registered_images": size,
        "flat_references": flat,
        "held_listings": len(held),
        "build_seconds": round(build, 2),
        "seconds_per_listing": round(per_listing, 4),
        "stage_seconds_per_listing": stages,
        "flat_share": round(stages["logo flat"] / per_listing, 3) if per_listing else None,
        "recall": result.recall,
        "precision": result.precision,
    }


def report(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["\n== image detection per listing (one photo) by registry size =="]
    for r in rows:
        stages = ", ".join(f"{k} {v * 1e3:.0f}" for k, v in r["stage_seconds_per_listing"].items())
        lines.append(
            f"  {r['registered_images']:5d} registered ({r['flat_references']} flat):"
            f" {r['seconds_per_listing'] * 1e3:7.0f} ms/listing (build {r['build_seconds']} s)"
            f"  recall={r['recall']}  precision={r['precision']}"
        )
        lines.append(f"        stages, ms/listing: {stages}; flat share {r['flat_share']}")
    return lines
