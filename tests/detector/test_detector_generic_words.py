"""Which marks are ordinary words, and which forms are language rather than a disguise."""

from __future__ import annotations

import subprocess
import sys

import pytest

from detector.generic_words import is_everyday, is_word_mark_a_word, names


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
    assert "lenora" in names()
    assert "puma" not in names() and "dove" not in names()  # animals first, brands second


def test_the_word_lists_load_when_first_asked_not_on_import() -> None:
    """Importing the detector (every crawl and CLI process does) costs no dictionary load."""
    code = (
        "import sys\n"
        "import detector.engine, detector.text, detector.rules\n"
        "assert 'english_words' not in sys.modules, 'loaded on import'\n"
        "from detector.generic_words import is_everyday, word_lists\n"
        "assert word_lists.cache_info().currsize == 0\n"
        "assert is_everyday('quantity') and 'english_words' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
