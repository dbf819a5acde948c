"""Detection quality on the labelled text set: precision, recall and F1 per kind and overall.

The set (``bench/data/textset/``, made by ``bench/textset.py``) is loaded the way a user
would run it: ``registry.yaml`` is imported into a scratch SQLite registry and read back
through ``Registry.detector_assets()``; each ``listings.jsonl`` line becomes a ``Listing``
through the ``ipwatch detect`` input path (``ipwatch.services.batch_listings``: validation, NFC,
control characters dropped, whitespace runs collapsed).

Scoring is at flag level. A ``flag`` label is a true positive when its asset is flagged and a
false negative otherwise; a listing with any other flagged asset is a false positive (one per
listing). A ``no_flag`` listing with any flagged finding is a false positive. The threshold
curve re-reads the same findings with ``risk >= t`` instead of the detector's own threshold.

Two sets: ``textset`` (the default, ``bench/textset.py``), written beside the matchers, and
``holdout`` (``bench/textset_holdout.py``), generated apart from them with other marks, its
own disguise code, no seller or price on most positives, and hard negatives (famous brands and
registered marks a letter away, dictionary words, compatibility wording with typos). A third,
``thirdparty``, is built from real product names that no one here wrote by
``bench/textset_thirdparty.py`` into the git-ignored ``bench/.cache/`` (run that first).

Goal (issue 4): recall >= 0.97 at precision >= 0.97 overall, no disguise kind under 0.9.

A fourth, ``blind``, is real device titles with disguises written by someone who had not read
the matcher (``bench/textset_blind.py``, into ``bench/.cache/``; run that first).

Run: .venv/bin/python bench/detect_quality.py [--set textset|holdout|thirdparty|blind|DIR]
     [--json]
     [--max-errors 40]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detector.engine import Detector
from detector.normalize import is_cjk
from ipwatch.services.batch_listings import parse_line, to_listing
from model import Asset, Listing
from registry import Registry

DEFAULT_SET = Path(__file__).resolve().parent / "data" / "textset"
SETS = {
    "textset": DEFAULT_SET,
    "holdout": DEFAULT_SET.parent / "textset_holdout",
    "thirdparty": Path(__file__).resolve().parent / ".cache" / "textset_thirdparty",
    "blind": Path(__file__).resolve().parent / ".cache" / "textset_blind",
}
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(13))
GOAL_PRECISION = GOAL_RECALL = 0.97
GOAL_KIND_RECALL = 0.9
MAX_SHOWN_CHARS = 90


def load_assets(registry_file: Path) -> list[Asset]:
    """Import the registry file into a scratch SQLite registry and read the detector's view."""
    with tempfile.TemporaryDirectory(prefix="ipwatch-bench-") as tmp:
        registry = Registry(f"sqlite:///{Path(tmp) / 'registry.db'}")
        try:
            registry.import_file(registry_file)
            return registry.detector_assets()
        finally:
            registry.close()


def listing_from_json(row: dict[str, Any]) -> Listing:
    """One listings.jsonl row as ``ipwatch detect`` reads it (validated, text cleaned)."""
    return to_listing(parse_line(json.dumps(row, ensure_ascii=False).encode()))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass(frozen=True)
class Outcome:
    """One labelled listing and the risk the detector gave each asset it found."""

    label: dict[str, Any]
    title: str
    risks: dict[str, float]
    flagged: frozenset[str]

    def flags_at(self, threshold: float | None) -> frozenset[str]:
        """Flagged assets: the detector's own decision, or ``risk >= threshold``."""
        if threshold is None:
            return self.flagged
        return frozenset(a for a, r in self.risks.items() if r >= threshold)

    def counts(self, threshold: float | None = None) -> tuple[int, int, int]:
        """(tp, fn, fp) of this listing, each 0 or 1."""
        flags = self.flags_at(threshold)
        expected = self.label["asset_id"] if self.label["expect"] == "flag" else None
        if expected is None:
            return 0, 0, int(bool(flags))
        hit = expected in flags
        return int(hit), int(not hit), int(bool(flags - {expected}))


def run(set_dir: Path) -> tuple[list[Outcome], float]:
    """Detect every listing of the set; returns the outcomes and the detection seconds."""
    detector = Detector(load_assets(set_dir / "registry.yaml"))
    labels = {row["listing_id"]: row for row in read_jsonl(set_dir / "labels.jsonl")}
    outcomes = []
    started = time.perf_counter()
    for row in read_jsonl(set_dir / "listings.jsonl"):
        findings = detector.detect(listing_from_json(row))
        outcomes.append(
            Outcome(
                label=labels[row["id"]],
                title=row["title"],
                risks={f.asset_id: f.risk for f in findings},
                flagged=frozenset(f.asset_id for f in findings if f.flagged),
            )
        )
    return outcomes, time.perf_counter() - started


def prf(tp: int, fn: int, fp: int) -> dict[str, float | None]:
    """Precision, recall, F1; None where undefined (no flags, or no positives)."""
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {"precision": p, "recall": r, "f1": f1}


def summarize(outcomes: list[Outcome], threshold: float | None = None) -> dict[str, Any]:
    """Counts and P/R/F1 for all outcomes at one threshold (None: the detector's flags)."""
    tp = fn = fp = 0
    for o in outcomes:
        a, b, c = o.counts(threshold)
        tp, fn, fp = tp + a, fn + b, fp + c
    return {"n": len(outcomes), "tp": tp, "fn": fn, "fp": fp, **prf(tp, fn, fp)}


def report_data(outcomes: list[Outcome], seconds: float, max_errors: int) -> dict[str, Any]:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    by_lang: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.label["kind"]].append(o)
        by_lang[o.label["lang"]].append(o)
    kinds = {}
    for kind, group in by_kind.items():
        row = summarize(group)
        row["expect"] = group[0].label["expect"]
        row["zh"] = sum(o.label["lang"] == "zh" for o in group)
        kinds[kind] = row
    overall = summarize(outcomes)
    positive_recalls = [k["recall"] for k in kinds.values() if k["expect"] == "flag"]
    goal_met = (
        (overall["precision"] or 0) >= GOAL_PRECISION
        and (overall["recall"] or 0) >= GOAL_RECALL
        and all((r or 0) >= GOAL_KIND_RECALL for r in positive_recalls)
    )
    misses, false_alarms = [], []
    for o in outcomes:
        tp, fn, fp = o.counts()
        asset = o.label["asset_id"]
        if fn:
            misses.append(_error(o, asset, {asset: o.risks.get(asset, 0.0)}))
        if fp:
            wrong = {a: o.risks[a] for a in sorted(o.flagged) if not (tp and a == asset)}
            false_alarms.append(_error(o, asset, wrong))
    return {
        "listings": len(outcomes),
        "listings_per_second": round(len(outcomes) / seconds, 1) if seconds else None,
        "overall": overall,
        "by_lang": {lang: summarize(group) for lang, group in sorted(by_lang.items())},
        "kinds": kinds,
        "thresholds": [{"threshold": t, **summarize(outcomes, t)} for t in THRESHOLDS],
        "goal": {
            "precision": GOAL_PRECISION,
            "recall": GOAL_RECALL,
            "kind_recall": GOAL_KIND_RECALL,
            "met": goal_met,
        },
        "false_negatives": misses[:max_errors],
        "false_negatives_total": len(misses),
        "false_positives": false_alarms[:max_errors],
        "false_positives_total": len(false_alarms),
    }


def _error(o: Outcome, asset: str | None, risks: dict[str, float]) -> dict[str, Any]:
    return {
        "listing_id": o.label["listing_id"],
        "kind": o.label["kind"],
        "expected_asset": asset,
        "risks": {a: round(r, 3) for a, r in risks.items()},
        "title": escaped(o.title),
        "note": escaped(o.label["note"]),
    }


def escaped(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """Printable ASCII and CJK as is, everything else as \\uXXXX, cut to ``limit`` characters.

    Listing text is hostile (terminal escapes, bidi overrides) and the disguises are the
    point: a Cyrillic 'о' must be visible as \\u043e, not look like 'o'.
    """
    out = []
    for ch in text:
        if " " <= ch <= "~" or is_cjk(ch) or 0x3001 <= ord(ch) <= 0x303F:
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    shown = "".join(out)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _num(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def render(data: dict[str, Any]) -> str:
    head = f"{'kind':<22}{'n':>5}{'zh':>4}  {'TP':>4}{'FN':>4}{'FP':>4}  {'P':>6}{'R':>6}{'F1':>6}"
    lines = [f"{data['listings']} listings, {data['listings_per_second']} listings/s", "", head]

    def row(name: str, s: dict[str, Any], zh: str = "") -> str:
        return (
            f"{name:<22}{s['n']:>5}{zh:>4}  {s['tp']:>4}{s['fn']:>4}{s['fp']:>4}  "
            f"{_num(s['precision']):>6}{_num(s['recall']):>6}{_num(s['f1']):>6}"
        )

    for expect, title in (("flag", "positives (expect flag)"), ("no_flag", "negatives")):
        lines.append(f"-- {title}")
        for kind, s in sorted(data["kinds"].items()):
            if s["expect"] == expect:
                lines.append(row(kind, s, str(s["zh"])))
    lines.append("--")
    for lang, s in data["by_lang"].items():
        lines.append(row(f"lang={lang}", s))
    lines.append(row("OVERALL", data["overall"]))
    goal = data["goal"]
    lines.append(
        f"goal: P >= {goal['precision']} and R >= {goal['recall']} overall, every positive kind"
        f" R >= {goal['kind_recall']}: {'MET' if goal['met'] else 'NOT MET'}"
    )
    lines += ["", "threshold curve (flag = risk >= t)", f"{'t':>6}{'TP':>6}{'FN':>5}{'FP':>5}"
              f"{'P':>8}{'R':>7}{'F1':>7}"]  # fmt: skip
    for t in data["thresholds"]:
        lines.append(
            f"{t['threshold']:>6.2f}{t['tp']:>6}{t['fn']:>5}{t['fp']:>5}"
            f"{_num(t['precision']):>8}{_num(t['recall']):>7}{_num(t['f1']):>7}"
        )
    for key, title in (("false_negatives", "missed"), ("false_positives", "false alarms")):
        shown, total = data[key], data[f"{key}_total"]
        lines += ["", f"{title}: {total} (showing {len(shown)})"]
        for e in shown:
            risks = " ".join(f"{a}={r}" for a, r in e["risks"].items())
            lines.append(f"  {e['listing_id']} {e['kind']:<20} {risks:<28} {e['title']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", default="textset", help="textset, holdout, thirdparty, blind or a set's folder"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--max-errors", type=int, default=40, help="errors listed per type")
    args = parser.parse_args(argv)
    set_dir = SETS.get(args.set, Path(args.set))
    if not (set_dir / "labels.jsonl").is_file():
        parser.error(
            f"{set_dir} holds no labelled set; for --set thirdparty run"
            " bench/textset_thirdparty.py first (--set blind: bench/textset_blind.py)"
        )
    outcomes, seconds = run(set_dir)
    data = report_data(outcomes, seconds, args.max_errors)
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else render(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
