"""Which marks are ordinary words, and which forms are language rather than a disguise."""

from __future__ import annotations

import pytest

from detector.generic_words import NAMES, is_everyday, is_word_mark_a_word


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Saffron", True),
        ("CLOUD MAPLE", True),  # every word of the mark is a word
        ("Silver Fjord", True),  # a word only one dictionary has is still a word
        ("雷霆", True),  # no Chinese word list: the cautious reading
        ("Lumora", False),  # coined
        ("ZELTRIX", False),
        ("Cloud Lumora", False),  # one coined word makes the mark distinctive
        ("", False),
    ],
)
def test_is_word_mark_a_word(name: str, word: bool) -> None:
    assert is_word_mark_a_word(name) is word


@pytest.mark.parametrize(
    ("word", "everyday"),
    [
        ("magpies", True),  # plural of a word
        ("orchids", True),
        ("berries", True),
        ("aditus", True),  # only in Webster's 2nd
        ("zeltrixs", False),
        ("voxas", False),
        ("glass", True),
    ],
)
def test_is_everyday(word: str, everyday: bool) -> None:
    assert is_everyday(word) is everyday


def test_names_are_capitalised_entries_only() -> None:
    assert "lenora" in NAMES
    assert "puma" not in NAMES and "dove" not in NAMES  # animals first, brands second
