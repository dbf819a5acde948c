"""Disguises for the hold-out text set, written apart from ``bench/textset_disguise.py``.

Lookalike letters are a hand-picked table (not the TR39 data the detector reads); each kind
follows the issue 15 table of what sellers do to a mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import random

# Hand-picked lookalikes (Cyrillic, Greek, Armenian), not the TR39 file the detector reads.
LOOKALIKE = {
    "a": "аα",
    "c": "сϲ",
    "e": "е",
    "i": "іι",
    "j": "ј",
    "o": "оοօ",
    "p": "рρ",
    "s": "ѕ",
    "x": "хχ",
    "y": "уγ",
    "h": "һ",
    "k": "κ",
    "n": "ո",
    "v": "ν",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "С",
    "E": "ЕΕ",
    "H": "НΗ",
    "I": "ІΙ",
    "K": "КΚ",
    "M": "МΜ",
    "N": "Ν",
    "O": "ОΟ",
    "P": "РΡ",
    "S": "Ѕ",
    "T": "ТΤ",
    "X": "ХΧ",
    "Y": "ΥҮ",
    "Z": "Ζ",
}
CYRILLIC = frozenset("аеіјорѕхуһсАВСЕНІКМОРЅТХҮ")
LEET = {
    "a": "4",
    "e": "3",
    "i": "1",
    "o": "0",
    "s": "5",
    "t": "7",
    "b": "8",
    "g": "9",
    "l": "1",
    "z": "2",
}
GAPS = (" ", " ", "  ", ".", "-", "·", "_")
# Common words of Webster's 2nd (another dictionary than the detector's); capitalised entries


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
