"""Detection speed against 10, 1,000 and 10,000 word marks, vs a plain rapidfuzz loop.

Registered marks: the text set's marks (``bench/data/textset/registry.yaml``, loaded through
the registry) topped up with synthetic pronounceable fictional marks, deterministic for a
seed. Listings: the text set's titles and descriptions, in file order. The baseline is what
a first attempt would do: for each listing, ``rapidfuzz.process.extract`` with
``fuzz.partial_ratio`` over every registered mark (all marks at or above a cutoff). Both are
timed in the same run on the same listings; each measurement stops after ``--budget``
seconds, so the slow baseline at 10,000 marks sees fewer listings and rates are per listing.

Run: .venv/bin/python bench/detect_speed.py [--sizes 10 1000 10000] [--budget 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.detect_quality import DEFAULT_SET, listing_from_json, load_assets, read_jsonl
from detector.engine import Detector
from model import Asset, AssetKind

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from model import Listing

ONSETS = ("b", "br", "d", "dr", "f", "g", "gl", "k", "kr", "l", "m", "n", "p", "pl", "pr",
          "r", "s", "st", "t", "tr", "v", "z", "qu", "sh", "ch", "h", "j")  # fmt: skip
VOWELS = ("a", "e", "i", "o", "u", "ia", "ea", "ou", "ai", "y")
CODAS = ("", "", "", "n", "r", "l", "x", "s", "m", "nt", "rk")
BASELINE_CUTOFF = 85  # partial_ratio score at which the baseline reports a mark


def synthetic_marks(count: int, seed: int, taken: set[str]) -> list[str]:
    """``count`` distinct pronounceable marks of 4-12 letters, the same for the same seed."""
    rng = random.Random(seed)
    out: list[str] = []
    seen = {t.casefold() for t in taken}
    while len(out) < count:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        if 4 <= len(word) <= 12 and word not in seen:
            seen.add(word)
            out.append(word.upper())
    return out


def registered(size: int, base: Sequence[Asset], seed: int) -> list[Asset]:
    """The set's marks first, then synthetic word marks up to ``size``."""
    assets = list(base[:size])
    names = synthetic_marks(size - len(assets), seed, {a.name for a in base})
    template = Asset(
        id="",
        owner="Synthetic Brands",
        kind=AssetKind.WORD_MARK,
        name="",
        classes=("25",),
        authorized_sellers=("Synthetic Official Store",),
        price_floor=Decimal("50"),
        currency="USD",
    )
    assets += [replace(template, id=f"syn-{i:05d}", name=n) for i, n in enumerate(names)]
    return assets


def timed(work: Callable[[Listing], object], listings: Sequence[Listing], budget: float) -> dict:
    """Run ``work`` over listings until done or ``budget`` seconds pass; per-listing rate."""
    started = time.perf_counter()
    done = 0
    for listing in listings:
        work(listing)
        done += 1
        if time.perf_counter() - started > budget:
            break
    seconds = time.perf_counter() - started
    return {"listings": done, "seconds": round(seconds, 3), "per_second": done / seconds}


def rapidfuzz_baseline(marks: list[str]) -> Callable[[Listing], object]:
    """Every mark scored against the folded title and description, kept at >= the cutoff."""

    def work(listing: Listing) -> object:
        text = f"{listing.title} {listing.description}".casefold()
        return process.extract(
            text, marks, scorer=fuzz.partial_ratio, score_cutoff=BASELINE_CUTOFF, limit=None
        )

    return work


def measure(size: int, base: Sequence[Asset], listings: Sequence[Listing], args: Any) -> dict:
    assets = registered(size, base, args.seed)
    started = time.perf_counter()
    detector = Detector(assets)
    build = time.perf_counter() - started
    folded = [a.name.casefold() for a in assets]
    ours = timed(detector.detect, listings, args.budget)
    plain = timed(rapidfuzz_baseline(folded), listings, args.budget)
    return {
        "marks": size,
        "index_build_seconds": round(build, 3),
        "detector": ours,
        "rapidfuzz": plain,
        "speedup": ours["per_second"] / plain["per_second"],
    }


HEADER = (
    f"{'marks':>7}  {'build s':>8}  {'detector/s':>11} {'(n)':>6}  "
    f"{'rapidfuzz/s':>11} {'(n)':>6}  {'detector vs rapidfuzz':>22}"
)


def render_row(r: dict) -> str:
    d, p = r["detector"], r["rapidfuzz"]
    return (
        f"{r['marks']:>7}  {r['index_build_seconds']:>8.3f}  {d['per_second']:>11.1f} "
        f"{d['listings']:>6}  {p['per_second']:>11.1f} {p['listings']:>6}  "
        f"{r['speedup']:>21.2f}x"
    )


def growth(rows: list[dict]) -> list[str]:
    """How much more a listing costs at the largest size than at the smallest."""
    if len(rows) < 2:
        return []
    first, last = rows[0], rows[-1]
    lines = []
    for name in ("detector", "rapidfuzz"):
        slower = first[name]["per_second"] / last[name]["per_second"]
        lines.append(
            f"{name}: {last['marks']} marks cost {slower:.2f}x the time per listing of "
            f"{first['marks']} marks"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 10000])
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--seed", type=int, default=9, help="seed of the synthetic marks")
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="folder of the text set")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    base = load_assets(args.set / "registry.yaml")
    listings = [listing_from_json(r) for r in read_jsonl(args.set / "listings.jsonl")]
    Detector(base).detect(listings[0])  # warm-up: lazy tables and caches load once, untimed
    rows = []
    if not args.json:
        print(f"{len(listings)} listings available, {args.budget:g} s budget per measurement")
        print(HEADER)
    for size in args.sizes:
        rows.append(measure(size, base, listings, args))
        if not args.json:
            print(render_row(rows[-1]), flush=True)
    print(json.dumps(rows, indent=2) if args.json else "\n".join(growth(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
