"""The bundled lexicons ship as package data, validate, and every entry can actually fire."""

from __future__ import annotations

from importlib import resources

import pytest

from detector.context import ContextFile, ContextLexicon, mark_context
from detector.lexicon import CounterfeitLexicon
from detector.lexicon_files import CounterfeitFile, PhraseSpec, TermSpec, read_lexicon_file
from detector.phrases import fold_phrase

COUNTERFEIT = CounterfeitLexicon.bundled()
CONTEXT = ContextLexicon.bundled()
TERMS = [
    pytest.param(category, term, id=f"{category}:{term.term}")
    for category, group in COUNTERFEIT.spec.categories.items()
    for term in group.terms
]
CUES = [
    pytest.param(group.position, cue, id=f"{group.kind}-{group.position}:{cue.term}")
    for group in CONTEXT.spec.groups
    for cue in group.cues
]


@pytest.mark.parametrize("name", ["counterfeit.yaml", "context.yaml"])
def test_files_ship_as_package_data(name: str) -> None:
    assert resources.files("config").joinpath("lexicons", name).is_file()


def test_bundled_files_validate() -> None:
    counterfeit = read_lexicon_file(None, "lexicons/counterfeit.yaml", CounterfeitFile)
    context = read_lexicon_file(None, "lexicons/context.yaml", ContextFile)
    assert counterfeit.version == context.version == 1
    assert set(counterfeit.categories) == {"replica", "grade", "factory", "lookalike"}
    assert {str(g.kind) for g in context.groups} == {"compatibility", "resale"}


def test_every_category_has_english_and_chinese() -> None:
    for name, group in COUNTERFEIT.spec.categories.items():
        languages = {code for term in group.terms for code in term.lang}
        assert {"en", "zh"} <= languages, name


@pytest.mark.parametrize(("category", "term"), TERMS)
def test_each_term_finds_itself(category: str, term: TermSpec) -> None:
    text = term.term + (f" {term.only_with[0]}" if term.only_with else "")
    hits = COUNTERFEIT.find(text)
    assert [(h.term, h.category) for h in hits] == [(term.term, category)]


@pytest.mark.parametrize(("category", "term"), TERMS)
def test_each_term_is_negated(category: str, term: TermSpec) -> None:
    suffix = f" {term.only_with[0]}" if term.only_with else ""
    assert COUNTERFEIT.find(f"not {term.term}{suffix}") == []
    assert COUNTERFEIT.find(f"拒绝{term.term}{suffix}") == []


@pytest.mark.parametrize(("category", "term"), TERMS)
def test_each_unless_phrase_can_apply(category: str, term: TermSpec) -> None:
    for phrase in term.unless:
        if term.window == 0:  # overlap only: the phrase must contain the term to ever apply
            assert fold_phrase(term.term) in fold_phrase(phrase), phrase
        text = phrase if fold_phrase(term.term) in fold_phrase(phrase) else f"{term.term} {phrase}"
        assert term.term not in [h.term for h in COUNTERFEIT.find(text)], phrase


@pytest.mark.parametrize(("position", "cue"), CUES)
def test_each_cue_explains_a_mark(position: str, cue: PhraseSpec) -> None:
    mark = "Novaflex"
    text = f"{mark} {cue.term}" if position == "after" else f"{cue.term} {mark}"
    start = text.index(mark)
    hit = mark_context(text, start, start + len(mark))  # also: no cue is counterfeit wording
    assert hit is not None and hit.term == cue.term


@pytest.mark.parametrize(("position", "cue"), CUES)
def test_each_cue_unless_phrase_can_apply(position: str, cue: PhraseSpec) -> None:
    for phrase in cue.unless:
        assert fold_phrase(cue.term) in fold_phrase(phrase) or cue.window > 0, phrase
        text = f"{phrase} Novaflex" if position != "after" else f"Novaflex {phrase}"
        hit = mark_context(text, text.index("Novaflex"), text.index("Novaflex") + 8)
        assert hit is None or hit.term != cue.term, phrase
