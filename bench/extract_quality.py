"""Extraction quality over the golden pairs: per-field accuracy, full pipeline vs a baseline.

The baseline is what plain structured-data extraction gives (JSON-LD, microdata, OpenGraph
only, as extruct-based tools do); the full pipeline adds embedded state, profile selectors
and visible-page heuristics. A field counts as correct only when it equals the expected JSON.

    .venv/bin/python bench/extract_quality.py [tests/samples]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from config.profile import FieldSelectors
from crawler.extraction import load_page
from crawler.extraction.combine import combine, run_extractors
from crawler.extraction.document import parse_document

ROOT = Path(__file__).resolve().parents[1]
BASELINE_SOURCES = frozenset({"jsonld", "microdata", "opengraph"})
FIELDS = ("title", "description", "brand", "price", "currency", "availability", "sku", "gtin",
          "mpn", "images", "seller")  # fmt: skip


def _url(page: Path) -> str:
    url_file = page.with_suffix(".url")
    if url_file.is_file():
        return url_file.read_text(encoding="utf-8").strip()
    return f"https://{page.parent.name}.example/{page.stem}"


def _selectors(page: Path) -> FieldSelectors | None:
    path = page.parent / "selectors.yaml"
    if not path.is_file():
        return None
    return FieldSelectors.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def score(samples: Path) -> tuple[int, dict[str, dict[str, int]], list[str]]:
    """Pages scored, correct counts per variant and field, and the misses of the full pipeline."""
    correct = {"full": dict.fromkeys(FIELDS, 0), "baseline": dict.fromkeys(FIELDS, 0)}
    misses: list[str] = []
    pages = sorted(samples.glob("*/*.html"))
    for page in pages:
        expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        doc = parse_document(load_page(str(page)), _url(page))
        partials = run_extractors(doc, _selectors(page))
        variants = {
            "full": combine(partials, doc).to_dict(),
            "baseline": combine([p for p in partials if p[0] in BASELINE_SOURCES], doc).to_dict(),
        }
        for name, got in variants.items():
            for field in FIELDS:
                if got[field] == expected[field]:
                    correct[name][field] += 1
                elif name == "full":
                    misses.append(f"{page.parent.name}/{page.stem}: {field}")
    return len(pages), correct, misses


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    samples = Path(args[0]) if args else ROOT / "tests" / "samples"
    total, correct, misses = score(samples)
    if total == 0:
        print(f"no golden pairs under {samples}; pass the samples directory", file=sys.stderr)
        return 1
    print(f"{'field':<14}{'full':>10}{'baseline':>12}")
    for field in FIELDS:
        full, base = correct["full"][field], correct["baseline"][field]
        print(f"{field:<14}{full:>5}/{total:<4}{base:>7}/{total:<4}")
    full_all = sum(correct["full"].values())
    base_all = sum(correct["baseline"].values())
    cells = total * len(FIELDS)
    print(f"{'overall':<14}{full_all / cells:>10.1%}{base_all / cells:>12.1%}")
    print(f"full / baseline: {full_all / max(base_all, 1):.2f}x fields correct")
    for miss in misses:
        print(f"miss: {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
