"""Build a labelled text set from real product names that no one here wrote.

Source: the test fixtures of the PyPI package ``device_detector`` 6.5.1 (a Python port of
Matomo Device Detector; the fixture files carry Matomo's LGPL-3.0-or-later header). Each
fixture names a real device as brand and model ("Samsung Galaxy A33 5G", "Bravis Crystal",
"Hisense 55A7GQ"): about 26,000 products of 2,100 real brands, many of them small brands a
letter away from bigger ones. The data is not committed: the pinned wheel is fetched with pip
into ``bench/.cache/`` (git-ignored) and checked against its SHA-256 before it is read.

Labelling (one registry, one seeded draw, same layout as ``bench/textset_holdout.py``):

- registered marks: twelve invented distinctive names, and eighteen real brands of the source
  registered as word marks of fictional owners;
- ``flag``: a real title whose brand is replaced by a registered mark in disguised form (a
  real brand's own models keep their brand's place; an invented mark takes the place of
  another brand), one kind per disguise, a third with an unknown seller and a price;
- ``no_flag``: the untouched real titles. A title that names a registered mark plainly is a
  ``plain_mention`` (nothing but the mark itself, by its own store or by no seller at a normal
  price: the existing sets label that ``no_flag`` too); one whose brand is a letter or two
  from a registered mark is a ``near_brand`` (a real, different brand); every other one is a
  ``real_title``; accessories written for a registered brand's real model are
  ``compatibility``. Any flag on a ``no_flag`` listing is a false positive.

Run: .venv/bin/python bench/textset_thirdparty.py [--seed 7] [--out DIR] [--check]
     [--archive WHEEL]  (then ``bench/detect_quality.py --set thirdparty``)
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from english_words import get_english_words_set

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.device_titles import CACHE, PACKAGE, VERSION, WHEEL, Product, fetch, read_products
from bench.textset_files import set_files, write_or_check
from bench.textset_thirdparty_disguise import DISGUISES, INVISIBLE, edit_distance

DEFAULT_DIR = CACHE / "textset_thirdparty"
DEFAULT_SEED = 7
PER_KIND = 60
POSITIVE_KINDS = tuple(DISGUISES)
NEGATIVE_COUNTS = {
    "real_title": 2400,
    "near_brand": 300,
    "plain_mention": 300,
    "compatibility": 240,
}
COMPAT = (
    "Case for {b} {m}",
    "Tempered glass screen protector compatible with {b} {m}",
    "Replacement battery fits {b} {m}",
    "USB-C charger for {b} {m} {t}",
    "Silicone cover for {b} {m}, black",
    "Remote control for {b} {m}",
)
SELLERS = ("dealhub_77", "Top Gadget Outlet", "megastore-online", "shenzhen_direct", "Bestprice")
WORDS = frozenset(
    w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()
)


@dataclass(frozen=True)
class Mark:
    """A registered word mark of the set; ``real``: a brand of the source, fictional owner."""

    name: str
    classes: tuple[str, ...]
    floor: int
    real: bool

    @property
    def id(self) -> str:
        return f"tp-{self.name.lower()}"


INVENTED = tuple(
    Mark(n, c, f, False)
    for n, c, f in (
        ("Quibrant", ("9",), 80),
        ("Plenthar", ("9",), 120),
        ("Drevanti", ("9",), 60),
        ("Sorklin", ("9",), 40),
        ("Yantorq", ("9",), 150),
        ("Velmiro", ("9",), 90),
        ("Trombex", ("9",), 70),
        ("Gaskelo", ("9",), 50),
        ("Niverra", ("25",), 45),
        ("Hulcano", ("28",), 35),
        ("Mordexa", ("14",), 200),
        ("Clavenzi", ("18",), 110),
    )
)
REAL = tuple(
    Mark(n, ("9",), f, True)
    for n, f in (
        ("Samsung", 120), ("Huawei", 100), ("Xiaomi", 90), ("Motorola", 80), ("Lenovo", 90),
        ("Alcatel", 40), ("Hisense", 150), ("Doogee", 60), ("Blackview", 70), ("Oukitel", 60),
        ("Ulefone", 60), ("Prestigio", 50), ("Infinix", 50), ("Allview", 50), ("Kyocera", 70),
        ("Panasonic", 150), ("Gionee", 40), ("Karbonn", 30),
    )
)  # fmt: skip
MARKS = INVENTED + REAL


def _named(title: str, mark: Mark) -> bool:
    """The title names the mark as a whole word (any case)."""
    return mark.name.casefold() in {w.strip(",.()").casefold() for w in title.split()}


def _near(brand: str, mark: Mark) -> bool:
    a, b = brand.casefold(), mark.name.casefold()
    return a != b and edit_distance(a, b) <= (1 if len(b) < 6 else 2)


class _Builder:
    def __init__(self, products: list[Product], seed: int) -> None:
        self.rng = random.Random(seed)
        self.products = products
        self.brand_names = sorted({p.brand for p in products})
        self.brands = frozenset(b.casefold() for b in self.brand_names)
        self.listings: list[dict[str, Any]] = []
        self.labels: list[dict[str, Any]] = []

    def add(self, kind: str, title: str, mark: Mark | None, expect: str, note: str,
            seller: str | None, price: float | None) -> None:  # fmt: skip
        n = len(self.listings) + 1
        row: dict[str, Any] = {
            "id": f"tp-{n:05d}",
            "url": f"https://bazaar.invalid/item/{n}",
            "marketplace": "bazaar",
            "title": title,
            "description": "",
        }
        if price is not None:
            row["price"], row["currency"] = f"{price:.2f}", "EUR"
        if seller is not None:
            own = seller.endswith(" Store")
            sid = f"auth-{mark.id}" if own and mark else f"u{self.rng.randrange(10**5, 10**6)}"
            row["seller"] = {"id": sid, "name": seller}
        self.listings.append(row)
        self.labels.append(
            {
                "listing_id": row["id"],
                "asset_id": mark.id if mark else None,
                "kind": kind,
                "lang": "en",
                "expect": expect,
                "note": note,
            }
        )

    def hides(self, text: str, mark: Mark) -> bool:
        """The disguise is not the mark, a word, a source brand or another registered mark."""
        plain = "".join(c for c in text if c not in INVISIBLE).casefold()
        if text.casefold() == mark.name.casefold():
            return False
        others = {m.name.casefold() for m in MARKS if m is not mark}
        return plain not in WORDS and plain not in self.brands and plain not in others

    def positives(self, per_kind: int) -> None:
        by_brand: dict[str, list[Product]] = {}
        for p in self.products:
            by_brand.setdefault(p.brand, []).append(p)
        real = [m for m in REAL if m.name in by_brand]
        others = [p for p in self.products if p.brand not in {m.name for m in MARKS}]
        for kind in POSITIVE_KINDS:
            made = tries = 0
            while made < per_kind:
                tries += 1
                if tries > per_kind * 50:
                    raise RuntimeError(f"cannot make {per_kind} {kind} cases")
                mark = self.rng.choice(real if real and self.rng.random() < 0.5 else INVENTED)
                product = self.rng.choice(by_brand[mark.name] if mark.real else others)
                shown = self.rng.choice((mark.name, mark.name, mark.name.upper()))
                text = DISGUISES[kind](self.rng, shown)
                if text is None or not self.hides(text, mark):
                    continue
                seller = self.rng.choice(SELLERS) if self.rng.random() < 0.33 else None
                price = mark.floor * self.rng.uniform(0.3, 0.9) if seller else None
                self.add(kind, product.title(text), mark, "flag",
                         f"{kind} {text!r} for {mark.name} in place of {product.brand}",
                         seller, price)  # fmt: skip
                made += 1

    def negatives(self, counts: dict[str, int]) -> None:
        rng = self.rng
        plain, near, rest = [], [], []
        close_to = {b: next((m for m in MARKS if _near(b, m)), None) for b in self.brand_names}
        for p in self.products:
            named = next((m for m in MARKS if _named(p.title(), m)), None)
            close = close_to[p.brand]
            if named is not None:
                plain.append((p, named))
            elif close is not None:
                near.append((p, close))
            else:
                rest.append(p)
        for p, m in _sample(rng, plain, counts["plain_mention"]):
            own = rng.random() < 0.5
            self.add("plain_mention", p.title(), m, "no_flag",
                     f"real title naming {m.name} plainly",
                     f"{m.name} Store" if own else None,
                     m.floor * rng.uniform(1.0, 1.8) if own else None)  # fmt: skip
        for p, m in _sample(rng, near, counts["near_brand"]):
            self.add("near_brand", p.title(), m, "no_flag",
                     f"real brand {p.brand}, not {m.name}",
                     rng.choice(SELLERS) if rng.random() < 0.5 else None,
                     rng.uniform(20, 300))  # fmt: skip
        for p in _sample(rng, rest, counts["real_title"]):
            self.add("real_title", p.title(), None, "no_flag", f"real title of {p.brand}",
                     rng.choice(SELLERS) if rng.random() < 0.5 else None,
                     rng.uniform(20, 600))  # fmt: skip
        fits = [(p, m) for p, m in plain if p.brand == m.name]
        for p, m in _sample(rng, fits, counts["compatibility"]):
            title = rng.choice(COMPAT).format(b=p.brand, m=p.model, t=p.kind)
            self.add("compatibility", title, m, "no_flag", f"accessory for a real {m.name} model",
                     rng.choice(SELLERS) if rng.random() < 0.5 else None,
                     m.floor * rng.uniform(0.05, 0.3))  # fmt: skip


def _sample(rng: random.Random, items: list[Any], count: int) -> list[Any]:
    return rng.sample(items, k=min(count, len(items)))


def registry_document() -> dict[str, Any]:
    """The ``ipwatch assets import`` document: one fictional owner per mark."""
    owners = []
    for i, m in enumerate(MARKS):
        asset = {
            "id": m.id,
            "kind": "word_mark",
            "name": m.name,
            "registration_number": f"EU-TP-{3000 + i}",
            "jurisdiction": "EU",
            "classes": list(m.classes),
            "authorized_sellers": [f"{m.name} Store"],
            "price_floor": {"amount": str(m.floor), "currency": "EUR"},
            "valid_from": "2022-01-01",
            "valid_until": "2037-12-31",
        }
        owners.append(
            {
                "name": f"{m.name} Rights Holder (fictional)",
                "contact": f"legal@{m.id}.invalid",
                "assets": [asset],
            }
        )
    return {"owners": owners}


def generate(
    products: list[Product],
    seed: int = DEFAULT_SEED,
    per_kind: int = PER_KIND,
    counts: dict[str, int] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(registry document, listings, labels), the same for the same products and seed."""
    b = _Builder(products, seed)
    b.positives(per_kind)
    b.negatives(counts or NEGATIVE_COUNTS)
    return registry_document(), b.listings, b.labels


def render(products: list[Product], seed: int = DEFAULT_SEED, **kw: Any) -> dict[str, str]:
    """File name -> exact file text, as written to disk."""
    registry, listings, labels = generate(products, seed, **kw)
    header = (
        f"# Rights holders of the third-party text set (seed {seed}; titles from {PACKAGE}"
        f" {VERSION});\n# generated by bench/textset_thirdparty.py, do not edit.\n"
    )

    return set_files(header, registry, listings, labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generation seed")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="folder for the files")
    parser.add_argument("--check", action="store_true", help="exit 1 when files are stale")
    parser.add_argument(
        "--archive", type=Path, help=f"read this wheel instead of fetching the pinned {WHEEL}"
    )
    args = parser.parse_args(argv)
    files = render(read_products(args.archive or fetch()), args.seed)
    return write_or_check(files, args.out, check=args.check, script="bench/textset_thirdparty.py")


if __name__ == "__main__":
    raise SystemExit(main())
