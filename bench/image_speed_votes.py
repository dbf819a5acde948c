"""The vote index against the path it replaced, same matchers, same run, same registry.

Logo SIFT stage: the 24 most-voted logos verified in full (``LogoParams.shortlist``) against
every logo verified (the old path, ``shortlist`` set past the registry). Region stage: the
vote index as built (an inverted file past 50,000 features) against an exact index (the old
path). Registry and held listings are ``bench/image_speed_sizes.py``'s; per photo time and
TP/FP of each stage alone are printed, and the speed-up.

Run: .venv/bin/python bench/image_speed_votes.py [--size 300] [--limit 12]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.image_speed_sizes import held_listings, registry
from bench.imageset_metrics import Predictions, score
from detector.settings import DetectionSettings
from detector.vision.logos import LogoMatcher
from detector.vision.regions import RegionIndex
from detector.vision.votes import VoteIndex
from model import ListingImage

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


def run(
    name: str,
    held: Sequence[dict[str, Any]],
    find: Callable[[list[ListingImage]], dict[str, Any]],
) -> float:
    """Seconds per photo of ``find`` over the held listings (after one warm-up), printed."""
    photos = [[ListingImage(f"bench://{c['id']}.jpg", None, c["image"])] for c in held]
    find(photos[0])  # lazy indexes are built here
    start = time.perf_counter()
    picks: Predictions = {
        c["id"]: dict.fromkeys(find(p), 1.0) for c, p in zip(held, photos, strict=True)
    }
    seconds = (time.perf_counter() - start) / len(held)
    s = score(held, picks)
    print(f"  {name:42s} {seconds * 1e3:8.0f} ms/photo  tp={s.tp} fp={s.fp} of {s.positives}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=300, help="registered images")
    parser.add_argument("--limit", type=int, default=12, help="held listings")
    args = parser.parse_args(argv)
    assets = registry(args.size)
    held = held_listings(args.limit, assets)
    settings = DetectionSettings()
    logos = LogoMatcher(assets, settings)
    print(f"\n== {args.size} registered images, {len(held)} one-photo listings ==")
    new = run("logo sift, most-voted logos verified", held, lambda p: logos._feature_matches(p[0]))
    logos.params = dataclasses.replace(logos.params, shortlist=10**9)
    old = run("logo sift, every logo verified (old)", held, lambda p: logos._feature_matches(p[0]))
    print(f"  logo sift speed-up: {old / new:.1f}x")
    regions = RegionIndex(assets, settings.region_max_images, settings.region_min_inliers)
    new = run("region, vote index", held, regions.match)
    exact = VoteIndex([f.descriptors for f in regions._features], exact_up_to=10**12)
    regions._votes = exact
    old = run("region, exact index (old)", held, regions.match)
    print(f"  region speed-up: {old / new:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
