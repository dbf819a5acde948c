"""Speed of the image side of the detector, each number measured in this run on this machine.

- Hash index: ``detector.hashindex.HammingIndex`` (multi-index hashing) against its own
  baseline, a numpy linear scan (``linear_scan``) over the same 1,000,000 64-bit hashes, at
  the production radius; both must return the same hits, and the ratio is printed.
- Learned descriptor: images per second with 2 torch threads, against perceptual hashing of
  the same images in the same run.
- Region-level copies: ``RegionIndex.match`` time per listing photo over the registered
  photos, and the share of it spent describing the photo (RootSIFT), measured alone.
- Logos: ``LogoMatcher.match`` time per listing image with 4 and with all registered logos,
  and the share of it spent describing the photo (SIFT), measured alone: the difference per
  logo is what one more registered logo costs.
- OCR: ``ImageTextReader.read`` time per image.

Photos are scikit-image's bundled ones and logos simple-icons rendered by resvg, the same
sources as the labelled set (``bench/imageset.py``); nothing is downloaded. A part whose
module is missing prints why and the others still run.

- Registry sizes (``--sizes 10,100,1000``): the whole ``Detector.detect`` image path per
  listing with one photo at each number of registered images, split by stage, with recall and
  precision on the held listings (``bench/image_speed_sizes.py``); only this part runs.

Run: .venv/bin/python bench/image_speed.py [--codes 1000000] [--queries 300] [--images 48]
     [--logos 32]
     .venv/bin/python bench/image_speed.py --sizes 10,100,1000 [--limit 24] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

os.environ.setdefault("IPWATCH_DESCRIPTOR_THREADS", "2")  # "on 2 cores", before torch loads
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.imageset_logos import background, composite
from bench.imageset_sources import LOGOS, load_photo, logo_reference, photos
from detector.settings import DetectionSettings
from model import Asset, AssetKind, ListingImage, ReferenceImage

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image

SEED = 9


def sample_photos(count: int) -> list[Image.Image]:
    """``count`` real photos: random crops (60-100 %) of the bundled ones, fixed seed."""
    rng = random.Random(SEED)
    sources = [load_photo(p) for p in photos()]
    out = []
    for i in range(count):
        image = sources[i % len(sources)]
        w, h = image.size
        kw, kh = rng.uniform(0.6, 1.0), rng.uniform(0.6, 1.0)
        x0, y0 = rng.uniform(0, 1 - kw) * w, rng.uniform(0, 1 - kh) * h
        out.append(image.crop((round(x0), round(y0), round(x0 + kw * w), round(y0 + kh * h))))
    return out


def _clock(func: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - start) / repeat


def bench_hash_index(n_codes: int, n_queries: int) -> None:
    from detector.hashindex import HammingIndex, linear_scan

    radius = DetectionSettings().image_max_distance
    rng = np.random.default_rng(SEED)
    codes = rng.integers(0, 2**63, size=n_codes, dtype=np.uint64) | (
        rng.integers(0, 2, size=n_codes, dtype=np.uint64) << np.uint64(63)
    )
    # Half the queries are near-copies of indexed codes (up to ``radius`` bits flipped), half
    # are unrelated: a crawl sees mostly the second kind.
    queries = []
    for i in range(n_queries):
        if i % 2:
            queries.append(int(rng.integers(0, 2**63)) | (int(rng.integers(0, 2)) << 63))
            continue
        code = int(codes[rng.integers(0, n_codes)])
        for bit in rng.choice(64, size=int(rng.integers(0, radius + 1)), replace=False):
            code ^= 1 << int(bit)
        queries.append(code)
    index = HammingIndex(64)
    build = _clock(lambda: (index.add(np.arange(n_codes), codes), index.search(queries[0], radius)))
    start = time.perf_counter()
    mih = [index.search(q, radius) for q in queries]
    t_mih = (time.perf_counter() - start) / n_queries
    start = time.perf_counter()
    scans = [linear_scan(codes, q, radius) for q in queries]
    t_scan = (time.perf_counter() - start) / n_queries
    same = all(
        sorted(int(i) for i, _ in found) == sorted(int(i) for i in hits)
        for found, (hits, _) in zip(mih, scans, strict=True)
    )
    hits = sum(len(f) for f in mih)
    print(
        f"\n== hash index: {n_codes:,} 64-bit codes, radius {radius} bits, {n_queries} queries =="
    )
    print(f"  build (add + first query): {build:.2f} s")
    print(f"  multi-index hashing: {t_mih * 1e3:8.3f} ms/query")
    print(f"  numpy linear scan:   {t_scan * 1e3:8.3f} ms/query  (baseline)")
    print(
        f"  speed-up: {t_scan / t_mih:.1f}x   same answers: {'yes' if same else 'NO'} ({hits} hits)"
    )
    print(f"  goal < 1 ms/query: {'MET' if t_mih < 1e-3 else 'NOT MET'}")


def bench_descriptor(images: list[Image.Image]) -> None:
    from detector.images import hash_image

    t_hash = _clock(lambda: [hash_image(im) for im in images])
    print(f"\n== learned descriptor: {len(images)} photos ==")
    print(f"  perceptual hashes (baseline): {len(images) / t_hash:8.1f} images/s")
    try:
        from detector.vision.descriptor_models import EfficientNetLite0Descriptor
    except ImportError as exc:
        print(f"  descriptor: NOT MEASURED, module missing ({exc})")
        return
    threads = os.environ["IPWATCH_DESCRIPTOR_THREADS"]
    model = EfficientNetLite0Descriptor()
    model.embed(images[:2])  # warm-up: first call allocates
    t_desc = _clock(lambda: model.embed(images))
    rate = len(images) / t_desc
    print(f"  {model.name} ({threads} threads): {rate:8.1f} images/s")
    print(f"  hashing is {t_desc / t_hash:.0f}x faster than the descriptor")


def _logo_assets(count: int) -> list[Asset]:
    out = []
    for slug in LOGOS[:count]:
        image = logo_reference(slug)
        ref = ReferenceImage(f"bench-{slug}", image, label=slug)
        out.append(Asset(f"logo-{slug}", "bench", AssetKind.FIGURATIVE_MARK, slug, images=(ref,)))
    return out


def logo_scenes(count: int) -> list[Image.Image]:
    """Real photos with a real logo (registered or not) composited in at 10-40 % width."""
    rng = random.Random(SEED)
    sources = [load_photo(p) for p in photos() if p.category not in ("document",)]
    out = []
    for i in range(count):
        scene = background(sources[i % len(sources)], [0.0, 0.0, 1.0, 1.0], mirror=False)
        recipe = {
            "scale": rng.choice([0.1, 0.2, 0.3, 0.4]),
            "colour": "#000000",
            "position": [rng.random(), rng.random()],
            "angle": rng.uniform(-20, 20),
        }
        image, _ = composite(scene, LOGOS[i % len(LOGOS)], recipe, None)
        out.append(image)
    return out


def _grey(image: Image.Image, max_side: int) -> np.ndarray:
    grey = np.asarray(image.convert("L"))
    scale = min(1.0, max_side / max(grey.shape))
    if scale < 1.0:
        size = (round(grey.shape[1] * scale), round(grey.shape[0] * scale))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return grey


def bench_logos(scenes: list[Image.Image], n_logos: int) -> None:
    print(f"\n== logos: {n_logos} registered logos, {len(scenes)} photos ==")
    try:
        from detector.vision import logos as logo_module
    except ImportError as exc:
        print(f"  logos: NOT MEASURED, module missing ({exc})")
        return
    matcher = logo_module.LogoMatcher(_logo_assets(n_logos), DetectionSettings())
    listing = [ListingImage(f"bench://{i}", None, im) for i, im in enumerate(scenes)]
    matcher.match(listing[:1])  # warm-up
    t_match = _clock(lambda: [matcher.match([li]) for li in listing]) / len(listing)
    # Baseline: SIFT on the photo alone (what one listing photo costs before any logo).
    sift = cv2.SIFT_create(nfeatures=matcher.params.scene_features)
    greys = [_grey(im, matcher.params.max_side) for im in scenes]
    t_describe = _clock(lambda: [sift.detectAndCompute(g, None) for g in greys]) / len(scenes)
    print(f"  match: {t_match * 1e3:8.1f} ms/image")
    print(f"  of which describing the photo (SIFT, baseline): {t_describe * 1e3:8.1f} ms/image")
    print(f"  per registered logo: {(t_match - t_describe) / n_logos * 1e3:8.2f} ms/image")


def bench_regions(images: list[Image.Image]) -> None:
    """Region-level copy search: listing photo SIFT + one index search + a few verifications."""
    print(f"\n== region-level copies: {len(images)} registered photos, {len(images)} queries ==")
    try:
        from detector.vision import regions
    except ImportError as exc:
        print(f"  regions: NOT MEASURED, module missing ({exc})")
        return
    assets = [
        Asset(
            f"photo-{i}",
            "bench",
            AssetKind.PRODUCT_IMAGE,
            f"photo {i}",
            images=(ReferenceImage(f"p{i}", im),),
        )
        for i, im in enumerate(images)
    ]
    index = regions.RegionIndex(assets)
    listing = [ListingImage(f"bench://{i}", None, im) for i, im in enumerate(images)]
    t_build = _clock(lambda: index.match(listing[:1]))
    t_match = _clock(lambda: [index.match([li]) for li in listing]) / len(listing)
    t_describe = _clock(
        lambda: [
            regions.describe(im, regions.LISTING_SIDE, regions.LISTING_FEATURES) for im in images
        ]
    ) / len(images)
    print(f"  build + first query (describe every registered photo, index): {t_build:.2f} s")
    print(f"  match: {t_match * 1e3:8.1f} ms/image")
    print(f"  of which describing the photo (RootSIFT, baseline): {t_describe * 1e3:8.1f} ms/image")


def bench_ocr(images: list[Image.Image]) -> None:
    print(f"\n== OCR: {len(images)} photos ==")
    try:
        from detector.vision.ocr import ImageTextReader
    except ImportError as exc:
        print(f"  OCR: NOT MEASURED, module missing ({exc})")
        return
    reader = ImageTextReader(DetectionSettings())
    reader.read(images[0])  # warm-up: loads the models
    t_read = _clock(lambda: [reader.read(im) for im in images]) / len(images)
    lines = sum(len(reader.read(im)) for im in images)
    print(f"  read: {t_read * 1e3:8.1f} ms/image ({lines} text lines found in all)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--images", type=int, default=48)
    parser.add_argument(
        "--logos", type=int, default=len(LOGOS), help="registered logos (also run with 4)"
    )
    parser.add_argument("--sizes", help="registry sizes, e.g. 10,100,1000 (only this part runs)")
    parser.add_argument("--limit", type=int, default=24, help="held listings per size")
    parser.add_argument("--json", action="store_true", help="--sizes: print one JSON object")
    args = parser.parse_args(argv)
    if args.sizes:
        from bench.image_speed_sizes import measure, report

        for size in args.sizes.split(","):  # each size as soon as it is measured
            row = measure(int(size), args.limit)
            print(json.dumps(row) if args.json else "\n".join(report([row])), flush=True)
        return 0
    bench_hash_index(args.codes, args.queries)
    images = sample_photos(args.images)
    bench_descriptor(images)
    bench_regions(images[: min(len(images), 24)])
    scenes = logo_scenes(min(args.images, 24))
    for n_logos in sorted({4, args.logos}):  # how the cost grows with the registered logos
        bench_logos(scenes, n_logos)
    documents = [load_photo(p) for p in photos() if p.category == "document"]  # printed text
    bench_ocr([*documents, *images][: max(len(documents), min(args.images, 16))])
    return 0


if __name__ == "__main__":
    sys.exit(main())
