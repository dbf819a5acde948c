"""Disguises of Chinese word marks: traditional characters, pinyin, homophones, layout.

Homophones are real characters (GB2312 level 1, the common ones) with the same toneless
pinyin as the registered character, found with pypinyin; the whole mark must still read the
same, so polyphonic characters cannot slip in a different reading.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from opencc import OpenCC
from pypinyin import lazy_pinyin

if TYPE_CHECKING:
    import random

ZH_KINDS = ("traditional", "pinyin", "homophone", "spacing", "punctuation", "zero_width")
_S2T = OpenCC("s2t")


@lru_cache(maxsize=1)
def _homophones() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin -> common characters (GB2312 level 1) read that way, in code order."""
    table: dict[str, list[str]] = {}
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                ch = bytes((row, cell)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            table.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return {k: tuple(v) for k, v in table.items()}


def homophone(rng: random.Random, mark: str) -> tuple[str, str] | None:
    """Replace one or two characters by others with the same toneless pinyin."""
    spots = list(range(len(mark)))
    rng.shuffle(spots)
    count = 2 if len(mark) > 2 and rng.random() < 0.3 else 1
    chars = list(mark)
    changed = []
    for i in spots:
        if len(changed) == count:
            break
        reading = lazy_pinyin(mark[i])[0]
        options = [
            c for c in _homophones().get(reading, ()) if c not in (mark[i], _S2T.convert(mark[i]))
        ]
        if options:
            chars[i] = rng.choice(options)
            changed.append(f"{mark[i]}->{chars[i]} ({reading})")
    text = "".join(chars)
    if not changed or lazy_pinyin(text) != lazy_pinyin(mark):
        return None
    return text, ", ".join(changed)


def pinyin_form(rng: random.Random, mark: str) -> str:
    syllables = lazy_pinyin(mark)
    style = rng.randrange(6)
    if style == 0:
        return "".join(syllables)
    if style == 1:
        return "".join(syllables).upper()
    if style == 2:
        return "".join(syllables).capitalize()
    if style == 3:
        return " ".join(s.capitalize() for s in syllables)
    if style == 4:
        return "".join(s.capitalize() for s in syllables)
    return " ".join(syllables)


def zh_layout(rng: random.Random, kind: str, text: str) -> tuple[str, str]:
    """Spacing, punctuation and zero-width disguises for CJK marks."""
    if kind == "spacing":
        sep = rng.choice((" ", "  ", "\u3000"))
        return sep.join(text), f"characters separated by {sep!a}"
    if kind == "punctuation":
        sep = rng.choice(("·", ".", "-", "*", "_", "/", "•"))
        return sep.join(text), f"characters separated by '{sep}'"
    cut = rng.randrange(1, len(text))
    mark = rng.choice(("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"))
    return text[:cut] + mark + text[cut:], f"{unicodedata.name(mark)} at {cut}"


def zh_disguise(rng: random.Random, kind: str, name: str) -> tuple[str, str] | None:
    """A disguise of a Chinese mark: (text, note) or None when the kind does not fit."""
    if kind == "traditional":
        text = _S2T.convert(name)
        return (text, f"traditional {text} for {name}") if text != name else None
    if kind == "pinyin":
        text = pinyin_form(rng, name)
        return text, f"pinyin '{text}' of {name}"
    if kind == "homophone":
        found = homophone(rng, name)
        return None if found is None else (found[0], f"homophone {found[0]}: {found[1]}")
    if kind in ("spacing", "punctuation", "zero_width"):
        return zh_layout(rng, kind, name)
    return None


def zh_combination(rng: random.Random, name: str) -> tuple[str, str] | None:
    first = rng.choice(("traditional", "homophone"))
    base = zh_disguise(rng, first, name)
    if base is None:
        return None
    layout = rng.choice(("spacing", "punctuation", "zero_width"))
    text, note = zh_layout(rng, layout, base[0])
    return text, f"{first}+{layout}: {base[1]}; {note}"
