"""Patent matching quality and speed per embedder, against a lexical baseline run alongside.

Data (written by hand for this bench): ``bench/data/patent_assets.json`` (10 utility patents,
7 with English claims and 3 with Chinese claims, plus 2 design patents) and
``bench/data/patent_pairs.jsonl`` (listings labelled 1 when they practise the patent's claim
in other words, or sell its design article; 0 for same-domain listings that do not).

Quality is measured on two sets: the labelled *hard* pairs, and *all* pairs, which adds every
utility listing against every other utility patent as a negative (the daily case: most
listings have nothing to do with a given patent). For each element threshold in a grid the
best patent-score threshold is found; the element threshold with the best F1 on all pairs is
the embedder's calibration, and its score curve is printed. Calibrating on the same small
set flatters every embedder alike: compare them with each other, not with a goal.

The baseline is a bag of words (English words, CJK character bigrams) hashed into a vector:
cosine of such vectors is token overlap. It runs through the same ``PatentIndex``, so its
row shows what the embeddings add. Speed is sentences per second encoding each listing's
clauses as one batch, printed as a ratio to the baseline measured in the same run; model
load time and RSS come from a fresh interpreter per model.

Run: .venv/bin/python bench/semantic_quality.py                (USE + baseline)
     /tmp/minilm-venv/bin/python bench/semantic_quality.py      (adds MiniLM)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detector.semantic.clauses import listing_clauses
from detector.semantic.embedder import EmbedderUnavailableError, get_embedder, l2_normalise
from detector.semantic.patents import Calibration, PatentIndex
from model import Asset, AssetKind, Listing

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
ELEMENT_GRID = tuple(round(0.1 + 0.05 * i, 2) for i in range(10))  # 0.10 .. 0.55
BASELINE_GRID = tuple(round(0.05 + 0.05 * i, 2) for i in range(8))  # 0.05 .. 0.40
SCORE_GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 .. 0.95
SPEED_ROUNDS = 3


class LexicalEmbedder:
    """Hashed bag of words: English words and CJK character bigrams; cosine = token overlap."""

    name = "lexical"
    dimension = 4096
    _WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")
    _STOP = frozenset(
        ("a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "is", "it", "by", "at")
    )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in self._tokens(text.casefold()):
                out[row, zlib.crc32(token.encode()) % self.dimension] = 1.0
        return l2_normalise(out)

    def _tokens(self, text: str) -> list[str]:
        tokens: list[str] = []
        for run in self._WORD.findall(text):
            if run.isascii():
                if run not in self._STOP:
                    tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        return tokens


class MemoEmbedder:
    """Encodes each distinct text once, so the threshold grid does not re-run the model."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.dimension = inner, inner.name, inner.dimension
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self._cache.update(zip(missing, self.inner.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


@dataclass(frozen=True)
class Pair:
    listing: Listing
    asset_id: str
    label: int
    lang: str
    asset_lang: str
    hard: bool  # a labelled pair (True) or a listing against another utility patent


def load() -> tuple[list[Asset], dict[str, str], list[Pair]]:
    raw_assets = json.loads((DATA / "patent_assets.json").read_text(encoding="utf-8"))
    assets = [
        Asset(
            id=a["id"],
            owner="bench",
            kind=AssetKind(a["kind"]),
            name=a["name"],
            registration_number=a.get("registration_number"),
            keywords=tuple(a.get("keywords", ())),
            claims=tuple(a.get("claims", ())),
        )
        for a in raw_assets
    ]
    langs = {a["id"]: a["lang"] for a in raw_assets}
    utility = [a.id for a in assets if a.kind is AssetKind.UTILITY_PATENT]
    pairs: list[Pair] = []
    lines = (DATA / "patent_pairs.jsonl").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        row = json.loads(line)
        listing = Listing(
            id=f"L{number}",
            marketplace="bench",
            url=f"https://bench.example/{number}",
            title=row["title"],
            description=row.get("description", ""),
        )
        own = row["asset"]
        pairs.append(Pair(listing, own, row["label"], row["lang"], langs[own], True))
        for other in utility:
            if other != own:
                pairs.append(Pair(listing, other, 0, row["lang"], langs[other], False))
    return assets, langs, pairs


def prf(labels: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    tp = int((labels & predicted).sum())
    fp = int((~labels & predicted).sum())
    fn = int((labels & ~predicted).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def scores_for(index: PatentIndex, pairs: list[Pair]) -> np.ndarray:
    """Patent score of each pair (claim coverage, or article similarity for designs)."""
    by_listing: dict[str, dict[str, Any]] = {}
    out = np.zeros(len(pairs))
    for i, pair in enumerate(pairs):
        signals = by_listing.get(pair.listing.id)
        if signals is None:
            signals = by_listing[pair.listing.id] = index.match(pair.listing)
        signal = signals.get(pair.asset_id)
        if signal is None:
            continue
        out[i] = signal.evidence["similarity"] if signal.kind == "design_article" else signal.score
    return out


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float, float, float]:
    """(score threshold, precision, recall, F1) with the best F1 (ties: higher threshold)."""
    best = (0.0, 0.0, 0.0, -1.0)
    for t in SCORE_GRID:
        p, r, f = prf(labels, scores >= t)
        if f >= best[3]:
            best = (t, p, r, f)
    return best


def evaluate(
    embedder: Any, assets: list[Asset], pairs: list[Pair], english_only: bool = False
) -> dict[str, Any]:
    """Grid, operating point, language slices, curve and design F1 for one embedder."""
    memo = MemoEmbedder(embedder)
    utility = [p for p in pairs if not p.asset_id.startswith("d")]
    if english_only:
        utility = [p for p in utility if p.lang == p.asset_lang == "en"]
    hard = np.array([p.hard for p in utility])
    labels = np.array([bool(p.label) for p in utility])
    grid = BASELINE_GRID if embedder.name == "lexical" else ELEMENT_GRID
    rows, best = [], None
    for element_t in grid:
        calibration = Calibration(element_t, min_claim_score=0.0, article_threshold=-1.0)
        index = PatentIndex(assets, calibration=calibration, embedder=memo)
        scores = scores_for(index, utility)
        t_hard = best_threshold(scores[hard], labels[hard])
        t_all = best_threshold(scores, labels)
        rows.append((element_t, t_hard, t_all))
        if best is None or t_all[3] > best[2][3]:
            best = (element_t, scores, t_all)
    assert best is not None
    element_t, scores, t_all = best
    predicted = scores >= t_all[0]
    by_lang = {}
    for name, mask in {
        "listing en": np.array([p.lang == "en" for p in utility]),
        "listing zh": np.array([p.lang == "zh" for p in utility]),
        "cross-lingual": np.array([p.lang != p.asset_lang for p in utility]),
    }.items():
        by_lang[name] = prf(labels[mask], predicted[mask])
    curve = [
        (t, *prf(labels[hard], scores[hard] >= t), *prf(labels, scores >= t)) for t in SCORE_GRID
    ]
    design = [p for p in pairs if p.asset_id.startswith("d") and p.hard]
    index = PatentIndex(assets, calibration=Calibration(0.5, 0.0, -1.0), embedder=memo)
    d_scores = scores_for(index, design)
    d_labels = np.array([bool(p.label) for p in design])
    errors = [
        (float(score), p.label, p.asset_id, p.listing.title)
        for p, score, flagged in zip(utility, scores, predicted, strict=True)
        if p.hard and bool(p.label) != bool(flagged)
    ]
    return {
        "errors": sorted(errors, reverse=True),
        "grid": rows,
        "element_threshold": element_t,
        "operating": t_all,
        "hard_at_operating": prf(labels[hard], scores[hard] >= t_all[0]),
        "by_lang": by_lang,
        "curve": curve,
        "design": best_threshold(d_scores, d_labels),
        "design_pairs": len(design),
        "pairs": (int(hard.sum()), len(utility)),
    }


def speed(embedder: Any, listings: list[Listing]) -> tuple[float, int]:
    """Sentences per second, one batch per listing (median of rounds); and the sentence count."""
    batches = [listing_clauses(x.title, x.description) for x in listings]
    count = sum(len(b) for b in batches)
    embedder.encode(batches[0])  # warm caches
    rates = []
    for _ in range(SPEED_ROUNDS):
        start = time.perf_counter()
        for batch in batches:
            embedder.encode(batch)
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates), count


def match_rate(embedder: Any, assets: list[Asset], listings: list[Listing]) -> float:
    """Listings per second through ``PatentIndex.match`` with every bench patent registered."""
    index = PatentIndex(assets, embedder=embedder)
    index.match(listings[0])
    start = time.perf_counter()
    for listing in listings:
        index.match(listing)
    return len(listings) / (time.perf_counter() - start)


_LOAD_PROBE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
import numpy
from detector.semantic.embedder import get_embedder
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
before = rss()
start = time.perf_counter()
get_embedder({name!r})
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "rss_before": before, "rss_after": rss(),
    "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def load_cost(name: str) -> dict[str, float] | None:
    """Model load seconds and RSS (MiB) in a fresh interpreter, so nothing is already cached."""
    code = _LOAD_PROBE.format(root=str(ROOT), name=name)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def available_embedders() -> list[Any]:
    found = [LexicalEmbedder()]
    for name in ("use", "minilm"):
        try:
            found.append(get_embedder(name))
        except EmbedderUnavailableError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-speed", action="store_true", help="quality only")
    args = parser.parse_args(argv)
    assets, _, pairs = load()
    listings = list({p.listing.id: p.listing for p in pairs}.values())
    hard = sum(p.hard for p in pairs)
    print(f"{len(assets)} patents, {hard} labelled pairs, {len(pairs)} pairs with cross negatives")
    results, english = {}, {}
    for embedder in available_embedders():
        results[embedder.name] = (embedder, evaluate(embedder, assets, pairs))
        english[embedder.name] = evaluate(embedder, assets, pairs, english_only=True)
    print("\n== element-threshold grid (best F1 over patent-score thresholds) ==")
    for name, (_, r) in results.items():
        for element_t, t_hard, t_all in r["grid"]:
            print(
                f"{name:8} element>={element_t:.2f}  hard F1 {t_hard[3]:.3f} @ {t_hard[0]:.2f}"
                f"   all F1 {t_all[3]:.3f} @ {t_all[0]:.2f} (P {t_all[1]:.3f} R {t_all[2]:.3f})"
            )
    print("\n== operating point per embedder (chosen on all pairs) ==")
    print(
        f"{'embedder':8} {'elem_t':>6} {'score_t':>7} | {'all P':>6} {'R':>6} {'F1':>6} |"
        f" {'hard P':>6} {'R':>6} {'F1':>6} | design F1 @sim"
    )
    for name, (_, r) in results.items():
        t, p, rec, f = r["operating"]
        hp, hr, hf = r["hard_at_operating"]
        dt, _, _, df = r["design"]
        print(
            f"{name:8} {r['element_threshold']:6.2f} {t:7.2f} | {p:6.3f} {rec:6.3f} {f:6.3f} |"
            f" {hp:6.3f} {hr:6.3f} {hf:6.3f} | {df:.3f} @ {dt:.2f}"
        )
    print("\n== English listings x English claims only, calibrated on that slice ==")
    for name, r in english.items():
        t, p, rec, f = r["operating"]
        hp, hr, hf = r["hard_at_operating"]
        print(
            f"{name:8} {r['element_threshold']:6.2f} {t:7.2f} | {p:6.3f} {rec:6.3f} {f:6.3f} |"
            f" {hp:6.3f} {hr:6.3f} {hf:6.3f}   ({r['pairs'][0]} labelled, {r['pairs'][1]} all)"
        )
    print("\n== by language at the operating point (all pairs) ==")
    for name, (_, r) in results.items():
        parts = [f"{k}: P {v[0]:.3f} R {v[1]:.3f} F1 {v[2]:.3f}" for k, v in r["by_lang"].items()]
        print(f"{name:8} " + " | ".join(parts))
    for name, (_, r) in results.items():
        print(f"\n== threshold curve: {name}, element threshold {r['element_threshold']:.2f} ==")
        print("score_t | hard P    R     F1   | all P     R     F1")
        for t, hp, hr, hf, ap, ar, af in r["curve"]:
            print(f"  {t:.2f}  | {hp:.3f} {hr:.3f} {hf:.3f} | {ap:.3f} {ar:.3f} {af:.3f}")
    for name, (_, r) in results.items():
        if name == "lexical":
            continue
        print(f"\n== {name}: labelled pairs wrong at the operating point (score, label, patent) ==")
        for score, label, asset_id, title in r["errors"]:
            print(f"  {score:.2f} {'FN' if label else 'FP'} {asset_id:22} {title[:70]!r}")
    if args.no_speed:
        return 0
    print("\n== speed (one batch per listing; ratio to the lexical baseline in this run) ==")
    base_rate = None
    for name, (embedder, _) in results.items():
        rate, count = speed(embedder, listings)
        base_rate = base_rate or rate
        per_listing = match_rate(embedder, assets, listings)
        cost = load_cost(name) if name != "lexical" else None
        loaded = (
            f" load {cost['seconds']:.2f}s, RSS +{cost['rss_after'] - cost['rss_before']:.0f} MiB"
            f" ({cost['rss_before']:.0f} -> {cost['rss_after']:.0f} MiB)"
            if cost
            else ""
        )
        print(
            f"{name:8} {rate:9.0f} sentences/s ({count} sentences) = {rate / base_rate:.4f} x"
            f" baseline; match {per_listing:.1f} listings/s;{loaded}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
