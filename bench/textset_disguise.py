"""Disguises of Latin word marks, the way counterfeit sellers write them.

Each function takes the mark as shown (``NOVAFLEX``, ``Novaflex``...) and a seeded ``Random``
and returns ``(text, note)``, or None when the disguise does not fit the mark. Lookalike
letters come from Unicode TR39 confusables data (through ``confusable_homoglyphs``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from confusable_homoglyphs.confusables import confusables_data

if TYPE_CHECKING:
    import random
    from collections.abc import Callable

# Scripts sellers borrow lookalikes from; mathematical and full-width forms are left to NFKC
# (full width is a kind of its own).
HOMOGLYPH_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "LATIN")
SCRIPT_WEIGHTS = {"CYRILLIC": 5, "GREEK": 4, "LATIN": 2, "ARMENIAN": 1, "CHEROKEE": 1}
LEET = {
    "a": "4@", "b": "8", "e": "3", "g": "96", "i": "1!", "l": "1|", "o": "0",
    "s": "5$", "t": "7+", "z": "2",
}  # fmt: skip
ACCENTS = ("\u0301", "\u0300", "\u0308", "\u0302", "\u0304", "\u0303", "\u030a", "\u030c")
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
SEPARATORS = (".", "-", "_", "·", "•", "/", "*", "~", "+")
PAIRS = (("m", "rn"), ("w", "vv"), ("d", "cl"), ("rn", "m"))
AFFIXES = ("Pro", "Max", "Go", "Air", "Plus", "Lite", "X", "Kids", "Home", "One")
VOWELS = frozenset("aeiouy")
EDIT_KINDS = ("omission", "insertion", "swap")
COMBINABLE = {
    "letter": ("homoglyph", "leetspeak", "diacritics", *EDIT_KINDS, "lookalike_pair", "case_camel"),
    "layout": ("spacing", "punctuation", "zero_width", "fullwidth"),
}
LATIN_DISGUISES = (
    "homoglyph",
    "mixed_script",
    "leetspeak",
    "fullwidth",
    "diacritics",
    "spacing",
    "punctuation",
    "zero_width",
    *EDIT_KINDS,
    "lookalike_pair",
    "case_camel",
)
Found = tuple[str, str] | None


@lru_cache(maxsize=256)
def confusables(ch: str) -> dict[str, tuple[str, ...]]:
    """Script -> single characters TR39 lists as confusable with ``ch`` (non-ASCII only)."""
    out: dict[str, list[str]] = {}
    for entry in confusables_data.get(ch, ()):
        glyph = entry["c"].strip("\u200e")
        script = entry["n"].split()[0]
        if len(glyph) != 1 or glyph.isascii() or script not in HOMOGLYPH_SCRIPTS:
            continue
        if " LETTER " not in entry["n"] or unicodedata.normalize("NFKC", glyph) == ch:
            continue
        out.setdefault(script, []).append(glyph)
    return {k: tuple(v) for k, v in out.items()}


def _pick_script(rng: random.Random, scripts: list[str]) -> str:
    weights = [SCRIPT_WEIGHTS[s] for s in scripts]
    return rng.choices(scripts, weights=weights)[0]


def _names(chars: list[str]) -> str:
    return ", ".join(unicodedata.name(c, f"U+{ord(c):04X}") for c in chars)


def homoglyph(rng: random.Random, text: str, cut: int = 0) -> Found:
    spots = [i for i, ch in enumerate(text) if confusables(ch)]
    if not spots:
        return None
    chosen = sorted(rng.sample(spots, k=min(len(spots), rng.choice((1, 1, 2)))))
    chars = list(text)
    used = []
    for i in chosen:
        options = confusables(text[i])
        script = _pick_script(rng, sorted(options))
        chars[i] = rng.choice(options[script])
        used.append(chars[i])
    return "".join(chars), f"lookalike {_names(used)}"


def mixed_script(rng: random.Random, text: str, cut: int = 0) -> Found:
    """Letters from two borrowed scripts in one word, or the whole word in one other script."""
    spots = [i for i, ch in enumerate(text) if confusables(ch)]
    chars = list(text)
    if rng.random() < 0.3:
        for script in ("CYRILLIC", "GREEK"):
            if all(script in confusables(ch) for ch in text if ch.isalpha()):
                for i, ch in enumerate(text):
                    if ch.isalpha():
                        chars[i] = rng.choice(confusables(ch)[script])
                return "".join(chars), f"whole word in {script.lower()} lookalikes"
    scripts_at = {i: sorted(s for s in confusables(text[i]) if s != "LATIN") for i in spots}
    rng.shuffle(spots)
    used: dict[str, str] = {}
    for i in spots:
        free = [s for s in scripts_at[i] if s not in used]
        if free and len(used) < 2:
            script = _pick_script(rng, free)
            chars[i] = rng.choice(confusables(text[i])[script])
            used[script] = chars[i]
    if len(used) < 2:
        return None
    return "".join(chars), f"mixed scripts: {_names(list(used.values()))}"


def leetspeak(rng: random.Random, text: str, cut: int = 0) -> Found:
    spots = [i for i, ch in enumerate(text) if ch.lower() in LEET]
    if not spots:
        return None
    k = min(len(spots), rng.choice((1, 1, 2, 3)))
    chars = list(text)
    for i in rng.sample(spots, k=k):
        chars[i] = rng.choice(LEET[text[i].lower()])
    out = "".join(chars)
    return out, f"digits/symbols for letters: {out}"


def fullwidth(rng: random.Random, text: str, cut: int = 0) -> Found:
    whole = rng.random() < 0.7
    start = 0 if whole else rng.randrange(len(text))
    chars = [
        chr(ord(ch) + 0xFEE0)
        if "!" <= ch <= "~" and i >= start
        else ("\u3000" if ch == " " else ch)
        for i, ch in enumerate(text)
    ]
    return "".join(chars), "full-width forms" + ("" if whole else f" from position {start}")


@lru_cache(maxsize=256)
def accents_for(ch: str) -> tuple[str, ...]:
    """Combining accents that compose with ``ch`` into one precomposed letter (real letters)."""
    return tuple(a for a in ACCENTS if len(unicodedata.normalize("NFC", ch + a)) == 1)


def diacritics(rng: random.Random, text: str, cut: int = 0) -> Found:
    spots = [i for i, ch in enumerate(text) if ch.isascii() and accents_for(ch)]
    if not spots:
        return None
    k = min(len(spots), rng.choice((1, 2, 2, 3)))
    chars = list(text)
    decomposed = rng.random() < 0.3
    for i in sorted(rng.sample(spots, k=k)):
        combined = text[i] + rng.choice(accents_for(text[i]))
        chars[i] = combined if decomposed else unicodedata.normalize("NFC", combined)
    how = "combining accents" if decomposed else "accented letters"
    return "".join(chars), f"{how}: {unicodedata.normalize('NFC', ''.join(chars))}"


def graphemes(text: str) -> list[str]:
    """Base characters with their combining marks, so spacing never strands an accent."""
    out: list[str] = []
    for ch in text:
        if out and unicodedata.combining(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def split_point(text: str, cut: int = 0) -> int:
    """Where the mark splits into two readable parts ("Nova|Flex"); ``cut`` when given."""
    if 0 < cut < len(text):
        return cut
    letters = [ch.lower() for ch in text]
    cuts = [
        i
        for i in range(3, len(text) - 2)
        if letters[i - 1] in VOWELS and letters[i] not in VOWELS and letters[i].isalpha()
    ]
    return min(cuts, key=lambda i: abs(i - len(text) / 2)) if cuts else len(text) // 2


def _layout(rng: random.Random, text: str, seps: tuple[str, ...], what: str, cut: int) -> Found:
    parts = graphemes(text)
    sep = rng.choice(seps)
    if " " in text:
        if rng.random() < 0.5:
            joiner = "" if sep.isspace() else sep  # a two-word mark with its space dropped
            return text.replace(" ", joiner), f"{what}: words joined by {joiner!r}"
        return sep.join(p for p in parts if p != " "), f"{what}: every letter by {sep!r}"
    if rng.random() < 0.5:
        return sep.join(parts), f"{what}: every letter by {sep!r}"
    at = split_point(text, cut)
    return text[:at] + sep + text[at:], f"{what}: split by {sep!r} at {at}"


def spacing(rng: random.Random, text: str, cut: int = 0) -> Found:
    return _layout(rng, text, (" ", " ", "  ", "\u00a0"), "spacing", cut)


def punctuation(rng: random.Random, text: str, cut: int = 0) -> Found:
    return _layout(rng, text, SEPARATORS, "punctuation", cut)


def zero_width(rng: random.Random, text: str, cut: int = 0) -> Found:
    parts = graphemes(text)
    chars = []
    count = min(len(parts) - 1, rng.choice((1, 1, 2)))
    cuts = set(rng.sample(range(1, len(parts)), k=count))
    for i, p in enumerate(parts):
        if i in cuts:
            chars.append(rng.choice(ZERO_WIDTH))
        chars.append(p)
    hidden = [c for c in chars if c in ZERO_WIDTH]
    return "".join(chars), f"invisible {_names(hidden)}"


def _letter_spots(text: str) -> list[int]:
    return [i for i in range(1, len(text)) if text[i].isalpha()]


def omission(rng: random.Random, text: str, cut: int = 0) -> Found:
    i = rng.choice(_letter_spots(text))
    return text[:i] + text[i + 1 :], f"letter '{text[i]}' dropped at {i}"


def insertion(rng: random.Random, text: str, cut: int = 0) -> Found:
    i = rng.choice(_letter_spots(text))
    if rng.random() < 0.5:
        extra = text[i]
    else:
        extra = rng.choice("aeiourlnstk")
        extra = extra.upper() if text[i].isupper() else extra
    return text[:i] + extra + text[i:], f"letter '{extra}' inserted at {i}"


def swap(rng: random.Random, text: str, cut: int = 0) -> Found:
    spots = [
        i
        for i in range(1, len(text) - 1)
        if text[i].isalpha() and text[i + 1].isalpha() and text[i].lower() != text[i + 1].lower()
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :], f"letters {i} and {i + 1} swapped"


def has_lookalike_pair(text: str) -> bool:
    folded = text.lower()
    return any(plain in folded for plain, _ in PAIRS)


def lookalike_pair(rng: random.Random, text: str, cut: int = 0) -> Found:
    """rn for m, vv for w, cl for d (and m for rn), in lower case where they fool the eye."""
    shown = text.title() if text.isupper() else text
    options = [(i, a, b) for a, b in PAIRS for i in range(len(shown)) if shown.startswith(a, i)]
    if not options:
        return None
    i, a, b = rng.choice(options)
    return shown[:i] + b + shown[i + len(a) :], f"'{b}' for '{a}'"


def case_camel(rng: random.Random, text: str, cut: int = 0) -> Found:
    """The mark in camel case glued to a model word: "NovaFlexPro"."""
    words = text.split() if " " in text else [text]
    if len(words) == 1 and (cut or len(text) > 7):
        at = split_point(text, cut)
        words = [text[:at], text[at:]]
    camel = "".join(w[:1].upper() + w[1:].lower() for w in words)
    affix = rng.choice(AFFIXES)
    out = camel + affix if rng.random() < 0.7 else affix + camel
    return out, f"camel case with '{affix}'"


DISGUISES: dict[str, Callable[[random.Random, str, int], Found]] = {
    "homoglyph": homoglyph,
    "mixed_script": mixed_script,
    "leetspeak": leetspeak,
    "fullwidth": fullwidth,
    "diacritics": diacritics,
    "spacing": spacing,
    "punctuation": punctuation,
    "zero_width": zero_width,
    "omission": omission,
    "insertion": insertion,
    "swap": swap,
    "lookalike_pair": lookalike_pair,
    "case_camel": case_camel,
}


def apply_latin(rng: random.Random, kind: str, text: str, cut: int = 0) -> Found:
    """``(disguised text, note)`` for one disguise kind, None when it does not fit ``text``.

    ``cut`` is where the mark splits into readable parts (0: guess), used by spacing,
    punctuation and camel case.
    """
    found = DISGUISES[kind](rng, text, cut)
    if found is None or found[0] == text:
        return None
    return found
