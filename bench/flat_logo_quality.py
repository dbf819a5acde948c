"""Recall and precision of the logo matcher on flat logos, without and with the flat stage.

The flat-logo group (``bench/imageset_flat.py``: coloured squares, a 2x2 grid, a silhouette, a
one-letter tile and flat simple-icons logos pasted into real scikit-image photos at 10/20/30/40 %
of the width; negatives are the same shapes in other colours, similar shapes and other flat
logos) is scored twice with ``LogoMatcher``: the SIFT stage alone (before) and with the
colour-and-shape stage (after), per width, per variant and per kind of negative, and the time
per photo of each run.

Run: .venv/bin/python bench/flat_logo_quality.py [--seed 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.imageset_flat import FLAT_LOGOS, SEED, flat_cases, reference
from bench.imageset_metrics import Predictions, fmt, score
from detector.settings import DetectionSettings
from detector.vision.logos import LogoMatcher
from model import Asset, AssetKind, ListingImage, ReferenceImage


def flat_assets() -> list[Asset]:
    """One figurative mark per registered flat logo, owned by a firm of its own."""
    out = []
    for logo in FLAT_LOGOS:
        if logo.registered:
            ref = ReferenceImage(f"flat-{logo.name}", reference(logo), label=logo.name)
            out.append(
                Asset(
                    f"flat-{logo.name}",
                    f"owner-{logo.name}",
                    AssetKind.FIGURATIVE_MARK,
                    logo.name,
                    images=(ref,),
                )
            )
    return out


def run(matcher: LogoMatcher, cases: list[dict[str, Any]]) -> tuple[Predictions, float]:
    """Each case's photo alone; the assets found and the seconds per photo."""
    out: Predictions = {}
    start = time.perf_counter()
    for case in cases:
        found = matcher.match([ListingImage(f"bench://{case['id']}", None, case["image"])])
        out[case["id"]] = {a: max(m.score(matcher.params) for m in ms) for a, ms in found.items()}
    return out, (time.perf_counter() - start) / max(1, len(cases))


def report(cases: list[dict[str, Any]], picks: Predictions) -> dict[str, Any]:
    def row(subset: list[dict[str, Any]]) -> dict[str, Any]:
        s = score(subset, picks)
        return {
            "n": len(subset),
            "tp": s.tp,
            "fp": s.fp,
            "recall": s.recall,
            "precision": s.precision,
        }

    groups: dict[str, dict[str, Any]] = defaultdict(dict)
    for key in ("scale", "variant"):
        for value in sorted({c[key] for c in cases}):
            groups[key][str(value)] = row([c for c in cases if c[key] == value])
    for kind in sorted({c["kind"] for c in cases if c["expect"] == "no_match"}):
        groups["negatives"][kind] = score([c for c in cases if c["kind"] == kind], picks).fp
    for asset_id in sorted({c["asset_id"] for c in cases if c["expect"] == "match"}):
        subset = [c for c in cases if c.get("asset_id") == asset_id]
        groups["recall_by_logo"][asset_id] = score(subset, picks).recall
    return {"all": row(cases), **groups}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    cases = flat_cases(args.seed)
    assets = flat_assets()
    results = {}
    for name, flat in (("before (SIFT stage only)", False), ("after (with the flat stage)", True)):
        matcher = LogoMatcher(assets, DetectionSettings(), flat=flat)
        picks, seconds = run(matcher, cases)
        results[name] = report(cases, picks) | {
            "seconds_per_photo": round(seconds, 4),
            "flat_references": matcher.flat_references,
        }
    if args.json:
        print(json.dumps({"seed": args.seed, "cases": len(cases), "runs": results}, indent=2))
        return 0
    positives = sum(c["expect"] == "match" for c in cases)
    print(f"flat-logo group: seed {args.seed}, {len(cases)} cases ({positives} positives)")
    for name, result in results.items():
        print(f"\n== {name}: {result['seconds_per_photo'] * 1e3:.0f} ms/photo ==")
        for key in ("scale", "variant"):
            for value, r in result[key].items():
                print(
                    f"  {key} {value:<12} n={r['n']:3d} TP={r['tp']:3d} FP={r['fp']:2d}"
                    f"  precision={fmt(r['precision'])}  recall={fmt(r['recall'])}"
                )
        print(f"  false positives by kind of negative: {dict(result['negatives'])}")
        recall = ", ".join(f"{a} {fmt(r)}" for a, r in result["recall_by_logo"].items())
        print(f"  recall by logo: {recall}")
        a = result["all"]
        print(f"  ALL: precision={fmt(a['precision'])} recall={fmt(a['recall'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
