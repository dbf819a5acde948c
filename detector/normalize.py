"""Fold hostile text for mark matching: width, case, accents, lookalikes, hidden characters.

Three views of one text, all indexed by *folded* position so a match maps back to the
original span:

- ``folded``: NFKC (width, math alphanumerics), lookalikes from other scripts read as the
  Latin letter they imitate (Unicode TR39 data, see ``detector.confusables``), casefold,
  accents dropped, traditional Chinese -> simplified (``detector.cjk``), invisible format
  characters (zero-width space, soft hyphen) removed;
- ``skeleton``: ``folded`` with digits and symbols read as the letters they imitate
  (0 -> o, 1 -> l, @ -> a, ...), ``i`` merged with ``l`` (capital I looks like l), and
  letter pairs inside a token read as the letter they imitate (rn -> m, vv -> w, cl -> d).
  A pair's second position holds ``MERGED`` so the skeleton stays aligned with ``folded``;
  read skeleton text through ``FoldedText.skeleton_text``, which drops it. ``plain`` is the
  same reading without the pairs (a mark or a misspelling can break a pair apart);
- ``tokens``: runs of letters/digits. CJK characters are one token each (CJK is written
  without spaces). A camelCase or letter/digit change starts a *soft* token, so
  "NovaflexPro" holds "Novaflex" as a whole-token window without counting as a word boundary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from detector.cjk import simplify_char
from detector.confusables import latin_prototype

# Latin letters with a stroke that NFD does not split into letter + accent.
LATIN_EXTRA: dict[str, str] = {
    "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "ŧ": "t", "ƀ": "b",
}  # fmt: skip

# Digits and symbols read as letters; one char to one char so positions stay aligned.
SKELETON_TABLE = str.maketrans(
    {"0": "o", "1": "l", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b",
     "9": "g",
     "@": "a", "$": "s", "|": "l", "!": "l", "i": "l"}
)  # fmt: skip

MODEL_DIGITS = 3  # a run of this many digits makes a word a model number, not leetspeak
MODEL_NUMBER = re.compile(f"[0-9]{{{MODEL_DIGITS}}}")

# Letter pairs that read as one letter; only the well-known ones, matched on folded text
# (so "ci" is not "cl") inside one token, and folded the same way in marks and listings.
LETTER_PAIRS: dict[str, str] = {"rn": "m", "vv": "w", "cl": "d"}

# Fills the second position of a merged pair in the skeleton; never a token character.
MERGED = "\x00"

# Symbols that count as letters only between two letters/digits ("Nov@flex", not "flex!").
INNER_SYMBOLS = frozenset("@$|!")


def is_cjk(ch: str) -> bool:
    """CJK ideographs and kana: scripts written without spaces between words."""
    cp = ord(ch)
    return (
        0x3040 <= cp <= 0x30FF
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FFFF
    )


def is_invisible(ch: str) -> bool:
    """Format characters (zero-width space/joiner, soft hyphen, bidi marks) render as nothing."""
    return unicodedata.category(ch) == "Cf"


@lru_cache(maxsize=65536)
def lite_char(ch: str) -> str:
    """Width and case only: what a reader would call 'the same letters'."""
    if is_invisible(ch):
        return ""
    return unicodedata.normalize("NFKC", ch).casefold()


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """Fold one character: width, lookalikes -> Latin, case, accents, traditional Chinese.

    The lookalike is read before case folding: Greek capital 'Ν' imitates N, while its
    lower case 'ν' imitates v.
    """
    if is_invisible(ch):
        return ""
    if _symbol_of_letters(ch):
        return ch  # '™' is no 'tm' in a word: "QUVARO™" is QUVARO and a symbol
    out: list[str] = []
    for c in unicodedata.normalize("NFKC", ch):
        proto = latin_prototype(c)
        for d in unicodedata.normalize("NFD", proto.lower() if proto else c.casefold()):
            if unicodedata.combining(d):
                continue
            d = latin_prototype(d) or d
            # LATIN_EXTRA spells some letters with two ("æ" -> "ae"): simplify each one
            out.extend(simplify_char(e) for e in LATIN_EXTRA.get(d.lower(), d.lower()))
    return "".join(out)


def _symbol_of_letters(ch: str) -> bool:
    """A symbol NFKC spells with several letters ('™' TM, '℠' SM, '№' No, '℡' TEL).

    Circled or parenthesised single letters stay letters: they are a disguise, not a sign.
    """
    if not unicodedata.category(ch).startswith("S"):
        return False
    spelt = unicodedata.normalize("NFKC", ch)
    return len(spelt) > 1 and any(c.isalpha() for c in spelt)


def lite(text: str) -> str:
    """NFKC + casefold with invisible characters removed."""
    return "".join(lite_char(c) for c in text)


def plain_reading(word: str) -> str:
    """``FoldedText.plain`` of one folded lower-case ASCII word ('doogi' -> 'doogl'), without
    tokenising it: cheap enough for the many respellings an index of marks is built from."""
    return word.translate(SKELETON_TABLE)


def fold(text: str) -> str:
    """Folded form of a whole string (see module docstring)."""
    return "".join(fold_char(c) for c in text)


def strip_accents(text: str) -> str:
    """Drop combining marks after NFD ('é' -> 'e')."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Token:
    """A run of folded letters/digits; ``hard`` means a real word boundary precedes it."""

    start: int
    end: int
    gap: int
    hard: bool
    cjk: bool


@dataclass(frozen=True)
class FoldedText:
    """A text in its folded and skeleton views, with the map back to original offsets."""

    original: str
    folded: str
    skeleton: str
    offsets: tuple[int, ...]
    tokens: tuple[Token, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering folded [start, end), trailing accents included."""
        a = self.offsets[start]
        b = self.offsets[end - 1] + 1
        while b < len(self.original) and unicodedata.combining(self.original[b]):
            b += 1
        return a, b

    def original_char(self, index: int) -> str:
        """The original character a folded position came from."""
        return self.original[self.offsets[index]]

    @cached_property
    def plain(self) -> str:
        """The skeleton without letter pairs merged: "C L O U D" spelt out keeps its "cl"."""
        return _read_digits(self.folded, self.tokens)

    def view_text(self, start: int, end: int, merged: bool) -> str:
        """Skeleton (``merged``) or plain skeleton text of folded [start, end)."""
        return self.skeleton_text(start, end) if merged else self.plain[start:end]

    def skeleton_text(self, start: int, end: int) -> str:
        """Skeleton of folded [start, end) as read: merged pairs count as one letter."""
        return self.skeleton[start:end].replace(MERGED, "")

    def source_text(self, index: int) -> str:
        """The original text a skeleton position reads: one character or a merged pair."""
        if index + 1 < len(self.skeleton) and self.skeleton[index + 1] == MERGED:
            start, end = self.original_span(index, index + 2)
            return self.original[start:end]
        return self.original_char(index)

    def token_after_is_hard(self, index: int) -> bool:
        """True when token ``index`` ends at a word boundary (end of text or a hard token)."""
        return index + 1 >= len(self.tokens) or self.tokens[index + 1].hard


def fold_text(text: str) -> FoldedText:
    """Fold ``text`` and split it into tokens, keeping each folded char's original offset."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_char(ch):
            chars.append(c)
            offsets.append(i)
    folded = "".join(chars)
    tokens = tuple(_tokenize(text, folded, offsets))
    return FoldedText(
        original=text,
        folded=folded,
        skeleton=_merge_pairs(folded, _read_digits(folded, tokens), tokens),
        offsets=tuple(offsets),
        tokens=tokens,
    )


def _read_digits(folded: str, tokens: tuple[Token, ...]) -> str:
    """``folded`` with digits and symbols read as letters, except in words with a number.

    "6ucci", "K0rva" and "4D1D45" are letters written as digits; a word holding a run of
    ``MODEL_DIGITS`` digits ("55A6100EE", "TX-4960") is a model number, and reading it as
    letters ("ssagl00ee") invents words that a mark may sit a letter away from.
    """
    out = list(folded.translate(SKELETON_TABLE))
    k = 0
    while k < len(tokens):
        last = k
        while last + 1 < len(tokens) and not tokens[last + 1].hard:
            last += 1
        start, end = tokens[k].start, tokens[last].end
        if MODEL_NUMBER.search(folded, start, end):
            out[start:end] = folded[start:end]
        k = last + 1
    return "".join(out)


def _merge_pairs(folded: str, skeleton: str, tokens: tuple[Token, ...]) -> str:
    """Read LETTER_PAIRS inside each token as one letter, left to right, without overlap."""
    out = list(skeleton)
    for t in tokens:
        k = t.start
        while k < t.end - 1:
            letter = LETTER_PAIRS.get(folded[k : k + 2])
            if letter is None:
                k += 1
                continue
            out[k], out[k + 1] = letter, MERGED
            k += 2
    return "".join(out)


def _symbol_role(folded: str, i: int) -> str | None:
    """How a symbol such as '@' takes part in a word: ``inner``, ``edge`` or not at all.

    Inner: up to two symbols between letters/digits ("Nov@flex", "K0rve||a"). Edge: one
    symbol stuck to a word on one side only ("$affron", "Qor@"); it becomes a token of its
    own, so "Nike!" still holds the whole word "Nike".
    """
    if folded[i] not in INNER_SYMBOLS:
        return None
    a = i
    while a > 0 and folded[a - 1] in INNER_SYMBOLS:
        a -= 1
    b = i + 1
    while b < len(folded) and folded[b] in INNER_SYMBOLS:
        b += 1
    before = a > 0 and folded[a - 1].isalnum()
    after = b < len(folded) and folded[b].isalnum()
    if before and after and b - a <= 2:
        return "inner"
    if before != after and b - a == 1:
        return "edge"
    return None


def _tokenize(original: str, folded: str, offsets: list[int]) -> list[Token]:
    tokens: list[Token] = []
    start = -1
    gap = 0
    hard = True
    for i, c in enumerate(folded):
        role = _symbol_role(folded, i)
        if not c.isalnum() and role != "inner":
            if start >= 0:
                tokens.append(Token(start, i, gap, hard, False))
                start, gap, hard = -1, 0, True
            if role == "edge":  # its own token, with word boundaries on both sides
                tokens.append(Token(i, i + 1, gap, True, False))
                gap = 0
            else:
                gap += 1
            continue
        if is_cjk(c):
            if start >= 0:
                tokens.append(Token(start, i, gap, hard, False))
                gap = 0
            tokens.append(Token(i, i + 1, gap, True, True))
            start, gap, hard = -1, 0, True
            continue
        if start < 0:
            start, hard = i, True
            continue
        if _soft_break(original, folded, offsets, i):
            tokens.append(Token(start, i, gap, hard, False))
            start, gap, hard = i, 0, False
    if start >= 0:
        tokens.append(Token(start, len(folded), gap, hard, False))
    return tokens


def _soft_break(original: str, folded: str, offsets: list[int], i: int) -> bool:
    """A letter/digit change or a lower->upper change (camelCase) inside a run of letters."""
    prev, cur = folded[i - 1], folded[i]
    if prev in INNER_SYMBOLS or cur in INNER_SYMBOLS:
        return False
    if prev.isdigit() != cur.isdigit():
        return True
    if offsets[i] == offsets[i - 1]:
        return False
    return original[offsets[i - 1]].islower() and original[offsets[i]].isupper()
