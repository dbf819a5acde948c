"""Phrases folded and matched the same way, in one Aho-Corasick pass over a listing's text.

Text and phrases are folded alike (NFKC, casefold, Latin accents dropped, invisible characters
removed, runs of spaces/dashes read as one space). A phrase whose first or last character is a
letter or digit of a spaced script must sit on a word boundary there; CJK edges need none.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import ahocorasick

if TYPE_CHECKING:
    from detector.lexicon_files import PhraseSpec


def is_spaceless(ch: str) -> bool:
    """Scripts written without spaces between words (Han, kana, Hangul, Thai): no boundaries."""
    cp = ord(ch)
    return (
        0x0E00 <= cp <= 0x0E7F
        or 0x1100 <= cp <= 0x11FF
        or 0x3040 <= cp <= 0x30FF
        or 0x3130 <= cp <= 0x318F
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FFFF
    )


@lru_cache(maxsize=8192)
def is_word_char(ch: str) -> bool:
    """A letter or digit of a spaced script: a term edge made of one needs a word boundary."""
    return ch.isalnum() and not is_spaceless(ch)


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """NFKC + casefold, Latin accents (U+0300..U+036F) dropped, format characters removed."""
    if ch.isspace() or ch == "_" or unicodedata.category(ch) == "Pd":
        return " "
    if unicodedata.category(ch) == "Cf":
        return ""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).casefold())
    return unicodedata.normalize("NFC", "".join(c for c in text if not 0x300 <= ord(c) < 0x370))


@dataclass(frozen=True)
class FoldedView:
    """Folded text plus, per folded character, the index of the original character."""

    original: str
    folded: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering folded [start, end)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def fold_view(text: str) -> FoldedView:
    """Fold ``text`` keeping the map back to it; runs of separators become one space."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_char(ch):
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
            offsets.append(i)
    return FoldedView(text, "".join(chars), tuple(offsets))


def fold_phrase(text: str) -> str:
    """A lexicon phrase as the automaton stores it."""
    return fold_view(text).folded.strip()


def has_word(phrase: str) -> bool:
    """A phrase must hold a letter or digit: punctuation alone would hit everywhere."""
    return any(c.isalnum() for c in fold_phrase(phrase))


@dataclass(frozen=True)
class PhraseHit:
    """A phrase of a ``PhraseMatcher`` found at folded [start, end)."""

    index: int
    start: int
    end: int


class PhraseMatcher:
    """Aho–Corasick over folded phrases, applying each phrase's boundary/unless/only_with."""

    def __init__(self, phrases: Sequence[PhraseSpec], extra: Iterable[str] = ()) -> None:
        self.phrases = tuple(phrases)
        self._keys: list[str] = []
        self._key_ids: dict[str, int] = {}
        self._term_key = [self._key(fold_phrase(p.term)) for p in self.phrases]
        self._unless = [tuple(self._key(fold_phrase(u)) for u in p.unless) for p in self.phrases]
        self._only = [tuple(self._key(fold_phrase(o)) for o in p.only_with) for p in self.phrases]
        self.extra = {text: self._key(fold_phrase(text)) for text in extra}
        self._users: dict[int, list[int]] = defaultdict(list)
        for i, key in enumerate(self._term_key):
            self._users[key].append(i)
        self._automaton = ahocorasick.Automaton()
        for key_id, phrase in enumerate(self._keys):
            self._automaton.add_word(phrase, key_id)
        self._automaton.make_automaton()

    def _key(self, folded: str) -> int:
        if folded not in self._key_ids:
            self._key_ids[folded] = len(self._keys)
            self._keys.append(folded)
        return self._key_ids[folded]

    def occurrences(self, folded: str) -> dict[int, list[tuple[int, int, bool]]]:
        """Key id -> [(start, end, on word boundaries)], in order of end; one linear pass."""
        found: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        for last, key_id in self._automaton.iter(folded):
            start, end = last + 1 - len(self._keys[key_id]), last + 1
            found[key_id].append((start, end, _on_boundaries(folded, start, end)))
        return found

    def find(self, folded: str, found: dict[int, list[tuple[int, int, bool]]]) -> list[PhraseHit]:
        """Phrase hits that pass their own rules, longest first where two overlap."""
        near_ends = {k: [e for _, e, ok in v if ok] for k, v in found.items()}
        near_starts = {k: [s for s, _, ok in v if ok] for k, v in found.items()}
        hits: list[PhraseHit] = []
        for key_id, spans in found.items():
            for i in self._users.get(key_id, ()):
                spec = self.phrases[i]
                # Only phrases present in this text can matter: look them up once per term.
                unless = [(near_starts[k], near_ends[k]) for k in self._unless[i] if k in found]
                only = [(near_starts[k], near_ends[k]) for k in self._only[i] if k in found]
                if self._only[i] and not only:
                    continue
                for start, end, bounded in spans:
                    if not bounded and spec.match == "word":
                        continue
                    lo, hi = start - spec.window, end + spec.window
                    if any(_any_within(s, e, lo, hi) for s, e in unless):
                        continue
                    if only and not any(_any_within(s, e, lo, hi) for s, e in only):
                        continue
                    hits.append(PhraseHit(i, start, end))
        return _non_overlapping(hits, len(folded))


def _on_boundaries(folded: str, start: int, end: int) -> bool:
    if is_word_char(folded[start]) and start > 0 and is_word_char(folded[start - 1]):
        return False
    return not (is_word_char(folded[end - 1]) and end < len(folded) and is_word_char(folded[end]))


def _any_within(starts: list[int], ends: list[int], lo: int, hi: int) -> bool:
    """Some occurrence ends at or after ``lo`` and starts at or before ``hi``.

    One key's occurrences all have the same length, so both lists are sorted alike.
    """
    i = bisect.bisect_left(ends, lo)
    return i < len(starts) and starts[i] <= hi


def _non_overlapping(hits: list[PhraseHit], length: int) -> list[PhraseHit]:
    """Keep the longest of overlapping hits (ties: the earlier phrase), in text order."""
    taken = bytearray(length)
    kept = []
    for h in sorted(hits, key=lambda h: (h.start - h.end, h.index, h.start)):
        if not any(taken[h.start : h.end]):
            taken[h.start : h.end] = b"\x01" * (h.end - h.start)
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)
