"""Disguises of a brand name as counterfeit sellers write them, for the blind text set.

Written from how sellers on real marketplaces dodge keyword filters, without reading the
matcher or the other sets' disguise code, so that the blind set measures the matcher on
spellings it was not shaped around. Each disguise takes the mark as it is shown in a title
("Motorola", "MOTOROLA") and a ``random.Random``; it returns the disguised word, or None
when the mark gives it nothing to work on (the caller then picks another mark).
"""

from __future__ import annotations

import random
from collections.abc import Callable

Disguise = Callable[[str, random.Random], "str | None"]

VOWELS = "aeiou"

CYRILLIC = {
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "j": "ј",
    "s": "ѕ", "h": "һ", "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К",
    "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У", "S": "Ѕ", "J": "Ј",
}  # fmt: skip
GREEK = {
    "A": "Α", "B": "Β", "E": "Ε", "H": "Η", "I": "Ι", "K": "Κ", "M": "Μ", "N": "Ν", "O": "Ο",
    "P": "Ρ", "T": "Τ", "X": "Χ", "Y": "Υ", "Z": "Ζ", "o": "ο", "a": "α", "v": "ν", "i": "ι",
    "u": "υ", "k": "κ", "n": "η", "p": "ρ", "y": "γ",
}  # fmt: skip
# Latin letters with a dot, hook or stroke that read as the plain letter at a glance.
LATIN_LOOKALIKE = {
    "a": "ạɑȧ", "b": "ḅƅ", "c": "ċç", "d": "ḍɗ", "e": "ėẹ", "g": "ġɡ", "h": "ḥɦ", "i": "ıịỉ",
    "k": "ķƙ", "l": "ŀḷł", "m": "ṁɱ", "n": "ṅṇ", "o": "ọȯ", "p": "ƥṗ", "r": "ṛṙ", "s": "ṣș",
    "t": "ţṭ", "u": "ụư", "v": "ṿ", "w": "ẉ", "x": "ẋ", "y": "ỵẏ", "z": "żẓ",
    "A": "ẠȦ", "B": "ḄḂ", "C": "ĊÇ", "D": "ḌḊ", "E": "ĖẸ", "G": "Ġ", "H": "ḤḢ", "I": "İỊ",
    "K": "ĶḲ", "L": "ĿḶ", "M": "ṀṂ", "N": "ṄṆ", "O": "ȮỌ", "P": "Ṗ", "R": "ṘṚ", "S": "ṢṠ",
    "T": "ṬṪ", "U": "Ụ", "V": "Ṿ", "W": "Ẉ", "X": "Ẋ", "Y": "ẎỴ", "Z": "ŻẒ",
}  # fmt: skip
ACCENTED = {
    "a": "àáâäãå", "e": "èéêë", "i": "ìíîï", "o": "òóôöõ", "u": "ùúûü", "n": "ñ", "c": "ç",
    "y": "ýÿ", "A": "ÀÁÂÄÃ", "E": "ÈÉÊË", "I": "ÌÍÎÏ", "O": "ÒÓÔÖÕ", "U": "ÙÚÛÜ", "N": "Ñ",
}  # fmt: skip
COMBINING = ("\u0301", "\u0300", "\u0308", "\u0323", "\u0331", "\u0307", "\u0302", "\u0303")
LEET = {
    "o": "0", "O": "0", "i": "1", "I": "1", "l": "1", "L": "1", "e": "3", "E": "3", "a": "4@",
    "A": "4@", "s": "5$", "S": "5$", "t": "7", "T": "7", "g": "9", "G": "9", "b": "8", "B": "8",
}  # fmt: skip
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")
SPLITTERS = (".", "-", "_", "*", "·", "•", "'", "/")
# ASCII look-alike spellings: capital I for l, rn for m, vv for w, cl for d.
ASCII_CONFUSE = {"l": "I", "I": "l", "m": "rn", "M": "RN", "w": "vv", "W": "VV", "d": "cl"}
PHONETIC = (
    ("ph", "f"), ("f", "ph"), ("PH", "F"), ("c", "k"), ("k", "c"), ("C", "K"), ("K", "C"),
    ("x", "ks"), ("X", "KS"), ("y", "i"), ("Y", "I"), ("i", "y"), ("I", "Y"), ("s", "z"),
    ("S", "Z"), ("z", "s"), ("oo", "u"), ("u", "oo"), ("U", "OO"), ("ee", "i"), ("ei", "ey"),
    ("ie", "ee"), ("ai", "ay"), ("AI", "AY"), ("qu", "kw"), ("QU", "KW"),
)  # fmt: skip
KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "ol", "a": "qsz", "s": "adwx", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "ko", "z": "xa", "x": "zcs",
    "c": "xvd", "v": "cbf", "b": "vng", "n": "bmh", "m": "nj",
}  # fmt: skip


def _cased(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter.lower()


def _positions(word: str, table: dict[str, str], skip_first: bool = False) -> list[int]:
    start = 1 if skip_first else 0
    return [i for i in range(start, len(word)) if word[i] in table]


def _replace_some(word: str, rng: random.Random, table: dict[str, str], most: int) -> str | None:
    spots = _positions(word, table)
    if not spots:
        return None
    chosen = rng.sample(spots, min(len(spots), rng.randint(1, most)))
    out = list(word)
    for i in chosen:
        out[i] = rng.choice(table[word[i]])
    return "".join(out)


def homoglyph_cyrillic(word: str, rng: random.Random) -> str | None:
    """One to three letters swapped for Cyrillic twins (the "CHANEL" trick)."""
    return _replace_some(word, rng, CYRILLIC, 3)


def homoglyph_greek(word: str, rng: random.Random) -> str | None:
    """One or two letters swapped for Greek twins."""
    return _replace_some(word, rng, GREEK, 2)


def latin_lookalike(word: str, rng: random.Random) -> str | None:
    """A dotted, hooked or stroked Latin letter ("Nıke", "Ṁotorola")."""
    return _replace_some(word, rng, {k: v for k, v in LATIN_LOOKALIKE.items()}, 2)


def ascii_confusable(word: str, rng: random.Random) -> str | None:
    """Plain ASCII that reads the same: "AppIe", "Xiaorni", "Huavvei"; else i for l."""
    spots = _positions(word, ASCII_CONFUSE, skip_first=True)
    if spots:
        i = rng.choice(spots)
        return word[:i] + ASCII_CONFUSE[word[i]] + word[i + 1 :]
    spots = [i for i in range(1, len(word)) if word[i] in "iI"]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + ("l" if word[i] == "i" else "L") + word[i + 1 :]


def leetspeak(word: str, rng: random.Random) -> str | None:
    """Digits and signs for letters: "Ro1ex", "L0UIS", "Mot0r0la", "Phili$"."""
    return _replace_some(word, rng, LEET, 2)


def fullwidth(word: str, rng: random.Random) -> str | None:
    """The whole word (or all but its first letter) in fullwidth forms."""
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    return word[0] + wide[1:] if rng.random() < 0.3 else wide


def accent(word: str, rng: random.Random) -> str | None:
    """An accent on a letter ("Guccì"): precomposed, or a combining mark after it."""
    if rng.random() < 0.5:
        return _replace_some(word, rng, ACCENTED, 1)
    i = rng.randrange(1, len(word))
    return word[: i + 1] + rng.choice(COMBINING) + word[i + 1 :]


def invisible(word: str, rng: random.Random) -> str | None:
    """Zero-width space/joiner, word joiner, soft hyphen or BOM inside the word."""
    out = list(word)
    for i in sorted(rng.sample(range(1, len(word)), min(len(word) - 1, rng.randint(1, 2))),
                    reverse=True):  # fmt: skip
        out.insert(i, rng.choice(INVISIBLE))
    return "".join(out)


def spacing(word: str, rng: random.Random) -> str | None:
    """A space inside ("Sup reme", "Moto rola") or between every letter ("N O K I A")."""
    if rng.random() < 0.35:
        return " ".join(word)
    i = rng.randrange(2, len(word) - 1) if len(word) > 3 else 1
    return word[:i] + " " + word[i:]


def split_punct(word: str, rng: random.Random) -> str | None:
    """The brand split by a dot, dash, star or the like ("Ni-ke", "Hua.wei")."""
    i = rng.randrange(1, len(word))
    return word[:i] + rng.choice(SPLITTERS) + word[i:]


def doubled(word: str, rng: random.Random) -> str | None:
    """One letter written twice ("Pumma", "Adidaas")."""
    spots = [i for i in range(1, len(word)) if word[i] != word[i - 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[: i + 1] + word[i] + word[i + 1 :]


def added(word: str, rng: random.Random) -> str | None:
    """A different letter slipped in or appended, as a fat finger would ("Nokiua", "Lenovoi")."""
    i = rng.randrange(1, len(word) + 1)
    near = word[i - 1].lower()
    pool = [c for c in KEYBOARD.get(near, "aeiosr") if c != near]
    if i < len(word):
        pool = [c for c in pool if c != word[i].lower()]
    letter = _cased(rng.choice(pool or ["x"]), word if word.isupper() else "a")
    return word[:i] + letter + word[i:]


def omitted(word: str, rng: random.Random) -> str | None:
    """One inner letter left out ("Rolx", "Motrola"); the first one kept."""
    if len(word) < 5:
        return None
    spots = [i for i in range(1, len(word) - 1) if word[i] != word[i - 1]]
    i = rng.choice(spots)
    return word[:i] + word[i + 1 :]


def truncated(word: str, rng: random.Random) -> str | None:
    """The end cut off, as in "L0UIS V" or "Panasoni"."""
    if len(word) < 6:
        return None
    return word[: -2 if len(word) >= 8 and rng.random() < 0.5 else -1]


def swapped(word: str, rng: random.Random) -> str | None:
    """Two adjacent letters swapped ("Huawie", "Motorloa"); the first one kept."""
    spots = [i for i in range(1, len(word) - 1) if word[i].lower() != word[i + 1].lower()]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def vowel_swap(word: str, rng: random.Random) -> str | None:
    """An inner vowel swapped for another vowel ("Motorela", "Panasinic")."""
    spots = [i for i in range(1, len(word)) if word[i].lower() in VOWELS]
    if not spots:
        return None
    i = rng.choice(spots)
    other = rng.choice([v for v in VOWELS if v != word[i].lower()])
    return word[:i] + _cased(other, word[i]) + word[i + 1 :]


def phonetic(word: str, rng: random.Random) -> str | None:
    """Spelled as it sounds ("Fillips", "Nokya", "Xiaomy"); the first letter kept."""
    options = [
        (i, old, new)
        for old, new in PHONETIC
        for i in range(1, len(word))
        if word.startswith(old, i) and not (old in "uU" and word[i - 1] in "qQ")
    ]
    if not options:
        return None
    i, old, new = rng.choice(options)
    return word[:i] + new + word[i + len(old) :]


TYPO: dict[str, Disguise] = {
    "letter_doubled": doubled,
    "letter_added": added,
    "letter_omitted": omitted,
    "letters_swapped": swapped,
    "vowel_swapped": vowel_swap,
    "split_punct": split_punct,
}
VISUAL: dict[str, Disguise] = {
    "homoglyph_cyrillic": homoglyph_cyrillic,
    "homoglyph_greek": homoglyph_greek,
    "latin_lookalike": latin_lookalike,
    "leetspeak": leetspeak,
    "accent": accent,
    "invisible": invisible,
}


def combined(word: str, rng: random.Random) -> str | None:
    """Two disguises in one word: a misspelling first, then a look-alike on top."""
    typo = TYPO[rng.choice(sorted(TYPO))](word, rng)
    if typo is None:
        return None
    return VISUAL[rng.choice(sorted(VISUAL))](typo, rng)


DISGUISES: dict[str, Disguise] = {
    **VISUAL,
    "ascii_confusable": ascii_confusable,
    "fullwidth": fullwidth,
    "spacing": spacing,
    **TYPO,
    "truncated": truncated,
    "phonetic": phonetic,
    "combined": combined,
}
# Disguises seen inside Chinese-language titles (the "zh_title" kind).
ZH_DISGUISES = ("fullwidth", "spacing", "homoglyph_cyrillic", "leetspeak", "split_punct",
                "letter_omitted", "letters_swapped", "invisible")  # fmt: skip


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps cost one), case-blind."""
    a, b = a.lower(), b.lower()
    d = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]
