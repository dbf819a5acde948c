"""Per-listing image detection cost with the image-signal cache: off, cold, warm, new asset added.

The registries and held one-photo listings are ``bench/image_speed_sizes.py``'s (registered
logos and generated photos and logos, padded to each size). Per size, in this order and in one
process (models are loaded once, before any clock starts):

- off: ``Detector.detect`` without the cache (the baseline every ratio is taken against);
- cold: a fresh cache file, every photo extracted and stored;
- warm: the same photos on other listings: every cached signal comes from the file;
- new asset: a new detector over the registry plus one photo asset (what a registry change
  builds; the findings cache would miss every listing), same cache file.

Each listing's time is split by stage with the same wrappers as ``image_speed_sizes``; "logo
feats" is the part of "logo sift" spent getting the photo's own SIFT features (cached since the
logo stage's features joined the cache; the matching and the flat-logo stage are not cached).
Print ``uptime`` beside it.

Run: .venv/bin/python bench/image_cache_speed.py [--sizes 34,100] [--limit 16]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

os.environ.setdefault("IPWATCH_DESCRIPTOR_THREADS", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.image_speed_sizes import STAGES, held_listings, instrument, padding_photo, registry
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage

if TYPE_CHECKING:
    from detector.engine import Detector

# Inside a stage above: the logo stage's own photo features (extracted or read from the cache).
PARTS = (("logo feats", "_logos", "describe"),)


def listings(held: list[dict[str, Any]], tag: str) -> list[Listing]:
    """One listing per held photo; the photo's SHA-256 as the crawl would give it."""
    out = []
    for case in held:
        image = case["image"]
        digest = hashlib.sha256(image.tobytes()).hexdigest()
        out.append(
            Listing(
                f"{tag}-{case['id']}",
                "bench",
                f"https://bench.example/{tag}/{case['id']}",
                "Item",
                images=(ListingImage(f"https://cdn.example/{case['id']}.jpg", digest, image),),
            )
        )
    return out


def run(detector: Detector, batch: list[Listing]) -> tuple[float, dict[str, float]]:
    """Seconds per listing over ``batch`` and seconds per listing in each image stage."""
    spent = instrument(detector)
    parts = instrument(detector, PARTS)
    start = time.perf_counter()
    for listing in batch:
        detector.detect(listing)
    per = (time.perf_counter() - start) / len(batch)
    spent.update(parts)
    return per, {name: spent.get(name, 0.0) / len(batch) for name, _, _ in (*STAGES, *PARTS)}


def new_asset() -> Asset:
    image = padding_photo(np.random.default_rng(12345))
    ref = ReferenceImage("new-asset-photo", image, label="new")
    return Asset("new-asset", "New Owner", AssetKind.PRODUCT_IMAGE, "new", images=(ref,))


def measure(size: int, limit: int, folder: Path) -> list[tuple[str, float, dict[str, float]]]:
    from detector.engine import Detector
    from detector.image_cache import ImageSignalCache

    assets = registry(size)
    held = held_listings(limit, assets)
    path = folder / f"images-{size}.sqlite"
    plain = Detector(assets)
    plain.detect(listings(held, "load")[0])  # models and lazy indexes, outside the clock
    rows = [("off", *run(plain, listings(held, "off")))]
    cached = Detector(assets, image_cache=ImageSignalCache(path))
    cached.detect(listings(held[:1], "load")[0])  # its lazy indexes (stores one photo)
    rows.append(("cold", *run(cached, listings(held, "cold"))))
    rows.append(("warm", *run(cached, listings(held, "warm"))))
    start = time.perf_counter()
    grown = Detector([*assets, new_asset()], image_cache=ImageSignalCache(path))
    grown.detect(listings(held[:1], "grown-load")[0])  # reference-side work of the new index
    build = time.perf_counter() - start
    rows.append(("new asset", *run(grown, listings(held, "grown"))))
    assert grown.image_signals is not None
    print(
        f"  new-asset detector built and indexed in {build:.2f} s; extracted per kind:"
        f" {dict(grown.image_signals.extracted)}; cache file rows:"
        f" {grown.image_signals.cache.total_bytes() / 1e6:.1f} MB"
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="34,100", help="registered images, comma-separated")
    parser.add_argument("--limit", type=int, default=16, help="held listings per size")
    args = parser.parse_args(argv)
    print(f"load: {os.getloadavg()}  cores: {os.cpu_count()}")
    stage_names = [name for name, _, _ in (*STAGES, *PARTS)]
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"\n{size} registered images, {args.limit} listings")
            rows = measure(size, args.limit, Path(folder))
            baseline = rows[0][1]
            print(
                f"  {'':10} {'ms/listing':>10} {'vs off':>7}  "
                + " ".join(f"{n:>11}" for n in stage_names)
            )
            for label, per, stages in rows:
                print(
                    f"  {label:10} {per * 1000:10.1f} {per / baseline:7.2f}  "
                    + " ".join(f"{stages[n] * 1000:11.1f}" for n in stage_names)
                )
    print(f"load: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
