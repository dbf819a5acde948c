"""Score the blind logo set (``bench/logoset_blind.py``) through the public detector engine.

Why: the matcher's own logo figures come from sets written beside it; this scores a set it
was not developed on, once. Each registered logo is a figurative mark of its own owner with
no keywords, and each case is a listing with an empty title and one photo, so a finding can
only come from the picture. A registered asset found in a case by an image signal (``logo``,
``image_copy``, or a ``word_mark`` whose evidence says OCR read it from the image) is a
prediction; recall is over pasted registered logos, precision over predictions.

Run: ``PYTHONPATH=$PWD python bench/logo_quality_blind.py [--limit N] [--json]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

DEFAULT_SET = Path(__file__).resolve().parent / ".cache" / "logoset_blind"
LOG_EVERY = 50  # cases between progress lines when stderr is not a terminal
IMAGE_KINDS = ("image_copy", "logo")


def image_signal(signal: Any) -> bool:
    """Whether a signal came from the picture (a logo/copy match, or OCR of the image)."""
    if signal.kind in IMAGE_KINDS:
        return True
    if signal.kind != "word_mark":
        return False
    evidence = signal.evidence if isinstance(signal.evidence, Mapping) else {}
    items = [evidence, *(evidence.get("matches") or ())]
    return any(isinstance(item, Mapping) and item.get("field") == "image_text" for item in items)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def score(
    cases: Sequence[Mapping[str, Any]], predictions: Mapping[str, Iterable[str]]
) -> dict[str, Any]:
    """Recall and precision of ``predictions`` (case id -> predicted asset ids) on ``cases``.

    A re-coloured flat mark is a negative under the colour claim (the set's labels); the
    ``shape_reading`` block counts a prediction of the mark it was re-coloured from as a hit
    instead, and those cases as positives.
    """
    hits: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    misses: list[dict[str, Any]] = []
    false_positives: list[dict[str, Any]] = []
    negatives: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # cases, cases with FP, FPs
    true_pos = false_pos = 0
    shape_hits = shape_cases = shape_fp = 0
    for case in cases:
        predicted = set(predictions.get(case["id"], ()))
        labels = set(case["labels"])
        widths = {row["logo"]: row["width_pct"] for row in case["pasted"]}
        for label in sorted(labels):
            found = label in predicted
            kind = case["label_kinds"][label]
            keys = {
                "overall": "all",
                "width": f"{widths[label]} %",
                "transform": case["transform"],
                "kind": kind,
                "logo": label,
                "logos_in_photo": str(len(labels)),
            }
            for group, key in keys.items():
                hits[group][key][0] += found
                hits[group][key][1] += 1
            if not found:
                misses.append(
                    {
                        "case": case["id"],
                        "logo": label,
                        "kind": kind,
                        "transform": case["transform"],
                        "width_pct": widths[label],
                        "photo": case["photo"],
                    }
                )
        true_pos += len(predicted & labels)
        wrong = sorted(predicted - labels)
        false_pos += len(wrong)
        kind_of_case = case.get("negative_kind") or "positive"
        if not case["positive"]:
            negatives[kind_of_case][0] += 1
            negatives[kind_of_case][1] += bool(wrong)
        negatives[kind_of_case][2] += len(wrong)
        for asset in wrong:
            false_positives.append(
                {
                    "case": case["id"],
                    "predicted": asset,
                    "negative_kind": kind_of_case,
                    "pasted": [row["logo"] for row in case["pasted"]],
                    "transform": case["transform"],
                    "width_pct": [row["width_pct"] for row in case["pasted"]],
                    "photo": case["photo"],
                }
            )
        if case.get("negative_kind") == "recolour":
            shape_cases += 1
            source = case.get("recolour_of")
            shape_hits += source in predicted
            shape_fp += len(predicted - {source})
    positives_fp = negatives.get("positive", [0, 0, 0])[2]
    per_negative = {}
    for kind, (count, with_fp, fps) in sorted(negatives.items()):
        if kind == "positive":
            continue
        per_negative[kind] = {
            "cases": count,
            "cases_with_fp": with_fp,
            "false_positives": fps,
            "fp_rate": _ratio(with_fp, count),
            "precision_with_positives": _ratio(true_pos, true_pos + positives_fp + fps),
        }
    recall = {
        group: {
            key: {"found": f, "of": n, "recall": _ratio(f, n)}
            for key, (f, n) in sorted(values.items(), key=lambda kv: _sort_key(kv[0]))
        }
        for group, values in hits.items()
    }
    labelled = sum(len(case["labels"]) for case in cases)
    recolour_fp = negatives.get("recolour", [0, 0, 0])[2]
    return {
        "cases": len(cases),
        "positive_cases": sum(1 for c in cases if c["positive"]),
        "negative_cases": sum(1 for c in cases if not c["positive"]),
        "labelled_logos": labelled,
        "recall": recall,
        "true_positives": true_pos,
        "false_positives": false_pos,
        "precision": _ratio(true_pos, true_pos + false_pos),
        "wrong_asset_on_positives": positives_fp,
        "per_negative_kind": per_negative,
        "without_recolour": {
            "precision": _ratio(true_pos, true_pos + false_pos - recolour_fp),
        },
        "shape_reading": {
            "recolour_cases": shape_cases,
            "recolour_found_as_source": shape_hits,
            "recall": _ratio(
                hits["overall"]["all"][0] + shape_hits, hits["overall"]["all"][1] + shape_cases
            )
            if hits
            else None,
            "precision": _ratio(
                true_pos + shape_hits, true_pos + false_pos - recolour_fp + shape_hits + shape_fp
            ),
        },
        "misses": misses,
        "false_positive_list": false_positives,
    }


def _sort_key(key: str) -> tuple[int, str]:
    head = key.split()[0]
    return (int(head), key) if head.isdigit() else (10**6, key)


def _sample(cases: list[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """Every case, or ``limit`` of them spread evenly over the set (for a quick run)."""
    if not limit or limit >= len(cases):
        return cases
    step = math.ceil(len(cases) / limit)
    return cases[::step][:limit]


def _load(path: Path) -> tuple[Any, str]:
    from PIL import Image

    data = path.read_bytes()
    image = Image.open(path)
    image.load()
    return image.convert("RGB"), hashlib.sha256(data).hexdigest()


def _select(
    cases: list[dict[str, Any]], logos: Sequence[str], transforms: Sequence[str]
) -> list[dict[str, Any]]:
    """The cases that show one of ``logos`` (pasted or re-coloured from) and use one of
    ``transforms``; an empty filter keeps all. For quick loops; a full score uses neither."""

    def shows(case: Mapping[str, Any]) -> bool:
        names = {row["logo"] for row in case["pasted"]} | set(case["labels"])
        names.add(case.get("recolour_of") or "")
        return not logos or bool(names & set(logos))

    return [c for c in cases if shows(c) and (not transforms or c["transform"] in transforms)]


def run(
    set_dir: Path,
    limit: int | None,
    logos: Sequence[str] = (),
    transforms: Sequence[str] = (),
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Build the detector on the set's registered logos and predict every (selected) case."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from detector.engine import Detector
    from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage

    manifest = json.loads((set_dir / "manifest.json").read_text())
    assets = []
    for entry in manifest["assets"]:
        image, digest = _load(set_dir / entry["reference"])
        name = entry["id"]
        assets.append(
            Asset(
                name,
                f"owner-{name}",
                AssetKind.FIGURATIVE_MARK,
                name,
                keywords=(),
                images=(ReferenceImage(digest, image, label=name),),
            )
        )
    started = time.perf_counter()
    detector = Detector(assets)
    build_s = time.perf_counter() - started
    cases = _sample(_select(manifest["cases"], logos, transforms), limit)
    predictions: dict[str, list[str]] = {}
    flagged: dict[str, list[str]] = {}
    seconds: list[float] = []
    terminal = sys.stderr.isatty()
    run_started = time.perf_counter()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not terminal,
    ) as progress:
        task = progress.add_task("detecting", total=len(cases))
        for done, case in enumerate(cases, 1):
            image, digest = _load(set_dir / case["file"])
            url = f"bench://{case['id']}"
            listing = Listing(
                case["id"], "bench", url, "", images=(ListingImage(url, digest, image),)
            )
            started = time.perf_counter()
            findings = list(detector.detect(listing))
            seconds.append(time.perf_counter() - started)
            predictions[case["id"]] = sorted(
                {f.asset_id for f in findings if any(image_signal(s) for s in f.signals)}
            )
            flagged[case["id"]] = sorted(
                {
                    f.asset_id
                    for f in findings
                    if f.flagged and any(image_signal(s) for s in f.signals)
                }
            )
            progress.advance(task)
            if not terminal and (done % LOG_EVERY == 0 or done == len(cases)):
                _log_progress(done, len(cases), time.perf_counter() - run_started)
    result = score(cases, predictions)
    result["flagged_only"] = {
        k: v
        for k, v in score(cases, flagged).items()
        if k in ("precision", "true_positives", "false_positives")
    }
    result["flagged_only"]["recall"] = score(cases, flagged)["recall"]["overall"]
    ordered = sorted(seconds)
    result["timing"] = {
        "detector_build_s": round(build_s, 2),
        "seconds_per_photo": round(sum(seconds) / len(seconds), 3) if seconds else None,
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3) if ordered else None,
        "total_s": round(sum(seconds), 1),
    }
    result["set"] = {"dir": str(set_dir), "seed": manifest["seed"], "source": manifest["source"]}
    return result, predictions


def _log_progress(done: int, total: int, elapsed_s: float) -> None:
    """One progress line on stderr: a bar does not show when stderr goes to a log file."""
    left = elapsed_s / done * (total - done)
    print(
        f"detecting {done}/{total} ({elapsed_s:.0f} s, about {left:.0f} s left)",
        file=sys.stderr,
        flush=True,
    )


def report(result: dict[str, Any]) -> str:
    """The score as plain text."""
    lines = [
        f"set: {result['set']['dir']} (seed {result['set']['seed']}; {result['set']['source']})",
        f"cases {result['cases']}: {result['positive_cases']} positive "
        f"({result['labelled_logos']} pasted registered logos), "
        f"{result['negative_cases']} negative",
    ]
    overall = result["recall"].get("overall", {}).get("all", {})
    lines.append(
        f"RECALL {overall.get('recall')} ({overall.get('found')}/{overall.get('of')})   "
        f"PRECISION {result['precision']} (TP {result['true_positives']}, "
        f"FP {result['false_positives']}; wrong asset on positives "
        f"{result['wrong_asset_on_positives']})"
    )
    for group in ("width", "transform", "kind", "logos_in_photo", "logo"):
        lines.append(f"recall by {group}:")
        for key, value in result["recall"].get(group, {}).items():
            lines.append(f"  {key:<16} {value['recall']}  ({value['found']}/{value['of']})")
    lines.append("negatives by kind (cases, cases with FP, FPs, precision with positives):")
    for kind, value in result["per_negative_kind"].items():
        lines.append(
            f"  {kind:<12} {value['cases']:>4} {value['cases_with_fp']:>4} "
            f"{value['false_positives']:>4}  {value['precision_with_positives']}"
        )
    shape = result["shape_reading"]
    lines.append(
        f"colour claim (labels as set): precision {result['precision']}; "
        f"without recolour cases: {result['without_recolour']['precision']}"
    )
    lines.append(
        f"shape reading (recolour = positive of its source): recall {shape['recall']}, "
        f"precision {shape['precision']} ({shape['recolour_found_as_source']}/"
        f"{shape['recolour_cases']} recoloured marks found as their source)"
    )
    flagged = result.get("flagged_only")
    if flagged:
        lines.append(
            f"flagged findings only: recall {flagged['recall'].get('all', {}).get('recall')}, "
            f"precision {flagged['precision']}"
        )
    timing = result.get("timing", {})
    lines.append(
        f"seconds per photo {timing.get('seconds_per_photo')} (p95 {timing.get('p95_s')}, "
        f"total {timing.get('total_s')} s, detector build {timing.get('detector_build_s')} s)"
    )
    lines.append(f"false positives ({len(result['false_positive_list'])}):")
    for fp in result["false_positive_list"]:
        lines.append(
            f"  {fp['case']:<24} predicted {fp['predicted']:<16} pasted {fp['pasted']} "
            f"{fp['transform']} {fp['width_pct']} % ({fp['negative_kind']}, {fp['photo']})"
        )
    lines.append(f"misses ({len(result['misses'])}):")
    for miss in result["misses"]:
        lines.append(
            f"  {miss['case']:<24} {miss['logo']:<16} {miss['kind']:<5} "
            f"{miss['transform']:<12} {miss['width_pct']} % ({miss['photo']})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the generated set")
    parser.add_argument("--limit", type=int, default=None, help="score N cases spread evenly")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--save", type=Path, default=None, help="also write result + predictions")
    parser.add_argument(
        "--logo", action="append", default=[], help="only cases showing this logo (repeatable)"
    )
    parser.add_argument(
        "--transform", action="append", default=[], help="only cases under this transform"
    )
    args = parser.parse_args(argv)
    result, predictions = run(args.set, args.limit, args.logo, args.transform)
    if args.save:
        args.save.write_text(json.dumps({"result": result, "predictions": predictions}, indent=1))
    print(json.dumps(result, indent=1) if args.json else report(result))


if __name__ == "__main__":
    main()
