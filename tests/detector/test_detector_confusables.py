"""Latin prototypes from Unicode TR39 data: which characters read as which Latin letters."""

from __future__ import annotations

import unicodedata

import pytest

from detector.confusables import char_name, latin_prototype, prototype_map, scripts_of


@pytest.mark.parametrize(
    ("char", "latin"),
    [
        ("Ν", "N"),  # GREEK CAPITAL LETTER NU
        ("ν", "v"),  # its lower case imitates v, not n
        ("Ο", "O"),  # GREEK CAPITAL LETTER OMICRON
        ("а", "a"),  # CYRILLIC SMALL LETTER A
        ("К", "K"),  # CYRILLIC CAPITAL LETTER KA
        ("к", "k"),  # derived from its capital: the small form of a lookalike capital
        ("т", "t"),
        ("օ", "o"),  # ARMENIAN SMALL LETTER OH
        ("Ꭺ", "A"),  # CHEROKEE LETTER GO
        ("〇", "O"),  # IDEOGRAPHIC NUMBER ZERO
        ("ɑ", "a"),  # LATIN SMALL LETTER ALPHA
    ],
)
def test_lookalikes_read_as_latin(char: str, latin: str) -> None:
    assert latin_prototype(char) == latin


def test_map_is_large_and_only_targets_ascii_letters_and_digits() -> None:
    table = prototype_map()
    assert len(table) > 1000  # the whole TR39 data, not a hand-made table
    assert all(v.isascii() and v.isalnum() and len(v) == 1 for v in table.values())
    assert not any(k.isascii() for k in table)


def test_ideographs_and_symbols_never_read_as_latin() -> None:
    table = prototype_map()
    for ch in table:
        name = unicodedata.name(ch, "")
        assert not name.startswith(("CJK ", "KATAKANA", "HIRAGANA", "HANGUL"))
        assert unicodedata.category(ch)[0] in "LN"  # '×' and '∣' stay separators
    assert latin_prototype("口") is None
    assert latin_prototype("×") is None


def test_letters_preferred_over_digits() -> None:
    assert latin_prototype("О") == "O"  # CYRILLIC CAPITAL LETTER O, also like digit 0


def test_scripts_of_ignores_common_characters() -> None:
    assert scripts_of("Nоvа-1") == ["LATIN", "CYRILLIC"]
    assert scripts_of("N0VA 42!") == ["LATIN"]
    assert scripts_of("耐克") == ["HAN"]


def test_char_name() -> None:
    assert char_name("Ν") == "GREEK CAPITAL LETTER NU"
    assert char_name("\U000e0100") == "VARIATION SELECTOR-17"
    assert char_name("\ue000") == "U+E000"  # private use: no name
