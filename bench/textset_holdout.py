"""Generate the hold-out text set: other marks, other disguise code, adversarial titles.

The first set (``bench/textset.py``) was written beside the matchers and every positive there
comes with an unauthorized seller and a price. This one is built apart from it to test what
the detector claims, with nothing imported from the first set's vocabulary or disguise code:

- positives are disguised *distinctive* marks, mostly with **no seller and no price**, a third
  on goods outside the mark's classes, in titles full of colour names that contain goods words
  ("Piano Black", "Coffee Brown"): a disguise must flag on its own;
- kinds follow the issue 15 table: homoglyph, mixed_script, leetspeak, letter_inserted,
  letters_added (fused at an end), letter_omitted, letters_swapped, repeated_letter, spacing;
- negatives are the hard ones: famous brands a letter away from a registered mark
  ("Samsung" beside SAMSONG), an exact mention of a mark that is a letter away from another
  registered one, dictionary words a letter or two from a mark, compatibility wording with the
  mark exact or mistyped, plain mentions, and dictionary-word marks used in their everyday
  sense on other goods by an unknown seller.

Same ``--check``/``--out`` contract and file layout as ``bench/textset.py``.

Run: .venv/bin/python bench/textset_holdout.py [--seed 2026] [--out ...] [--check]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml
from english_words import get_english_words_set

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.textset_holdout_vocab import (
    COLOURS,
    COMPAT_TITLES,
    EVERYDAY_TITLES,
    GOODS,
    MARKS,
    OTHER_GOODS,
    SELLERS,
    TITLES,
    HoldoutMark,
)

DEFAULT_SEED = 2026
DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "textset_holdout"
PER_KIND = 50
POSITIVE_KINDS = ("homoglyph", "mixed_script", "leetspeak", "letter_inserted", "letters_added",
                  "letter_omitted", "letters_swapped", "repeated_letter", "spacing")  # fmt: skip
NEGATIVE_COUNTS = {"plain_mention": 60, "near_brand": 60, "near_registered": 40,
                   "near_word": 60, "compatibility": 60, "compat_typo": 50,
                   "everyday_word": 50}  # fmt: skip
NEGATIVE_KINDS = tuple(NEGATIVE_COUNTS)
# Hand-picked lookalikes (Cyrillic, Greek, Armenian), not the TR39 file the detector reads.
LOOKALIKE = {
    "a": "аα", "c": "сϲ", "e": "е", "i": "іι", "j": "ј", "o": "оοօ", "p": "рρ", "s": "ѕ",
    "x": "хχ", "y": "уγ", "h": "һ", "k": "κ", "n": "ո", "v": "ν", "A": "АΑ", "B": "ВΒ",
    "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "K": "КΚ", "M": "МΜ", "N": "Ν", "O": "ОΟ",
    "P": "РΡ", "S": "Ѕ", "T": "ТΤ", "X": "ХΧ", "Y": "ΥҮ", "Z": "Ζ",
}  # fmt: skip
CYRILLIC = frozenset("аеіјорѕхуһсАВСЕНІКМОРЅТХҮ")
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "b": "8", "g": "9",
        "l": "1", "z": "2"}  # fmt: skip
GAPS = (" ", " ", "  ", ".", "-", "·", "_")
# Common words of Webster's 2nd (another dictionary than the detector's); capitalised entries
# are names, not words.
WORDS = frozenset(
    w
    for w in get_english_words_set(["web2"], lower=False, alpha=True)
    if len(w) > 3 and w.islower()
)
BRAND_WORDS = frozenset(b.lower() for m in MARKS for b in m.near_brands)


def osa(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (written here, not taken from the detector)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _case(rng: random.Random, name: str) -> str:
    return rng.choice((name, name.upper(), name.title()))


def disguise(rng: random.Random, kind: str, text: str) -> str | None:
    """``text`` disguised one way; None when the kind does not fit it."""
    chars = list(text)
    inner = list(range(1, len(text) - 1))
    if kind in ("homoglyph", "mixed_script"):
        spots = [i for i, c in enumerate(text) if c in LOOKALIKE]
        if not spots:
            return None
        if kind == "homoglyph":
            for i in rng.sample(spots, k=min(len(spots), rng.choice((1, 1, 2)))):
                chars[i] = rng.choice(LOOKALIKE[text[i]])
            return "".join(chars)
        cyr = [i for i in spots if any(g in CYRILLIC for g in LOOKALIKE[text[i]])]
        grk = [i for i in spots if any(g not in CYRILLIC for g in LOOKALIKE[text[i]])]
        if not cyr or not grk or set(cyr) == set(grk) == {cyr[0]}:
            return None
        a = rng.choice(cyr)
        b = rng.choice([i for i in grk if i != a] or [None])  # type: ignore[list-item]
        if b is None:
            return None
        chars[a] = next(g for g in LOOKALIKE[text[a]] if g in CYRILLIC)
        chars[b] = next(g for g in LOOKALIKE[text[b]] if g not in CYRILLIC)
        return "".join(chars)
    if kind == "leetspeak":
        spots = [i for i, c in enumerate(text) if c.lower() in LEET]
        if not spots:
            return None
        for i in rng.sample(spots, k=min(len(spots), rng.choice((1, 2)))):
            chars[i] = LEET[text[i].lower()]
        return "".join(chars)
    if kind == "letter_inserted":
        i = rng.choice(inner)
        extra = rng.choice("bdfhkmpqrtvwz")
        return text[:i] + (extra.upper() if text[i].isupper() else extra) + text[i:]
    if kind == "letters_added":
        extra = "".join(rng.choice("xzqvk") for _ in range(rng.choice((1, 1, 2))))
        extra = extra.upper() if text.isupper() else extra
        return text + extra if rng.random() < 0.6 else extra.upper() + text
    if kind == "letter_omitted":
        i = rng.choice(inner)
        return text[:i] + text[i + 1 :]
    if kind == "letters_swapped":
        spots = [i for i in inner if text[i].lower() != text[i + 1].lower()]
        if not spots:
            return None
        i = rng.choice(spots)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == "repeated_letter":
        i = rng.choice(range(1, len(text)))
        return text[:i] + text[i] * rng.choice((1, 2)) + text[i:]
    if kind == "spacing":
        gap = rng.choice(GAPS)
        if rng.random() < 0.4:
            return gap.join(text)
        i = rng.choice(range(2, len(text) - 1))
        return text[:i] + gap + text[i:]
    raise ValueError(kind)


def _goods(rng: random.Random, mark: HoldoutMark, inside: bool) -> str:
    own = [g for c in mark.classes for g in GOODS.get(c, ())]
    other = [g for c, gs in GOODS.items() if c not in mark.classes for g in gs]
    return rng.choice(own if inside and own else other)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.listings: list[dict[str, Any]] = []
        self.labels: list[dict[str, Any]] = []

    def add(self, kind: str, title: str, mark: HoldoutMark | None, expect: str, note: str,
            seller: bool | str, price: float | None = None) -> None:  # fmt: skip
        n = len(self.listings) + 1
        row: dict[str, Any] = {"id": f"ho-{n:05d}", "url": f"https://marketfair.invalid/p/{n}",
                               "marketplace": "marketfair", "title": title, "description": ""}  # fmt: skip
        if price is not None:
            row["price"], row["currency"] = f"{price:.2f}", "EUR"
        if isinstance(seller, str):  # the owner's own store: authorized
            row["seller"] = {"id": f"auth-{mark.id if mark else ''}", "name": seller}
        elif seller:
            row["seller"] = {"id": f"u{self.rng.randrange(10**5, 10**6)}",
                             "name": self.rng.choice(SELLERS)}  # fmt: skip
        self.listings.append(row)
        self.labels.append({"listing_id": row["id"], "asset_id": mark.id if mark else None,
                            "kind": kind, "lang": "en", "expect": expect, "note": note})  # fmt: skip

    def title(self, templates: tuple[str, ...], m: str, p: str) -> str:
        return self.rng.choice(templates).format(m=m, p=p, c=self.rng.choice(COLOURS))


def _hides_mark(text: str, mark: HoldoutMark) -> bool:
    """The disguise is not the mark, a word, a famous brand or another registered mark."""
    low = text.lower()
    others = {m.name.lower() for m in MARKS if m is not mark}
    return low != mark.name.lower() and low not in WORDS | BRAND_WORDS | others


def _positives(b: _Builder) -> None:
    distinctive = [m for m in MARKS if not m.word]
    for kind in POSITIVE_KINDS:
        made = tries = 0
        while made < PER_KIND:
            tries += 1
            if tries > PER_KIND * 40:
                raise RuntimeError(f"cannot make enough {kind} cases")
            mark = b.rng.choice(distinctive)
            text = disguise(b.rng, kind, _case(b.rng, mark.name))
            if text is None or not _hides_mark(text, mark):
                continue
            inside = b.rng.random() < 0.65
            seller = b.rng.random() < 0.35
            price = float(mark.floor) * b.rng.uniform(1.1, 2.0) if seller else None
            where = "own goods" if inside else "other goods"
            b.add(kind, b.title(TITLES, text, _goods(b.rng, mark, inside)), mark, "flag",
                  f"{kind} '{text}' for {mark.name}, {where}, "
                  f"{'unknown seller' if seller else 'no seller, no price'}", seller, price)  # fmt: skip
            made += 1


def _near_words(mark: HoldoutMark) -> list[str]:
    name = mark.name.lower()
    return sorted(w for w in WORDS if w[0] == name[0] and w != name and abs(len(w) - len(name)) <= 1
                  and osa(w, name) <= max(1, len(name) // 4))  # fmt: skip


def _negatives(b: _Builder) -> None:
    rng = b.rng
    distinctive = [m for m in MARKS if not m.word]
    near = {m.id: _near_words(m) for m in MARKS if not m.word}
    worded = [m for m in distinctive if near[m.id]]
    branded = [m for m in MARKS if m.near_brands]
    words = [m for m in MARKS if m.word]
    pairs = [(a, c) for a in distinctive for c in distinctive
             if a is not c and osa(a.name.lower(), c.name.lower()) <= 2]  # fmt: skip
    for kind, count in NEGATIVE_COUNTS.items():
        for _ in range(count):
            seller = rng.random() < 0.5
            if kind == "plain_mention":
                mark = rng.choice(distinctive)
                title = b.title(TITLES, _case(rng, mark.name), _goods(rng, mark, True))
                price = float(mark.floor) * rng.uniform(1.0, 1.8)
                b.add(kind, title, mark, "no_flag",
                      "the mark as registered by its own store or no seller, normal price",
                      _store(mark) if seller else False, price)  # fmt: skip
            elif kind == "near_brand":
                mark = rng.choice(branded)
                brand = rng.choice(mark.near_brands)
                title = b.title(TITLES, rng.choice((brand, brand.upper())), _goods(rng, mark, True))
                b.add(kind, title, mark, "no_flag", f"famous brand {brand}, not {mark.name}",
                      seller, rng.uniform(20, 300))  # fmt: skip
            elif kind == "near_registered":
                mark, other = rng.choice(pairs)
                title = b.title(TITLES, _case(rng, other.name), _goods(rng, other, True))
                b.add(kind, title, mark, "no_flag",
                      f"registered {other.name} named plainly, not {mark.name}", False)  # fmt: skip
            elif kind == "near_word":
                mark = rng.choice(worded)
                word = rng.choice(near[mark.id])
                title = rng.choice(EVERYDAY_TITLES).format(
                    w=word.title(), p=_goods(rng, mark, True), c=rng.choice(COLOURS)
                )
                b.add(kind, title, mark, "no_flag", f"dictionary word '{word}' near {mark.name}",
                      seller, rng.uniform(5, 80))  # fmt: skip
            elif kind in ("compatibility", "compat_typo"):
                mark = rng.choice(distinctive)
                text = _case(rng, mark.name)
                if kind == "compat_typo":
                    typo = rng.choice(("letter_omitted", "letters_swapped", "repeated_letter"))
                    text = disguise(rng, typo, text) or text
                title = b.title(COMPAT_TITLES, text, _goods(rng, mark, True))
                b.add(kind, title, mark, "no_flag", f"accessory for {mark.name}, written '{text}'",
                      seller, float(mark.floor) * rng.uniform(0.1, 0.4))  # fmt: skip
            else:
                mark = rng.choice(words)
                title = rng.choice(EVERYDAY_TITLES).format(
                    w=_case(rng, mark.name), p=rng.choice(OTHER_GOODS), c=rng.choice(COLOURS)
                )
                b.add(kind, title, mark, "no_flag",
                      f"everyday word {mark.name} on goods outside class "
                      f"{', '.join(mark.classes)}", True, rng.uniform(5, 40))  # fmt: skip


def _store(mark: HoldoutMark) -> str:
    return f"{mark.name.title()} Store"


def registry_document() -> dict[str, Any]:
    """The ``ipwatch assets import`` document, one owner per mark."""
    owners = []
    for i, m in enumerate(MARKS):
        asset = {"id": m.id, "kind": "word_mark", "name": m.name,
                 "registration_number": f"EU-HO-{2000 + i}", "jurisdiction": "EU",
                 "classes": list(m.classes), "authorized_sellers": [_store(m)],
                 "price_floor": {"amount": m.floor, "currency": "EUR"},
                 "valid_from": "2021-01-01", "valid_until": "2036-12-31"}  # fmt: skip
        owners.append({"name": m.owner, "contact": f"legal@{m.id}.invalid", "assets": [asset]})
    return {"owners": owners}


def generate(seed: int = DEFAULT_SEED) -> tuple[dict[str, Any], list[dict], list[dict]]:
    """(registry document, listings, labels), the same for the same seed."""
    b = _Builder(seed)
    _positives(b)
    _negatives(b)
    return registry_document(), b.listings, b.labels


def render(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """File name -> exact file text, as written to disk."""
    registry, listings, labels = generate(seed)
    header = (f"# Hold-out rights holders for the text-detection bench (seed {seed}); generated"
              " by\n# bench/textset_holdout.py, do not edit.\n")  # fmt: skip

    def lines(rows: list[dict]) -> str:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    return {
        "registry.yaml": header + yaml.safe_dump(registry, allow_unicode=True, sort_keys=False),
        "listings.jsonl": lines(listings),
        "labels.jsonl": lines(labels),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generation seed")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="folder for the files")
    parser.add_argument("--check", action="store_true", help="exit 1 when files are stale")
    args = parser.parse_args(argv)
    files = render(args.seed)
    if args.check:
        stale = [n for n, t in files.items() if not (args.out / n).is_file()
                 or (args.out / n).read_text(encoding="utf-8") != t]  # fmt: skip
        for name in stale:
            print(f"{args.out / name} is stale; run bench/textset_holdout.py", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
