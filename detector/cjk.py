"""Chinese marks: traditional -> simplified (OpenCC) and toneless pinyin (pypinyin).

Counterfeit listings in Chinese markets write a mark in traditional characters (諾瓦弗萊),
in its pinyin (naike, Nai Ke) or with other characters that sound the same (奈克 for 耐克).
Characters are converted one at a time so every folded character keeps its own position in
the listing; marks and listings go through the same functions, so they agree.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from opencc import OpenCC

T = TypeVar("T")

MIN_HOMOPHONE_SYLLABLES = 2  # one syllable is shared by dozens of everyday characters
MIN_PINYIN_LETTERS = 4  # "li", "bao" alone are too common to mean a mark


def is_han(ch: str) -> bool:
    """Chinese ideographs (the characters OpenCC and pypinyin know)."""
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FFFF
    )


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    """OpenCC's traditional -> simplified converter, built once (loading costs ~10 ms)."""
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplify_char(ch: str) -> str:
    """Simplified form of one Han character (itself when already simplified or not Han)."""
    if not is_han(ch):
        return ch
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch  # keep one-to-one so positions stay aligned


def simplify(text: str) -> str:
    """Character-by-character traditional -> simplified."""
    return "".join(simplify_char(c) for c in text)


@lru_cache(maxsize=65536)
def char_pinyin(ch: str) -> str:
    """Toneless pinyin of one Han character in its most common reading ('' for non-Han)."""
    if not is_han(ch):
        return ""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    return syllables[0] if syllables else ""


def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of every character of a Han-only ``text``; empty if any has none."""
    out = tuple(char_pinyin(simplify_char(c)) for c in text)
    return out if out and all(out) else ()


def phrase_syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of ``text`` read as a word (pypinyin picks readings from phrases)."""
    from pypinyin import Style, lazy_pinyin

    if not text or not all(is_han(c) for c in text):
        return ()
    out = tuple(lazy_pinyin(simplify(text), style=Style.NORMAL, errors="ignore"))
    return out if len(out) == len(text) else ()


def pinyin_spellings(text: str) -> list[tuple[str, ...]]:
    """Distinct syllable sequences a Latin listing may use for the Han mark ``text``."""
    found: dict[tuple[str, ...], None] = {}
    for seq in (phrase_syllables(text), syllables(text)):
        if len(seq) >= MIN_HOMOPHONE_SYLLABLES and len("".join(seq)) >= MIN_PINYIN_LETTERS:
            found[seq] = None
    return list(found)


class SoundIndex(Generic[T]):
    """Chinese marks by toneless pinyin, to find runs of other characters that sound alike.

    A lookup per run position and registered syllable count: the cost does not grow with
    the number of marks.
    """

    def __init__(self) -> None:
        self._by_sound: dict[tuple[str, ...], list[T]] = defaultdict(list)
        self._lengths: list[int] = []

    def add(self, mark: str, payload: T) -> None:
        """Index a Han ``mark`` (two syllables or more) under its per-character pinyin."""
        sounds = syllables(mark)
        if len(sounds) >= MIN_HOMOPHONE_SYLLABLES:
            self._by_sound[sounds].append(payload)
            self._lengths = sorted({len(k) for k in self._by_sound})

    def __bool__(self) -> bool:
        return bool(self._by_sound)

    def find(self, chars: Sequence[str]) -> Iterator[tuple[int, int, tuple[str, ...], T]]:
        """``(first, last, sounds, payload)`` for every run of ``chars`` that sounds like a
        mark; ``chars`` holds one folded character per token ('' where the token is not Han).
        """
        sounds = [char_pinyin(c) if c else "" for c in chars]
        for i in range(len(chars)):
            if not sounds[i]:
                continue
            for length in self._lengths:
                run = tuple(sounds[i : i + length])
                if len(run) == length and all(run):
                    for payload in self._by_sound.get(run, ()):
                        yield i, i + length - 1, run, payload
