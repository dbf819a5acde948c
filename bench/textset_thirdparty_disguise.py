"""Disguise code of the third-party text set, written apart from the other sets' code.

Each kind is one way a seller hides a brand from a keyword filter; every function returns the
disguised word or None when the kind does not fit the word. The look-alike tables are drawn
here from the Unicode charts, not from the detector's confusables or another bench module.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

# One look-alike per Latin letter where another script (or Latin with a mark) has one.
SHAPES: dict[str, str] = {
    "a": "ɑаα",  # Latin alpha, Cyrillic a, Greek alpha
    "c": "сϲ",
    "d": "ԁɗ",
    "e": "еҽ",
    "g": "ɡց",
    "h": "һ",
    "i": "іıɩ",
    "j": "ј",
    "k": "κ",
    "l": "ӏ",
    "m": "ṃ",
    "n": "ոṇ",
    "o": "оοօ",
    "p": "рρ",
    "q": "ԛ",
    "r": "ṛ",
    "s": "ѕ",
    "t": "ṭ",
    "u": "υս",
    "v": "νѵ",
    "w": "ԝ",
    "x": "хχ",
    "y": "уү",
    "z": "ẓ",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "СϹ",
    "E": "ЕΕ",
    "H": "НΗ",
    "I": "ІΙ",
    "J": "Ј",
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
# Cyrillic only, for a word written half in another script.
CYRILLIC: dict[str, str] = {
    "a": "а", "c": "с", "e": "е", "i": "і", "j": "ј", "o": "о", "p": "р", "s": "ѕ", "x": "х",
    "y": "у", "h": "һ", "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К",
    "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х",
}  # fmt: skip
LEET: dict[str, str] = {
    "a": "4@", "b": "8", "e": "3", "g": "9", "i": "1!", "l": "1", "o": "0", "s": "5$", "t": "7",
    "z": "2", "A": "4@", "B": "8", "E": "3", "G": "6", "I": "1", "O": "0", "S": "5$", "T": "7",
}  # fmt: skip
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
SEPARATORS = (" ", ".", "-", "_", "·", "  ")


def _swap_some(rng: random.Random, word: str, table: dict[str, str], most: int) -> str | None:
    spots = [i for i, c in enumerate(word) if c in table]
    if not spots:
        return None
    chars = list(word)
    for i in rng.sample(spots, k=min(len(spots), rng.randint(1, most))):
        chars[i] = rng.choice(table[chars[i]])
    return "".join(chars)


def homoglyph(rng: random.Random, word: str) -> str | None:
    """One or two letters drawn from another script or with a dot below."""
    return _swap_some(rng, word, SHAPES, 2)


def mixed_script(rng: random.Random, word: str) -> str | None:
    """The second half of the word in Cyrillic wherever Cyrillic has the letter."""
    half = len(word) // 2
    spots = [i for i in range(half, len(word)) if word[i] in CYRILLIC]
    if len(spots) < 2:
        spots = [i for i, c in enumerate(word) if c in CYRILLIC]
    if len(spots) < 2:
        return None
    return "".join(CYRILLIC[c] if i in spots else c for i, c in enumerate(word))


def leetspeak(rng: random.Random, word: str) -> str | None:
    """Digits or signs for one or two letters."""
    return _swap_some(rng, word, LEET, 2)


def _letter_like(rng: random.Random, word: str) -> str:
    pool = string.ascii_uppercase if word.isupper() else string.ascii_lowercase
    return rng.choice(pool)


def letter_inserted(rng: random.Random, word: str) -> str | None:
    """A stray letter inside the word."""
    if len(word) < 4:
        return None
    at = rng.randrange(1, len(word))
    return word[:at] + _letter_like(rng, word) + word[at:]


def letter_omitted(rng: random.Random, word: str) -> str | None:
    """One inner letter left out (words of five letters or more)."""
    if len(word) < 5:
        return None
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1 :]


def letters_swapped(rng: random.Random, word: str) -> str | None:
    """Two neighbouring inner letters in the wrong order."""
    spots = [i for i in range(1, len(word) - 2) if word[i] != word[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def letters_added(rng: random.Random, word: str) -> str | None:
    """One or two letters or digits glued to the start or the end."""
    glue = "".join(
        rng.choice(string.digits) if rng.random() < 0.4 else _letter_like(rng, word)
        for _ in range(rng.randint(1, 2))
    )
    return glue + word if rng.random() < 0.4 else word + glue


def repeated_letter(rng: random.Random, word: str) -> str | None:
    """One letter written twice."""
    at = rng.randrange(len(word))
    return word[: at + 1] + word[at] + word[at + 1 :]


def spacing(rng: random.Random, word: str) -> str | None:
    """The word split by a space or punctuation once, or every letter spaced out."""
    if len(word) < 4:
        return None
    if rng.random() < 0.3:
        return rng.choice((" ", ".")).join(word)
    at = rng.randrange(2, len(word) - 1)
    return word[:at] + rng.choice(SEPARATORS) + word[at:]


def zero_width(rng: random.Random, word: str) -> str | None:
    """An invisible character (zero-width space, joiner, word joiner, BOM) inside the word."""
    at = rng.randrange(1, len(word))
    return word[:at] + rng.choice(INVISIBLE) + word[at:]


DISGUISES: dict[str, Callable[[random.Random, str], str | None]] = {
    "homoglyph": homoglyph,
    "mixed_script": mixed_script,
    "leetspeak": leetspeak,
    "letter_inserted": letter_inserted,
    "letter_omitted": letter_omitted,
    "letters_swapped": letters_swapped,
    "letters_added": letters_added,
    "repeated_letter": repeated_letter,
    "spacing": spacing,
    "zero_width": zero_width,
}


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counting an adjacent swap as one edit (a near-miss measure)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[len(b)]
