"""Generate the labelled text-detection set: fictional marks, disguised and genuine listings.

Everything comes from one seed, so the committed files under ``bench/data/textset/`` can be
re-made and compared byte for byte (``--check``). Three files:

- ``registry.yaml``: the fictional rights holders, in the ``ipwatch assets import`` format;
- ``listings.jsonl``: one ``ipwatch detect`` input listing per line;
- ``labels.jsonl``: one label per listing: ``{"listing_id", "asset_id", "kind", "lang",
  "expect", "note"}``.

Label semantics. ``asset_id`` is the asset the case is built around (the mark disguised,
named or imitated), or null when no asset is involved. ``expect`` is ``"flag"`` when the
detector should flag a finding for that asset (every positive kind), ``"no_flag"`` when no
finding for any asset should be flagged (genuine listings, resale, compatibility wording,
everyday uses of a common-word mark, lookalike words, unrelated products). On ``flag`` cases
a flagged finding for any other asset is a false positive too.

Run: .venv/bin/python bench/textset.py [--seed 4] [--out bench/data/textset] [--check]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.textset_disguise import (
    COMBINABLE,
    EDIT_KINDS,
    LATIN_DISGUISES,
    apply_latin,
    has_lookalike_pair,
)
from bench.textset_disguise_zh import zh_combination, zh_disguise
from bench.textset_files import set_files, write_or_check
from bench.textset_marks import MARK_BY_ID, MARKS, Mark, registry_document
from bench.textset_vocab import (
    CLASS_PRODUCTS,
    COMPAT,
    COUNTERFEIT_EN,
    COUNTERFEIT_ZH,
    EN_ATTRS,
    EN_TEMPLATES,
    RESALE_EN,
    RESALE_ZH,
    SELLERS_EN,
    SELLERS_ZH,
    UNRELATED_EN,
    UNRELATED_ZH,
    ZH_ATTRS,
    ZH_NO_MARK,
    ZH_TEMPLATES,
)

DEFAULT_SEED = 4
DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "textset"
PER_POSITIVE_KIND = 48
NEGATIVE_COUNTS = {
    "genuine": 110,
    "unrelated": 70,
    "lookalike_word": 100,
    "common_word": 70,
    "compatibility": 70,
    "resale": 60,
    "zh_no_mark": 60,
}
ZH_ONLY_KINDS = ("traditional", "pinyin", "homophone")
POSITIVE_KINDS = ("exact", *LATIN_DISGUISES, *ZH_ONLY_KINDS, "counterfeit_wording", "combination")
NEGATIVE_KINDS = tuple(NEGATIVE_COUNTS)


@dataclass
class _Builder:
    """Accumulates listings and labels with sequential ids."""

    rng: random.Random
    listings: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        kind: str,
        title: str,
        mark: Mark | None,
        *,
        lang: str,
        expect: str,
        note: str,
        seller: tuple[str, str] | None,
        price: tuple[str, str] | None,
        description: str = "",
    ) -> None:
        n = len(self.listings) + 1
        market = (
            self.rng.choice(("taomall", "pinhuo"))
            if lang == "zh"
            else self.rng.choice(("shopwave", "bazaarly", "dealnest"))
        )
        listing: dict[str, Any] = {
            "id": f"ts-{n:05d}",
            "url": f"https://{market}.invalid/item/{n:05d}",
            "marketplace": market,
            "title": title,
            "description": description,
        }
        if price is not None:
            listing["price"], listing["currency"] = price
        if seller is not None:
            listing["seller"] = {"id": seller[0], "name": seller[1]}
        self.listings.append(listing)
        self.labels.append(
            {
                "listing_id": listing["id"],
                "asset_id": mark.id if mark else None,
                "kind": kind,
                "lang": lang,
                "expect": expect,
                "note": note,
            }
        )


def _shown(rng: random.Random, mark: Mark) -> str:
    """The mark as a seller would type it (case variants of the registered text)."""
    if mark.lang == "zh":
        return mark.name
    forms = mark.shown or (mark.name, mark.name.title(), mark.name.lower())
    return rng.choice(forms)


def _products(mark: Mark, lang: str) -> list[str]:
    out: list[str] = []
    for cls in mark.classes:
        out.extend(CLASS_PRODUCTS[cls][1 if lang == "zh" else 0])
    return out


def _after(text: str, product: str) -> str:
    """The product as written after ``text``: "LUMORA LED吸顶灯", not "LUMORALED吸顶灯"."""
    if text[-1:].isascii() and text[-1:].isalnum() and product[:1].isascii():
        return " " + product
    return product


def _title(rng: random.Random, mark: Mark, text: str, lang: str) -> str:
    """A marketplace title for the mark's goods with ``text`` where the brand goes."""
    product = rng.choice(_products(mark, lang))
    template = rng.choice(ZH_TEMPLATES if lang == "zh" else EN_TEMPLATES)
    if "{m}{p}" in template:
        product = _after(text, product)
    return template.format(m=text, p=product, a=rng.choice(ZH_ATTRS if lang == "zh" else EN_ATTRS))


def _price(rng: random.Random, mark: Mark, lang: str, low: float, high: float) -> tuple[str, str]:
    """A price in the listing's currency: a multiple of the floor when currencies agree."""
    currency = "CNY" if lang == "zh" else "USD"
    if mark.floor[1] == currency:
        base = float(mark.floor[0])
    else:  # the same goods in the other market's currency (no floor applies)
        base = float(MARK_BY_ID[mark.sibling].floor[0]) if mark.sibling else 100.0
    return f"{base * rng.uniform(low, high):.2f}", currency


def _thief(rng: random.Random, lang: str) -> tuple[str, str]:
    name = rng.choice(SELLERS_ZH if lang == "zh" else SELLERS_EN)
    return f"s-{rng.randrange(10_000, 99_999)}", name


def _official(rng: random.Random, mark: Mark) -> tuple[str, str]:
    name = rng.choice(mark.authorized)
    return f"auth-{mark.id}", name


def plainly_written(text: str, mark: str) -> bool:
    """Whether ``mark`` appears in ``text`` as registered (case aside) and as a whole word."""
    pattern = rf"(?<![a-z0-9]){re.escape(mark.casefold())}(?![a-z0-9])"
    return re.search(pattern, text.casefold()) is not None


def _applicable(kind: str, mark: Mark) -> bool:
    if kind in ZH_ONLY_KINDS:
        return mark.lang == "zh"
    if kind in ("exact", "counterfeit_wording", "combination", *COMBINABLE["layout"]):
        return kind != "fullwidth" or mark.lang == "en"
    if mark.lang != "en":
        return False
    letters = sum(ch.isalpha() for ch in mark.name)
    if kind in EDIT_KINDS:
        return letters >= 5
    if kind == "lookalike_pair":
        return has_lookalike_pair(mark.name)
    return True


def _positive(b: _Builder, kind: str, mark: Mark) -> bool:
    """Add one positive case of ``kind`` for ``mark``; False when the disguise did not fit."""
    rng = b.rng
    shown = _shown(rng, mark)
    # Latin marks also appear in Chinese titles, as they do on Chinese marketplaces.
    lang = "zh" if mark.lang == "zh" or rng.random() < 0.25 else "en"
    if kind == "pinyin":
        lang = "en" if rng.random() < 0.5 else "zh"
    description = ""
    seller: tuple[str, str] | None = _thief(rng, lang)
    if kind == "exact":
        text, note = shown, f"exact mark by an unauthorized seller: {shown}"
    elif kind == "counterfeit_wording":
        phrase = rng.choice(COUNTERFEIT_ZH if lang == "zh" else COUNTERFEIT_EN)
        text, note = phrase.format(m=shown), f"counterfeit wording '{phrase.format(m='')}'"
        if rng.random() < 0.5:
            seller = None
            note += "; no seller given"
    elif mark.lang == "zh":
        found = (
            zh_combination(rng, mark.name)
            if kind == "combination"
            else zh_disguise(rng, kind, mark.name)
        )
        if found is None:
            return False
        text, note = found
    else:
        if kind == "combination":
            first = rng.choice([k for k in COMBINABLE["letter"] if _applicable(k, mark)])
            second = rng.choice(COMBINABLE["layout"])
            step1 = apply_latin(rng, first, shown, mark.cut)
            if step1 is None:
                return False
            cut = mark.cut if len(step1[0]) == len(shown) else 0
            step2 = apply_latin(rng, second, step1[0], cut)
            if step2 is None:
                return False
            text, note = step2[0], f"{first}+{second}: {step1[1]}; {step2[1]}"
        else:
            found = apply_latin(rng, kind, shown, mark.cut)
            if found is None:
                return False
            text, note = found
        if plainly_written(text, mark.name):
            return False  # the disguise left the registered spelling readable as a word
    title = _title(rng, mark, text, lang)
    price = _price(rng, mark, lang, 0.25, 1.3)
    b.add(kind, title, mark, lang=lang, expect="flag", note=note, seller=seller, price=price,
          description=description)  # fmt: skip
    return True


def _positives(b: _Builder) -> None:
    for kind in POSITIVE_KINDS:
        marks = [m for m in MARKS if _applicable(kind, m)]
        b.rng.shuffle(marks)
        made = attempts = 0
        while made < PER_POSITIVE_KIND:
            attempts += 1
            if attempts > PER_POSITIVE_KIND * 20:
                raise RuntimeError(f"cannot generate enough {kind} cases; widen the marks")
            made += _positive(b, kind, marks[attempts % len(marks)])


def _negative(b: _Builder, kind: str, i: int) -> None:
    rng = b.rng
    lang = "zh" if kind == "zh_no_mark" else rng.choice(("en", "en", "zh"))
    if kind == "genuine":
        mark = MARKS[i % len(MARKS)]
        lang = "zh" if mark.lang == "zh" else lang
        shown = _shown(rng, mark)
        b.add(kind, _title(rng, mark, shown, lang), mark, lang=lang, expect="no_flag",
              note=f"authorized seller, exact mark {shown}, normal price",
              seller=_official(rng, mark), price=_price(rng, mark, lang, 1.0, 1.6))  # fmt: skip
    elif kind in ("unrelated", "zh_no_mark"):
        if kind == "zh_no_mark":  # the goods the marks are registered for, with no brand
            product = rng.choice(CLASS_PRODUCTS[rng.choice(sorted(CLASS_PRODUCTS))][1])
            a, b2 = rng.sample(ZH_ATTRS, k=2)
            title = rng.choice(ZH_NO_MARK).format(p=product, a=a, b=b2)
        else:
            title = rng.choice(UNRELATED_ZH if lang == "zh" else UNRELATED_EN)
        price = f"{rng.uniform(3, 300):.2f}", "CNY" if lang == "zh" else "USD"
        b.add(kind, title, None, lang=lang, expect="no_flag", note="no mark",
              seller=_thief(rng, lang), price=price)  # fmt: skip
    elif kind == "lookalike_word":
        mark = rng.choice([m for m in MARKS if m.near_words])
        title = rng.choice(mark.near_words)
        lang = "zh" if mark.lang == "zh" else "en"
        price = f"{rng.uniform(3, 120):.2f}", "CNY" if lang == "zh" else "USD"
        b.add(kind, title, mark, lang=lang, expect="no_flag",
              note=f"words that look like {mark.name}, not the mark",
              seller=_thief(rng, lang), price=price)  # fmt: skip
    elif kind == "common_word":
        mark = rng.choice([m for m in MARKS if m.everyday_uses])
        title = rng.choice(mark.everyday_uses)
        lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in title) else "en"
        b.add(kind, title, mark, lang=lang, expect="no_flag",
              note=f"everyday sense of the word, mark {mark.name} is for classes "
                   f"{', '.join(mark.classes)}",
              seller=_thief(rng, lang),
              price=(f"{rng.uniform(3, 40):.2f}", "CNY" if lang == "zh" else "USD"))  # fmt: skip
    else:
        compat = kind == "compatibility"
        mark = rng.choice([m for m in MARKS if not compat or set(m.classes) & set(COMPAT)])
        lang = "zh" if mark.lang == "zh" else lang
        shown = _shown(rng, mark)
        zh = lang == "zh"
        if compat:  # accessories for the goods the mark is registered for
            cls = rng.choice(sorted(set(mark.classes) & set(COMPAT)))
            phrase = rng.choice(COMPAT[cls][1 if zh else 0])
            product = rng.choice(CLASS_PRODUCTS[cls][1 if zh else 0])
            low, high = 0.05, 0.3
        else:
            phrase = rng.choice(RESALE_ZH if zh else RESALE_EN)
            product = rng.choice(_products(mark, lang))
            low, high = 0.5, 0.95
        title = " ".join(phrase.format(m=shown, p=_after(shown, product)).split())
        b.add(kind, title, mark, lang=lang, expect="no_flag",
              note=f"{kind} wording '{' '.join(phrase.format(m='', p='').split())}'",
              seller=_thief(rng, lang), price=_price(rng, mark, lang, low, high))  # fmt: skip


def generate(seed: int = DEFAULT_SEED) -> tuple[dict[str, Any], list[dict], list[dict]]:
    """(registry document, listings, labels), the same for the same seed."""
    b = _Builder(random.Random(seed))
    _positives(b)
    for kind, count in NEGATIVE_COUNTS.items():
        for i in range(count):
            _negative(b, kind, i)
    return registry_document(), b.listings, b.labels


def render(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """File name -> exact file text, as written to disk."""
    registry, listings, labels = generate(seed)
    header = (
        f"# Fictional rights holders for the text-detection bench (seed {seed}); generated by\n"
        "# bench/textset.py, do not edit. Import with: ipwatch assets import registry.yaml\n"
    )

    return set_files(header, registry, listings, labels, width=100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generation seed")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="folder for the files")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the files differ from a fresh run"
    )
    args = parser.parse_args(argv)
    files = render(args.seed)
    return write_or_check(files, args.out, check=args.check, script="bench/textset.py")


if __name__ == "__main__":
    raise SystemExit(main())
