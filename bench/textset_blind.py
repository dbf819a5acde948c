"""Blind labelled text set: real device titles with brand names disguised by someone who has
not read the matcher, for an honest recall/precision figure (``detect_quality.py --set blind``).

Titles come from the pinned ``device_detector`` wheel (its upstream test fixtures name ~26,000
real devices of ~2,100 brands; the wheel's metadata names no licence and the upstream Matomo
fixtures are LGPL-3.0, so it is fetched into the git-ignored ``bench/.cache/``, never
committed). The disguises are ``bench/textset_blind_disguise.py``.
Registered: 10 invented marks and 15 real brands of the source, each a word mark of a
fictional owner. Positives put a disguised mark in place of a title's brand; negatives are
untouched real titles, plain mentions (no seller, or the owner's own store at a normal price),
real brands a letter or two from a mark, compatibility titles and dictionary words.

Run: .venv/bin/python bench/textset_blind.py [--seed 101] [--out DIR] [--archive WHEEL]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.device_titles import CACHE, WHEEL, Product, fetch, read_products
from bench.textset_blind_disguise import DISGUISES, ZH_DISGUISES, edit_distance
from bench.textset_files import set_files, write_or_check

DEFAULT_DIR = CACHE / "textset_blind"
DEFAULT_SEED = 101
PER_KIND = 30
NEGATIVES = {
    "real_title": 1500,
    "plain_mention": 200,
    "near_brand": 150,
    "compatibility": 150,
    "dictionary": 100,
}
ZH_SHARE = 0.1


@dataclass(frozen=True)
class Mark:
    """A registered word mark; ``real``: a brand of the source, held by a fictional owner."""

    name: str
    owner: str
    classes: tuple[str, ...]
    floor: int
    real: bool

    @property
    def id(self) -> str:
        return f"bl-{self.name.lower()}"

    @property
    def store(self) -> str:
        return f"{self.name} Official Store"


INVENTED = tuple(
    Mark(n, o, c, f, False)
    for n, o, c, f in (
        ("Korvalen", "Korvalen Devices GmbH", ("9",), 90),
        ("Zentaryx", "Zentaryx Labs Oy", ("9",), 140),
        ("Brumiko", "Brumiko Electronics KK", ("9", "28"), 60),
        ("Olvessa", "Olvessa Tech SRL", ("9", "14"), 110),
        ("Tarquil", "Tarquil Systems Ltd", ("9",), 75),
        ("Fenmora", "Fenmora Audio AS", ("9",), 50),
        ("Quelzar", "Quelzar Mobile SA", ("9",), 120),
        ("Vimbrano", "Vimbrano SpA", ("9", "18"), 85),
        ("Stravik", "Stravik Vision s.r.o.", ("9",), 160),
        ("Lumetra", "Lumetra Optics BV", ("9",), 70),
    )
)
REAL = tuple(
    Mark(n, f"{n} Rights Holding (fictional)", ("9",), f, True)
    for n, f in (
        ("Huawei", 100), ("Xiaomi", 90), ("Motorola", 80), ("Apple", 300), ("Philips", 60),
        ("Panasonic", 150), ("Lenovo", 90), ("Doogee", 70), ("Digma", 40), ("Nokia", 50),
        ("Meizu", 70), ("Haier", 120), ("Vertex", 30), ("Irbis", 40), ("Condor", 50),
    )
)  # fmt: skip
MARKS = INVENTED + REAL
UNKNOWN_SELLERS = ("brand_outlet_88", "Lucky Star Trading", "gz-wholesale", "superdeals4u",
                   "Mega Discount Hub", "yiwu_direct_store", "ClearanceKing")  # fmt: skip
OTHER_SELLERS = ("PhoneWorld", "city_electronics", "Second Hand Tech", "gadgetshop24")
WRAP_EN = ("{b} {m} {t}", "{b} {m} {t}", "New {b} {m} {t}", "{b} {m} {t} - original box",
           "{b} {m} {t}, 1 year warranty", "{t} {b} {m} (used, good condition)")  # fmt: skip
WRAP_ZH = ("【正品】{b} {m} {t} 全新 包邮", "{b} {m} {t} 官方 原装 现货", "新款 {b} {m} {t} 国行",
           "{t} {b} {m} 大内存 送壳膜")  # fmt: skip
TYPE_ZH = {"smartphone": "智能手机", "tablet": "平板电脑", "tv": "电视", "phablet": "大屏手机",
           "feature phone": "老人机", "wearable": "智能手表", "smart speaker": "智能音箱",
           "portable media player": "播放器", "camera": "相机", "console": "游戏机"}  # fmt: skip
COMPAT = ("Shockproof case for {b} {m}", "Tempered glass for {b} {m} (2 pack)",
          "Battery replacement compatible with {b} {m}", "Fast charger + cable for {b} {m} {t}",
          "Leather flip wallet cover fits {b} {m}", "Car holder mount for {b} {m} {t}",
          "{m} case, compatible with {b}, clear")  # fmt: skip
COMPAT_TV = ("Remote control for {b} {m} tv", "Wall mount bracket fits {b} {m} tv",
             "Replacement power board for {b} {m}")  # fmt: skip
HANDHELD = ("smartphone", "phablet", "tablet", "feature phone")
DICTIONARY = ("{W} scented candle, 200 g", "Handmade {w} ceramic mug 350 ml",
              "{W} pattern cotton tote bag", "Poster '{W}' A3 art print",
              "The {W}: a novel (paperback)", "{W} garden figurine, resin")  # fmt: skip


def english_words() -> list[str]:
    """Lower-case dictionary words (web2), sorted; the dictionary negatives draw on them."""
    from english_words import get_english_words_set

    return sorted(
        w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()
    )


def names_mark(text: str, mark: Mark) -> bool:
    """True when ``text`` holds the mark's plain spelling as a word (case-blind)."""
    return re.search(rf"(?<![^\W_]){re.escape(mark.name)}(?![^\W_])", text, re.I) is not None


def near(word: str, mark: Mark) -> bool:
    """A different word a letter or two from the mark (one, for marks of five letters or less)."""
    if word.casefold() == mark.name.casefold() or abs(len(word) - len(mark.name)) > 2:
        return False
    return edit_distance(word, mark.name) <= (1 if len(mark.name) <= 5 else 2)


class Builder:
    """Accumulates listings and labels; ids are given after a final shuffle."""

    def __init__(self, products: list[Product], words: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = words
        registered = {m.name.casefold() for m in MARKS}
        self.own = {m.name: [p for p in products if p.brand.casefold() == m.name.casefold()
                             and not names_mark(p.model, m)] for m in REAL}  # fmt: skip
        self.near = [p for p in products if p.brand.casefold() not in registered
                     and any(near(p.brand, m) for m in MARKS)]  # fmt: skip
        near_brands = {p.brand for p in self.near}
        self.pool = [
            p for p in products
            if p.brand.casefold() not in registered and p.brand not in near_brands
            and not any(names_mark(f"{p.brand} {p.model}", m) for m in MARKS)
        ]  # fmt: skip
        # A disguise that spells a dictionary word or another real brand ("Hair" for Haier)
        # is not read as the mark; such draws are redrawn.
        self.taken = set(words) | {p.brand.casefold() for p in products}
        self.rows: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def title(self, product: Product, brand: str, zh: bool, model: str | None = None) -> str:
        kind = TYPE_ZH.get(product.kind, product.kind) if zh else product.kind
        wrap = self.rng.choice(WRAP_ZH if zh else WRAP_EN)
        return wrap.format(b=brand, m=product.model if model is None else model, t=kind)

    def add(
        self,
        kind: str,
        title: str,
        mark: Mark | None,
        expect: str,
        note: str,
        lang: str = "en",
        seller: str | None = None,
        price: float | None = None,
    ) -> None:
        listing: dict[str, Any] = {"marketplace": "shopfloor", "title": title, "description": ""}
        if price is not None:
            listing |= {"price": f"{price:.2f}", "currency": "EUR"}
        if seller is not None:
            listing["seller"] = {
                "id": f"s{zlib.crc32(seller.encode()) % 10**6:06d}",
                "name": seller,
            }
        label = {"asset_id": mark.id if mark else None, "kind": kind, "lang": lang,
                 "expect": expect, "note": note}  # fmt: skip
        self.rows.append((listing, label))

    def mark_product(self, mark: Mark) -> tuple[Product, str]:
        """A product for the mark: its own real device, or (invented marks) a pool device."""
        own = self.own.get(mark.name)
        if own:
            return self.rng.choice(own), "own goods"
        return self.rng.choice(self.pool), "own goods" if not mark.real else "other goods"

    def styled(self, mark: Mark) -> str:
        r = self.rng.random()
        return mark.name.upper() if r < 0.25 else mark.name.lower() if r < 0.3 else mark.name

    def positives(self, per_kind: int) -> None:
        kinds = [*DISGUISES, "zh_title"]
        marks = [m for m in MARKS if not m.real or self.own.get(m.name)]
        others = {m.name.casefold() for m in MARKS} | self.taken
        for kind in kinds:
            made = 0
            while made < per_kind:
                mark = self.rng.choice(marks)
                zh = kind == "zh_title"
                how = self.rng.choice(ZH_DISGUISES) if zh else kind
                shown = self.styled(mark)
                word = DISGUISES[how](shown, self.rng)
                if word is None or word.casefold() in others:
                    continue
                product, goods = self.mark_product(mark)
                title = self.title(product, word, zh)
                if names_mark(unicodedata.normalize("NFC", title), mark):
                    continue
                seller = price = None
                if self.rng.random() < 1 / 3:
                    seller = self.rng.choice(UNKNOWN_SELLERS)
                    price = round(mark.floor * self.rng.uniform(0.2, 0.7), 2)
                terms = "unknown seller, under the floor" if seller else "no seller, no price"
                self.add(kind, title, mark, "flag", f"{how} {word!r} for {mark.name}, {goods},"
                         f" {terms}", "zh" if zh else "en", seller, price)  # fmt: skip
                made += 1

    def negatives(self, counts: dict[str, int]) -> None:
        rng = self.rng
        for product in _sample(rng, self.pool, counts["real_title"]):
            zh = rng.random() < ZH_SHARE
            seller, price = (rng.choice(OTHER_SELLERS), round(rng.uniform(15, 600), 2)) if (
                rng.random() < 0.5) else (None, None)  # fmt: skip
            self.add("real_title", self.title(product, product.brand, zh), None, "no_flag",
                     f"untouched real title of {product.brand}", "zh" if zh else "en",
                     seller, price)  # fmt: skip
        for i in range(counts["plain_mention"]):
            mark = rng.choice([m for m in MARKS if not m.real or self.own.get(m.name)])
            product, goods = self.mark_product(mark)
            zh = rng.random() < ZH_SHARE
            title = self.title(product, mark.name, zh)
            if i % 2:
                price = round(mark.floor * rng.uniform(1.0, 2.5), 2)
                self.add("plain_mention", title, mark, "no_flag", f"{mark.name} plain, {goods},"
                         " own authorized store at a normal price", "zh" if zh else "en",
                         mark.store, price)  # fmt: skip
            else:
                self.add(
                    "plain_mention",
                    title,
                    mark,
                    "no_flag",
                    f"{mark.name} plain, {goods}, no seller, no price",
                    "zh" if zh else "en",
                )
        for product in _spread(rng, self.near, counts["near_brand"]):
            close = next(m for m in MARKS if near(product.brand, m))
            seller, price = (rng.choice(UNKNOWN_SELLERS), round(rng.uniform(20, 200), 2)) if (
                rng.random() < 0.5) else (None, None)  # fmt: skip
            self.add(
                "near_brand",
                self.title(product, product.brand, False),
                None,
                "no_flag",
                f"real brand {product.brand}, near {close.name}",
                "en",
                seller,
                price,
            )
        real = [m for m in REAL
                if any(p.kind in (*HANDHELD, "tv") for p in self.own.get(m.name, ()))]  # fmt: skip
        made = 0
        while real and made < counts["compatibility"]:
            mark = rng.choice(real)
            product = rng.choice(self.own[mark.name])
            if product.kind not in (*HANDHELD, "tv"):
                continue
            wording = COMPAT if product.kind in HANDHELD else COMPAT_TV
            title = rng.choice(wording).format(b=mark.name, m=product.model, t=product.kind)
            seller, price = (rng.choice(UNKNOWN_SELLERS), round(rng.uniform(4, 30), 2)) if (
                rng.random() < 0.5) else (None, None)  # fmt: skip
            self.add(
                "compatibility",
                title,
                mark,
                "no_flag",
                f"accessory for {mark.name} {product.model}",
                "en",
                seller,
                price,
            )
            made += 1
        for word in self.dictionary_words(counts["dictionary"]):
            title = rng.choice(DICTIONARY).format(w=word, W=word.capitalize())
            seller, price = (rng.choice(OTHER_SELLERS), round(rng.uniform(5, 40), 2)) if (
                rng.random() < 0.5) else (None, None)  # fmt: skip
            self.add(
                "dictionary",
                title,
                None,
                "no_flag",
                f"dictionary word {word!r}",
                "en",
                seller,
                price,
            )

    def dictionary_words(self, count: int) -> list[str]:
        """Dictionary words a letter or two from a mark (or a mark that is itself a word)."""
        close = []
        for w in self.words:
            letters = set(w)
            for m in MARKS:
                low = m.name.lower()
                similar = len(letters & set(low)) >= len(set(low)) - 2
                if abs(len(w) - len(low)) <= 2 and similar and (w == low or near(w, m)):
                    close.append(w)
                    break
        exact = [w for w in close if any(w == m.name.lower() for m in MARKS)]
        rest = [w for w in close if w not in exact]
        return (exact * 4 + _sample(self.rng, rest, count))[:count]

    def build(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        self.rng.shuffle(self.rows)
        listings, labels = [], []
        for n, (listing, label) in enumerate(self.rows, 1):
            lid = f"bl-{n:05d}"
            listings.append({"id": lid, "url": f"https://shopfloor.invalid/item/{n}", **listing})
            labels.append({"listing_id": lid, **label})
        return listings, labels


def _sample(rng: random.Random, items: list[Any], count: int) -> list[Any]:
    return rng.sample(items, min(count, len(items)))


def _spread(rng: random.Random, items: list[Product], count: int) -> list[Product]:
    """Up to ``count`` items drawn brand by brand, so one big brand does not fill the kind."""
    by_brand: dict[str, list[Product]] = {}
    for p in items:
        by_brand.setdefault(p.brand, []).append(p)
    for group in by_brand.values():
        rng.shuffle(group)
    out: list[Product] = []
    while len(out) < count and any(by_brand.values()):
        for brand in sorted(by_brand):
            if by_brand[brand] and len(out) < count:
                out.append(by_brand[brand].pop())
    return out


def registry_document() -> dict[str, Any]:
    """The ``ipwatch assets import`` document: one fictional owner per mark."""
    owners = []
    for i, m in enumerate(MARKS):
        asset = {
            "id": m.id, "kind": "word_mark", "name": m.name,
            "registration_number": f"EU-BL-{3000 + i}", "jurisdiction": "EU",
            "classes": list(m.classes), "authorized_sellers": [m.store],
            "price_floor": {"amount": str(m.floor), "currency": "EUR"},
            "valid_from": "2020-01-01", "valid_until": "2035-12-31",
        }  # fmt: skip
        contact = f"legal@{m.name.lower()}.invalid"
        owners.append({"name": m.owner, "contact": contact, "assets": [asset]})
    return {"owners": owners}


def generate(
    products: list[Product],
    words: list[str],
    seed: int = DEFAULT_SEED,
    per_kind: int = PER_KIND,
    counts: dict[str, int] | None = None,
) -> dict[str, str]:
    """The three files of the set, from ``products`` (titles) and ``words`` (a dictionary)."""
    builder = Builder(products, words, seed)
    builder.positives(per_kind)
    builder.negatives(counts or NEGATIVES)
    listings, labels = builder.build()
    header = (f"# Blind set rights holders (seed {seed}); generated by bench/textset_blind.py"
              f" from {WHEEL} titles, do not edit.\n")  # fmt: skip
    return set_files(header, registry_document(), listings, labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--archive", type=Path, help=f"read this wheel, not the pinned {WHEEL}")
    args = parser.parse_args(argv)
    products = read_products(args.archive or fetch())
    files = generate(products, english_words(), args.seed)
    return write_or_check(files, args.out, check=False, script="bench/textset_blind.py")


if __name__ == "__main__":
    raise SystemExit(main())
