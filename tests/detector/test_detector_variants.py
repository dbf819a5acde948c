"""Held-down letters and one-slip forms of short marks: what counts as the mark, what does not."""

from __future__ import annotations

import pytest

from detector.mark_match import MarkForm
from detector.normalize import fold_text, plain_reading
from detector.variants import REPEATED_SCORE, SlipIndex, held_letters, inner_slips, runs


def _form(name: str, mode: str) -> MarkForm:
    ft = fold_text(name)
    key = ft.folded
    return MarkForm(
        asset_id=name, text=name, source=ft, folded=key, skeleton=key, mode=mode, gaps=0
    )


def test_runs_count_repeated_letters() -> None:
    assert runs("drovvvik") == (("d", 1), ("r", 1), ("o", 1), ("v", 3), ("i", 1), ("k", 1))


@pytest.mark.parametrize(
    ("word", "mark", "held"),
    [
        ("drovvvik", "drovik", True),  # a key held down
        ("ddroovik", "drovik", True),  # several letters, each longer
        ("drovik", "drovik", False),  # the mark itself is no disguise
        ("apple", "aple", True),
        ("aple", "apple", False),  # a letter missing is not a held key
        ("drovikk", "drovic", False),  # another letter
    ],
)
def test_held_letters(word: str, mark: str, held: bool) -> None:
    assert held_letters(word, mark) is held


def test_inner_slips_keep_the_first_letter_and_add_nothing_at_the_end() -> None:
    slips = set(inner_slips("zevo"))
    assert {"zedvo", "zeov", "zveo", "zevxo"} <= slips
    assert not {"xzevo", "zevos", "evzo"} & slips


def test_index_finds_held_letters_of_any_mark_and_slips_of_short_ones_only() -> None:
    index = SlipIndex()
    index.add(_form("ZEVO", "short"), short=True)
    index.add(_form("QUVARO", "long"), short=False)
    assert [(f.text, s) for f, s in index.find("quvvvaro")] == [("QUVARO", REPEATED_SCORE)]
    assert [(f.text, s) for f, s in index.find("zeov")] == [("ZEVO", 0.75)]
    assert [(f.text, s) for f, s in index.find("zedvo")] == [("ZEVO", 0.8)]
    assert list(index.find("quvtaro")) == []  # long marks: the bigram index reads those
    assert list(index.find("zevos")) == []


@pytest.mark.parametrize("word", ["doogi", "verteks", "meizoo", "panason", "tarqui", "clover"])
def test_plain_reading_of_a_word_is_what_folding_the_text_gives(word: str) -> None:
    assert plain_reading(word) == fold_text(word).plain
