"""Latin prototypes of lookalike characters, read once from Unicode TR39 confusables data.

The ``confusable_homoglyphs`` package ships TR39's confusables as a graph (each character
with the characters it can be mistaken for). We keep the edges that lead to an ASCII letter
or digit, so Greek 'Ν', Cyrillic 'а', Armenian 'օ', Cherokee 'Ꭺ' or IDEOGRAPHIC NUMBER ZERO
each read as the Latin character they imitate. Lower-case letters whose upper case imitates
a Latin capital (Cyrillic 'к' from 'К') read as that letter in lower case: the small form of
a lookalike capital is the usual disguise in lower-case text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import categories
from confusable_homoglyphs.confusables import confusables_data

_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _is_ideograph_or_kana(ch: str) -> bool:
    """CJK characters never read as Latin, even when a stroke looks like 'l' or 'O'."""
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK ", "KANGXI", "HIRAGANA", "KATAKANA", "BOPOMOFO", "HANGUL"))


@lru_cache(maxsize=1)
def prototype_map() -> dict[str, str]:
    """Non-ASCII character -> the ASCII letter or digit it imitates (built once, ~1,500 entries).

    Letters are preferred over digits when a character imitates both ('О' reads as 'O').
    """
    direct: dict[str, str] = {}
    for ch, homoglyphs in confusables_data.items():
        if len(ch) != 1 or ch.isascii() or _is_ideograph_or_kana(ch):
            continue
        if not unicodedata.category(ch).startswith(("L", "N")):
            continue  # symbols ('×', '∣') stay separators, never letters of a word
        targets = [h["c"] for h in homoglyphs if h["c"] in _ASCII_ALNUM]
        if targets:
            letters = [t for t in targets if t.isalpha()]
            direct[ch] = (letters or targets)[0]
    derived: dict[str, str] = {}
    for ch in direct:
        lower = ch.lower()
        if len(lower) == 1 and lower != ch and lower not in direct and not lower.isascii():
            derived[lower] = direct[ch].lower()
    # A decorated Latin letter is the letter its name says, whatever it also resembles.
    return {**direct, **derived, **_decorated_latin_letters()}


# Latin blocks whose letters are base letters with a mark NFD does not split off.
_LATIN_BLOCKS = (
    (0x0080, 0x02AF),  # Latin-1 Supplement, Extended-A/B, IPA Extensions
    (0x1D00, 0x1DBF),  # Phonetic Extensions
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xAB30, 0xAB6F),  # Latin Extended-E
    (0x1DF00, 0x1DFFF),  # Latin Extended-G
)
# "LATIN SMALL LETTER V WITH HOOK", "... R ROTUNDA", "... CAPITAL LETTER SMALL Q WITH HOOK
# TAIL", "... DOTLESS J WITH STROKE": the base letter stands alone after these qualifiers.
_DECORATED = re.compile(
    r"^LATIN (SMALL|CAPITAL) LETTER (?:SMALL CAPITAL |SMALL |DOTLESS |SCRIPT |INSULAR )?"
    r"([A-Z])(?: (?!.*\bLETTER\b).+)?$"
)
# Letters whose name starts like a decorated one but read as another letter or a ligature.
_NOT_LOOKALIKES = frozenset("ſẛẜẝ")  # long s (reads as 'f'), with its decorated forms


def _decorated_latin_letters() -> dict[str, str]:
    """Latin letters with hooks, tails, descenders, bars or dots that NFD keeps whole.

    TR39 lists only some of them ('ɑ' yes, 'ʋ' V WITH HOOK or 'ꞑ' N WITH DESCENDER no), and
    a disguise needs just one a reader takes for the plain letter. The Unicode name says
    which letter is decorated; letters NFD already splits (accents) are left to folding.
    """
    out: dict[str, str] = {}
    for low, high in _LATIN_BLOCKS:
        for cp in range(low, high + 1):
            ch = chr(cp)
            if ch in _NOT_LOOKALIKES or not unicodedata.category(ch).startswith("L"):
                continue
            if unicodedata.normalize("NFKD", ch).isascii():
                continue  # accents: folding strips them and says so
            m = _DECORATED.match(unicodedata.name(ch, ""))
            if m:
                out[ch] = m.group(2).lower() if m.group(1) == "SMALL" else m.group(2)
    return out


def latin_prototype(ch: str) -> str | None:
    """The ASCII letter/digit ``ch`` imitates, or None when it imitates none."""
    return prototype_map().get(ch)


def script(ch: str) -> str:
    """Unicode script alias of ``ch`` ('LATIN', 'CYRILLIC', 'GREEK', 'COMMON', ...)."""
    try:
        return str(categories.alias(ch))
    except (KeyError, IndexError, ValueError):
        return "UNKNOWN"


def scripts_of(text: str) -> list[str]:
    """The scripts of the letters in ``text``, in order of first use (COMMON ignored)."""
    found: dict[str, None] = {}
    for ch in text:
        if ch.isalpha():
            s = script(ch)
            if s not in {"COMMON", "INHERITED", "UNKNOWN"}:
                found[s] = None
    return list(found)


def char_name(ch: str) -> str:
    """Unicode name for a reviewer ('GREEK CAPITAL LETTER NU'), or the code point."""
    return unicodedata.name(ch, f"U+{ord(ch):04X}")
