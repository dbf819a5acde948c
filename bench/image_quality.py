"""Precision and recall of the image matchers on the labelled image set (bench/imageset.py).

Copies (``copy`` group) are scored for each level the detector has, the perceptual-hash
``ImageIndex`` and the learned ``DescriptorMatcher``, and for the two combined (an asset is
found when either level finds it; its score is the higher one), per transform; logos (``logo``
group) with ``LogoMatcher``, per scale and per variant, with how well the returned region
overlaps the true one. A matcher whose module is missing is reported as such and the others
are still scored. Each level is first run at its production settings (the operating point),
then a threshold curve over its scores shows the trade-off. Goals (issue 5): copies recall
>= 0.95 at precision >= 0.99; logos recall >= 0.85 at precision >= 0.95.

Run: .venv/bin/python bench/image_quality.py [--cache .cache/imageset] [--every N]
     [--levels hash,descriptor,logo,detector]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import sys
import time
import types
import zlib
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import imageset
from bench.imageset_metrics import Predictions, best_recall_at, fmt, score, thresholds
from detector.settings import DetectionSettings
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

COPY_GOAL = (0.95, 0.99)  # recall, precision
LOGO_GOAL = (0.85, 0.95)
CURVE_HASH_RADIUS = 24  # bits: wide enough to see the curve past the production cut-off
CURVE_DESCRIPTOR_SIMILARITY = 0.5  # cosine: likewise for the learned descriptor
LEVELS = ("hash", "descriptor", "region", "logo", "detector")


@dataclasses.dataclass
class Loaded:
    assets: list[Asset]
    cases: list[dict[str, Any]]
    images: dict[str, ListingImage]


def load(
    document: dict[str, Any],
    cache: Path,
    every: int = 1,
    group: str | None = None,
    offset: int = 0,
) -> Loaded:
    """Reference assets and listing images (about one case in ``every``, for quick runs, and
    with ``offset`` another such share, e.g. the half ``--every 2`` leaves out; only the
    ``group`` cases when one is named)."""
    assets = []
    for spec in document["assets"]:
        with Image.open(cache / spec["file"]) as im:
            ref = ReferenceImage(spec["sha256"], im.convert("RGB"), label=spec["name"])
        assets.append(
            Asset(
                spec["id"],
                "bench",
                AssetKind(spec["kind"]),
                spec["name"],
                keywords=tuple(spec.get("keywords", ())),
                images=(ref,),
            )
        )
    # A stable pseudo-random subset: every N-th case in file order would skip whole transforms.
    cases = [
        c
        for c in document["cases"]
        if zlib.crc32(c["id"].encode()) % every == offset % every and group in (None, c["group"])
    ]
    images = {}
    for case in cases:
        with Image.open(cache / case["file"]) as im:
            images[case["id"]] = ListingImage(
                f"bench://{case['id']}", case["sha256"], im.convert("RGB")
            )
    return Loaded(assets, cases, images)


# --- one adapter per level: cases in, {case: {asset: score}} out, plus the production picks ----


@dataclasses.dataclass
class LevelRun:
    name: str
    curve: Predictions  # permissive settings: every candidate with its score
    operating: Predictions  # production settings: what the detector would report
    seconds: float
    note: str = ""


def _normalised(value: float, cut: float) -> float:
    """0.5 at the level's production cut-off, 1.0 for an identical picture (can go below 0.5
    on the curve run): so the levels' scores can be combined and swept together."""
    return 0.5 + 0.5 * (value - cut) / (1.0 - cut)


def _run(
    matcher: Any,
    loaded: Loaded,
    cases: Sequence[dict[str, Any]],
    value: Callable[[Any], float],
    batch: int = 12,
) -> Predictions:
    """Match the cases' images in batches (one listing of ``batch`` photos each)."""
    out: Predictions = {c["id"]: {} for c in cases}
    for start in range(0, len(cases), batch):
        chunk = [loaded.images[c["id"]] for c in cases[start : start + batch]]
        for asset_id, matches in matcher.match(chunk).items():
            for m in matches:
                case_id = m.listing_image.url.removeprefix("bench://")
                held = out[case_id].get(asset_id)
                out[case_id][asset_id] = value(m) if held is None else max(held, value(m))
    return out


def _operating(curve: Predictions) -> Predictions:
    return {c: {a: v for a, v in found.items() if v >= 0.5} for c, found in curve.items()}


def run_hash(loaded: Loaded, cases: Sequence[dict[str, Any]]) -> LevelRun:
    from detector.images import ImageIndex

    production = DetectionSettings()
    wide = dataclasses.replace(production, image_max_distance=CURVE_HASH_RADIUS)
    start = time.perf_counter()
    index = ImageIndex(loaded.assets, wide)
    cut = 1.0 - production.image_max_distance / 64
    curve = _run(index, loaded, cases, lambda m: _normalised(1.0 - m.distance / 64, cut))
    note = (
        f"score = 0.5 at the production cut-off of {production.image_max_distance} bits,"
        f" curve run out to {CURVE_HASH_RADIUS} bits"
    )
    return LevelRun("hash", curve, _operating(curve), time.perf_counter() - start, note)


def run_descriptor(loaded: Loaded, cases: Sequence[dict[str, Any]]) -> LevelRun:
    module = importlib.import_module("detector.vision.descriptor")
    cut = float(module.min_similarity(DetectionSettings()))
    # One run at a loose threshold gives the curve; the production picks are those >= cut.
    loose = types.SimpleNamespace(descriptor_min_similarity=CURVE_DESCRIPTOR_SIMILARITY)
    start = time.perf_counter()
    matcher = module.DescriptorMatcher(loaded.assets, loose)
    curve = _run(matcher, loaded, cases, lambda m: _normalised(m.similarity, cut))
    note = (
        f"score = 0.5 at the production cosine similarity {cut:.2f},"
        f" curve run down to {CURVE_DESCRIPTOR_SIMILARITY}"
    )
    return LevelRun("descriptor", curve, _operating(curve), time.perf_counter() - start, note)


def run_region(loaded: Loaded, cases: Sequence[dict[str, Any]]) -> LevelRun:
    from detector.vision import regions

    cut = regions.MIN_INLIERS
    start = time.perf_counter()
    # One run down to half the production inlier count gives the curve.
    loose = max(4, cut // 2)
    index = regions.RegionIndex(loaded.assets, max_images=12, min_inliers=loose)
    curve = _run(
        index, loaded, cases, lambda m: 0.5 + 0.5 * (m.verification.inliers - cut) / (4 * cut)
    )
    note = f"score = 0.5 at {cut} verified features, curve run down to {loose}"
    return LevelRun("region", curve, _operating(curve), time.perf_counter() - start, note)


def combine(runs: Sequence[LevelRun]) -> LevelRun:
    """Either level finding an asset finds it; its score is the higher of the two."""

    def merge(picks: Sequence[Predictions]) -> Predictions:
        out: Predictions = defaultdict(dict)
        for p in picks:
            for case_id, found in p.items():
                for asset_id, value in found.items():
                    out[case_id][asset_id] = max(value, out[case_id].get(asset_id, 0.0))
        return dict(out)

    return LevelRun(
        "+".join(r.name for r in runs),
        merge([r.curve for r in runs]),
        merge([r.operating for r in runs]),
        sum(r.seconds for r in runs),
        "union of the levels",
    )


def run_logo(loaded: Loaded, cases: Sequence[dict[str, Any]]) -> tuple[LevelRun, dict[str, Any]]:
    from detector.vision.logos import LogoMatcher

    production = DetectionSettings()
    start = time.perf_counter()
    matcher = LogoMatcher(loaded.assets, production)
    params = matcher.params
    curve: Predictions = {}
    regions: dict[str, Any] = {}
    for case in cases:
        found = matcher.match([loaded.images[case["id"]]])
        picks = {}
        for asset_id, matches in found.items():
            best = max(matches, key=lambda m: m.inliers)
            picks[asset_id] = float(best.score(params))
            if asset_id == case.get("asset_id"):
                regions[case["id"]] = list(best.bbox)
        curve[case["id"]] = picks
    run = LevelRun("logo", curve, curve, time.perf_counter() - start, "score 0.6 at min_inliers")
    return run, regions


def image_signal(signal: Any) -> str | None:
    """What found the asset in the picture: the copy or logo matcher, or a word/figurative mark
    read by OCR from the photo (the logo cases have no text besides their image)."""
    if signal.kind in ("image_copy", "logo"):
        return str(signal.kind)
    if signal.kind == "word_mark":
        matches = signal.evidence.get("matches") or [signal.evidence]
        if any(m.get("field") == "image_text" for m in matches):
            return "image_text"
    return None


def run_detector(
    loaded: Loaded, cases: Sequence[dict[str, Any]]
) -> tuple[LevelRun, dict[str, dict[str, str]]]:
    """The public engine: an asset counts when its finding carries a signal from the picture."""
    from detector.engine import Detector

    start = time.perf_counter()
    detector = Detector(loaded.assets)
    out: Predictions = {}
    methods: dict[str, dict[str, str]] = {}
    for case in cases:
        listing = Listing(
            case["id"], "bench", f"bench://{case['id']}", "", images=(loaded.images[case["id"]],)
        )
        picks, how = {}, {}
        for finding in detector.detect(listing):
            found = [(s.score, kind) for s in finding.signals if (kind := image_signal(s))]
            if found:
                picks[finding.asset_id], how[finding.asset_id] = max(found)
        out[case["id"]], methods[case["id"]] = picks, how
    run = LevelRun(
        "detector", out, out, time.perf_counter() - start, "Detector.detect, image signals"
    )
    return run, methods


def found_by(cases: Sequence[dict[str, Any]], methods: dict[str, dict[str, str]]) -> str:
    """How many true positives each signal kind gave (the strongest signal of each finding)."""
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        if case["expect"] == "match":
            kind = methods.get(case["id"], {}).get(case["asset_id"])
            if kind is not None:
                counts[kind] += 1
    parts = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    return f"  true positives found by: {parts or 'nothing'}"


# --- reports ----------------------------------------------------------------------------------


def _row(label: str, cases: Sequence[dict[str, Any]], picks: Predictions, width: int = 26) -> str:
    s = score(cases, picks)
    return (
        f"  {label:<{width}} n={len(cases):4d}  TP={s.tp:4d} FP={s.fp:3d}  "
        f"precision={fmt(s.precision)}  recall={fmt(s.recall)}"
    )


def _curve(cases: Sequence[dict[str, Any]], run: LevelRun, goal: tuple[float, float]) -> list[str]:
    lines = [f"  threshold curve ({run.note}):"]
    for t in thresholds([run.curve]):
        s = score(cases, run.curve, t)
        lines.append(f"    score>={t:6.3f}  precision={fmt(s.precision)}  recall={fmt(s.recall)}")
    t, best = best_recall_at(cases, run.curve, goal[1])
    if best is None:
        lines.append(f"    no threshold reaches precision {goal[1]}")
    else:
        lines.append(
            f"    best recall at precision>={goal[1]}: {fmt(best.recall)} (score>={t:.3f})"
        )
    return lines


def _goal(
    label: str, cases: Sequence[dict[str, Any]], picks: Predictions, goal: tuple[float, float]
) -> str:
    s = score(cases, picks)
    ok = (s.recall or 0) >= goal[0] and (s.precision or 0) >= goal[1]
    return (
        f"  GOAL {label}: recall {fmt(s.recall)} (>= {goal[0]}) at precision "
        f"{fmt(s.precision)} (>= {goal[1]}): {'MET' if ok else 'NOT MET'}"
    )


def copy_report(cases: Sequence[dict[str, Any]], run: LevelRun) -> list[str]:
    lines = [f"\n== copies, level {run.name} ({run.seconds:.1f} s) =="]
    by_transform: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        transform = case.get("extra", {}).get("transform")
        if transform is not None:  # positives and the same transform on unregistered photos
            by_transform[transform].append(case)
    lines.append("  per transform (negatives: the same transform on unregistered photos):")
    for transform in sorted(by_transform):
        lines.append(_row(transform, by_transform[transform], run.operating))
    lines.append("  negatives by kind (precision is over false positives only):")
    for kind in sorted({c["kind"] for c in cases if c["expect"] == "no_match"}):
        subset = [c for c in cases if c["kind"] == kind]
        fp = score(subset, run.operating).fp
        lines.append(f"    {kind:<26} n={len(subset):4d}  false positives={fp}")
    lines.append(_row("ALL copies", cases, run.operating))
    lines.append(_goal("copies", cases, run.operating, COPY_GOAL))
    lines.extend(_curve(cases, run, COPY_GOAL))
    return lines


def _iou(a: Sequence[int], b: Sequence[int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def logo_report(
    cases: Sequence[dict[str, Any]], run: LevelRun, regions: dict[str, Any]
) -> list[str]:
    lines = [f"\n== logos, level {run.name} ({run.seconds:.1f} s) =="]
    lines.append("  per scale (negatives: other logos at the same scale):")
    for scale in sorted({c["scale"] for c in cases if "scale" in c}):
        subset = [c for c in cases if c.get("scale") == scale]
        lines.append(_row(f"{round(scale * 100)}% of width", subset, run.operating))
    lines.append("  per variant:")
    for variant in sorted({c["variant"] for c in cases if "variant" in c}):
        subset = [c for c in cases if c.get("variant") == variant]
        lines.append(_row(variant, subset, run.operating))
    lines.append("  per registered logo (recall only):")
    for asset_id in sorted({c["asset_id"] for c in cases if c["expect"] == "match"}):
        subset = [c for c in cases if c.get("asset_id") == asset_id]
        lines.append(f"    {asset_id:<24} recall={fmt(score(subset, run.operating).recall)}")
    scenes = [c for c in cases if c["kind"] == "no_logo"]
    fp = score(scenes, run.operating).fp
    lines.append(f"  scenes without a logo: n={len(scenes)} false positives={fp}")
    ious = [_iou(regions[c["id"]], c["bbox"]) for c in cases if c["id"] in regions and "bbox" in c]
    if ious:
        good = sum(i >= 0.5 for i in ious) / len(ious)
        lines.append(
            f"  region: mean IoU with the true box {sum(ious) / len(ious):.3f};"
            f" IoU>=0.5 in {good:.3f}"
        )
    lines.append(_row("ALL logos", cases, run.operating))
    lines.append(_goal("logos", cases, run.operating, LOGO_GOAL))
    lines.extend(_curve(cases, run, LOGO_GOAL))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, default=imageset.DEFAULT_CACHE)
    parser.add_argument("--venv", type=Path, default=imageset.DEFAULT_VENV)
    parser.add_argument("--every", type=int, default=1, help="score every N-th case (quick runs)")
    parser.add_argument("--levels", default=",".join(LEVELS), help=f"subset of {','.join(LEVELS)}")
    parser.add_argument(
        "--offset",
        type=int,
        default=0,
        help="which share --every picks (0..every-1): --every 2 --offset 1 is the other half",
    )
    parser.add_argument(
        "--group", choices=("copy", "logo"), help="score only the copy or only the logo cases"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        document = imageset.ensure(args.cache, args.venv)
    except imageset.ImageSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    loaded = load(document, args.cache, max(1, args.every), args.group, args.offset)
    copies = [c for c in loaded.cases if c["group"] == "copy"]
    logos = [c for c in loaded.cases if c["group"] == "logo"]
    levels = {name.strip() for name in args.levels.split(",")}
    print(
        f"image set: seed {document['seed']}, {len(loaded.assets)} assets,"
        f" {len(copies)} copy cases, {len(logos)} logo cases"
    )
    copy_runs: list[LevelRun] = []
    for name, runner in (
        ("hash", run_hash),
        ("descriptor", run_descriptor),
        ("region", run_region),
    ):
        if name not in levels:
            continue
        try:
            copy_runs.append(runner(loaded, copies))
        except ImportError as exc:
            print(f"\n== copies, level {name}: NOT SCORED, matcher missing ({exc}) ==")
    for run in copy_runs:
        print("\n".join(copy_report(copies, run)))
    if len(copy_runs) > 1:
        print("\n".join(copy_report(copies, combine(copy_runs))))
    if "logo" in levels:
        try:
            run, regions = run_logo(loaded, logos)
            print("\n".join(logo_report(logos, run, regions)))
        except ImportError as exc:
            print(f"\n== logos: NOT SCORED, matcher missing ({exc}) ==")
    if "detector" in levels:
        run, methods = run_detector(loaded, loaded.cases)
        if copies:
            print("\n".join(copy_report(copies, LevelRun(run.name, *_split(run, copies)))))
            print(found_by(copies, methods))
        if logos:
            print("\n".join(logo_report(logos, LevelRun(run.name, *_split(run, logos)), {})))
            print(found_by(logos, methods))
    return 0


def _split(
    run: LevelRun, cases: Sequence[dict[str, Any]]
) -> tuple[Predictions, Predictions, float, str]:
    ids = {c["id"] for c in cases}
    picks = {k: v for k, v in run.operating.items() if k in ids}
    return picks, picks, run.seconds, run.note


if __name__ == "__main__":
    sys.exit(main())
