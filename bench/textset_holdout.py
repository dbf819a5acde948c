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
import random
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from english_words import get_english_words_set

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.textset_files import set_files, write_or_check
from bench.textset_holdout_disguise import disguise, osa
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
POSITIVE_KINDS = (
    "homoglyph",
    "mixed_script",
    "leetspeak",
    "letter_inserted",
    "letters_added",
    "letter_omitted",
    "letters_swapped",
    "repeated_letter",
    "spacing",
)
NEGATIVE_COUNTS = {
    "plain_mention": 60,
    "near_brand": 60,
    "near_registered": 40,
    "near_word": 60,
    "compatibility": 60,
    "compat_typo": 50,
    "everyday_word": 50,
}
NEGATIVE_KINDS = tuple(NEGATIVE_COUNTS)
# Common words of Webster's 2nd (another dictionary than the detector's); capitalised entries
# are names, not words.
WORDS = frozenset(
    w
    for w in get_english_words_set(["web2"], lower=False, alpha=True)
    if len(w) > 3 and w.islower()
)
BRAND_WORDS = frozenset(b.lower() for m in MARKS for b in m.near_brands)


def _case(rng: random.Random, name: str) -> str:
    return rng.choice((name, name.upper(), name.title()))


def _goods(rng: random.Random, mark: HoldoutMark, inside: bool) -> str:
    own = [g for c in mark.classes for g in GOODS.get(c, ())]
    other = [g for c, gs in GOODS.items() if c not in mark.classes for g in gs]
    return rng.choice(own if inside and own else other)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.listings: list[dict[str, Any]] = []
        self.labels: list[dict[str, Any]] = []

    def add(
        self,
        kind: str,
        title: str,
        mark: HoldoutMark | None,
        expect: str,
        note: str,
        seller: bool | str,
        price: float | None = None,
    ) -> None:
        n = len(self.listings) + 1
        row: dict[str, Any] = {
            "id": f"ho-{n:05d}",
            "url": f"https://marketfair.invalid/p/{n}",
            "marketplace": "marketfair",
            "title": title,
            "description": "",
        }
        if price is not None:
            row["price"], row["currency"] = f"{price:.2f}", "EUR"
        if isinstance(seller, str):  # the owner's own store: authorized
            row["seller"] = {"id": f"auth-{mark.id if mark else ''}", "name": seller}
        elif seller:
            row["seller"] = {
                "id": f"u{self.rng.randrange(10**5, 10**6)}",
                "name": self.rng.choice(SELLERS),
            }
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

    def title(self, templates: tuple[str, ...], m: str, p: str) -> str:
        return self.rng.choice(templates).format(m=m, p=p, c=self.rng.choice(COLOURS))


def _hides_mark(text: str, mark: HoldoutMark) -> bool:
    """The disguise is not the mark, a word, a famous brand or another registered mark."""
    low = text.lower()
    others = {m.name.lower() for m in MARKS if m is not mark}
    return low != mark.name.lower() and low not in WORDS and low not in BRAND_WORDS | others


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
            b.add(
                kind,
                b.title(TITLES, text, _goods(b.rng, mark, inside)),
                mark,
                "flag",
                f"{kind} '{text}' for {mark.name}, {where}, "
                f"{'unknown seller' if seller else 'no seller, no price'}",
                seller,
                price,
            )
            made += 1


@lru_cache(maxsize=64)
def _near_words(mark: HoldoutMark) -> tuple[str, ...]:
    """Common words a letter or two from the mark, with its first letter (computed once)."""
    name = mark.name.lower()
    return tuple(
        sorted(
            w
            for w in WORDS
            if w[0] == name[0]
            and w != name
            and abs(len(w) - len(name)) <= 1
            and osa(w, name) <= max(1, len(name) // 4)
        )
    )


def _negatives(b: _Builder) -> None:
    rng = b.rng
    distinctive = [m for m in MARKS if not m.word]
    near = {m.id: _near_words(m) for m in MARKS if not m.word}
    worded = [m for m in distinctive if near[m.id]]
    branded = [m for m in MARKS if m.near_brands]
    words = [m for m in MARKS if m.word]
    pairs = [
        (a, c)
        for a in distinctive
        for c in distinctive
        if a is not c and osa(a.name.lower(), c.name.lower()) <= 2
    ]
    for kind, count in NEGATIVE_COUNTS.items():
        for _ in range(count):
            seller = rng.random() < 0.5
            if kind == "plain_mention":
                mark = rng.choice(distinctive)
                title = b.title(TITLES, _case(rng, mark.name), _goods(rng, mark, True))
                price = float(mark.floor) * rng.uniform(1.0, 1.8)
                b.add(
                    kind,
                    title,
                    mark,
                    "no_flag",
                    "the mark as registered by its own store or no seller, normal price",
                    _store(mark) if seller else False,
                    price,
                )
            elif kind == "near_brand":
                mark = rng.choice(branded)
                brand = rng.choice(mark.near_brands)
                title = b.title(TITLES, rng.choice((brand, brand.upper())), _goods(rng, mark, True))
                b.add(
                    kind,
                    title,
                    mark,
                    "no_flag",
                    f"famous brand {brand}, not {mark.name}",
                    seller,
                    rng.uniform(20, 300),
                )
            elif kind == "near_registered":
                mark, other = rng.choice(pairs)
                title = b.title(TITLES, _case(rng, other.name), _goods(rng, other, True))
                b.add(
                    kind,
                    title,
                    mark,
                    "no_flag",
                    f"registered {other.name} named plainly, not {mark.name}",
                    False,
                )
            elif kind == "near_word":
                mark = rng.choice(worded)
                word = rng.choice(near[mark.id])
                title = rng.choice(EVERYDAY_TITLES).format(
                    w=word.title(), p=_goods(rng, mark, True), c=rng.choice(COLOURS)
                )
                b.add(
                    kind,
                    title,
                    mark,
                    "no_flag",
                    f"dictionary word '{word}' near {mark.name}",
                    seller,
                    rng.uniform(5, 80),
                )
            elif kind in ("compatibility", "compat_typo"):
                mark = rng.choice(distinctive)
                text = _case(rng, mark.name)
                if kind == "compat_typo":
                    typo = rng.choice(("letter_omitted", "letters_swapped", "repeated_letter"))
                    text = disguise(rng, typo, text) or text
                title = b.title(COMPAT_TITLES, text, _goods(rng, mark, True))
                b.add(
                    kind,
                    title,
                    mark,
                    "no_flag",
                    f"accessory for {mark.name}, written '{text}'",
                    seller,
                    float(mark.floor) * rng.uniform(0.1, 0.4),
                )
            else:
                mark = rng.choice(words)
                title = rng.choice(EVERYDAY_TITLES).format(
                    w=_case(rng, mark.name), p=rng.choice(OTHER_GOODS), c=rng.choice(COLOURS)
                )
                b.add(
                    kind,
                    title,
                    mark,
                    "no_flag",
                    f"everyday word {mark.name} on goods outside class {', '.join(mark.classes)}",
                    True,
                    rng.uniform(5, 40),
                )


def _store(mark: HoldoutMark) -> str:
    return f"{mark.name.title()} Store"


def registry_document() -> dict[str, Any]:
    """The ``ipwatch assets import`` document, one owner per mark."""
    owners = []
    for i, m in enumerate(MARKS):
        asset = {
            "id": m.id,
            "kind": "word_mark",
            "name": m.name,
            "registration_number": f"EU-HO-{2000 + i}",
            "jurisdiction": "EU",
            "classes": list(m.classes),
            "authorized_sellers": [_store(m)],
            "price_floor": {"amount": m.floor, "currency": "EUR"},
            "valid_from": "2021-01-01",
            "valid_until": "2036-12-31",
        }
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
    header = (
        f"# Hold-out rights holders for the text-detection bench (seed {seed}); generated"
        " by\n# bench/textset_holdout.py, do not edit.\n"
    )

    return set_files(header, registry, listings, labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generation seed")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="folder for the files")
    parser.add_argument("--check", action="store_true", help="exit 1 when files are stale")
    args = parser.parse_args(argv)
    files = render(args.seed)
    return write_or_check(files, args.out, check=args.check, script="bench/textset_holdout.py")


if __name__ == "__main__":
    raise SystemExit(main())
