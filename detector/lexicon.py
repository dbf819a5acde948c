"""Counterfeit-intent wording ("replica", "1:1", "AAA", 高仿, A货...) found in a listing's text.

Terms live in ``config/lexicons/counterfeit.yaml``, grouped by category, each with a weight.
Text and terms are folded the same way (NFKC, casefold, Latin accents dropped, invisible
characters removed, runs of spaces/dashes read as one space) and matched in one pass of an
Aho–Corasick automaton, so the cost grows with the text, not with the number of terms.

A term whose first or last character is a letter or digit of a spaced script must sit on a
word boundary there ("rep" never hits "repair"); CJK edges need none (Chinese is written
without spaces). Per term, ``unless`` phrases near the hit drop it ("AAA" beside "battery"),
``only_with`` phrases must be near it. A hit right after a negation ("not a replica",
拒绝高仿) is dropped, and so is one chained to a dropped hit ("no fakes or replicas").
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detector.lexicon_files import CounterfeitFile, TermSpec, check_unique, read_lexicon_file
from detector.phrases import PhraseMatcher, fold_phrase, fold_view
from model import Signal

if TYPE_CHECKING:
    from model import Listing


BUNDLED = "lexicons/counterfeit.yaml"
MAX_TEXT_CHARS = 20_000  # per field: listing text is attacker-controlled
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_CHARS = 1_000
MAX_EVIDENCE_HITS = 20
MAX_SHOWN_CHARS = 40
SIGNAL_TOP_TERMS = 3  # the signal combines the strongest distinct terms, not every repeat
NEGATION_WINDOW = 24  # folded characters between a negation and the hit it negates
FIELD_NAMES = {"title": "the title", "description": "the description", "brand": "the brand field"}


@dataclass(frozen=True)
class LexiconHit:
    """One counterfeit-wording term found; ``start``/``end`` index the original text."""

    term: str
    category: str
    languages: tuple[str, ...]
    weight: float
    start: int
    end: int
    text: str

    @property
    def language(self) -> str:
        """The term's language code(s), e.g. ``en`` or ``es/it/pt`` for a shared word."""
        return "/".join(self.languages)

    def as_evidence(self, field: str) -> dict[str, Any]:
        return {
            "field": field,
            "start": self.start,
            "end": self.end,
            "text": self.text[:200],
            "term": self.term,
            "category": self.category,
            "language": self.language,
            "weight": self.weight,
        }


class CounterfeitLexicon:
    """Counterfeit-intent terms by category, matched over folded text in one pass."""

    def __init__(self, spec: CounterfeitFile, source: str = "<memory>") -> None:
        self.source = source
        self.spec = spec
        terms: list[TermSpec] = []
        self._category: list[str] = []
        for category, group in spec.categories.items():
            terms.extend(group.terms)
            self._category.extend([category] * len(group.terms))
        check_unique(terms, [f"categories.{c}" for c in self._category], source)
        fillers = {fold_phrase(f) for f in spec.negation_fillers}
        self._fillers = frozenset(fillers - {""})
        self._matcher = PhraseMatcher(terms, extra=spec.negations)

    @classmethod
    def load(cls, path: str | Path) -> CounterfeitLexicon:
        """Read and validate a lexicon file; errors name the file, the entry and the fix."""
        return cls(read_lexicon_file(path, BUNDLED, CounterfeitFile), str(path))

    @classmethod
    def bundled(cls) -> CounterfeitLexicon:
        """The lexicon shipped in ``config/lexicons/counterfeit.yaml``, loaded once."""
        return _bundled_counterfeit()

    def find(self, text: str, max_chars: int = MAX_TEXT_CHARS) -> list[LexiconHit]:
        """Terms in the first ``max_chars`` characters of ``text``, in text order."""
        view = fold_view(text[:max_chars])
        found = self._matcher.occurrences(view.folded)
        hits = self._matcher.find(view.folded, found)
        negation_ends = sorted(
            e for k in self._matcher.extra.values() for _, e, ok in found.get(k, ()) if ok
        )
        out: list[LexiconHit] = []
        negated_ends: list[int] = []
        for h in hits:
            if self._negated(view.folded, h.start, negation_ends, negated_ends):
                negated_ends.append(h.end)
                continue
            spec = self._matcher.phrases[h.index]
            start, end = view.original_span(h.start, h.end)
            out.append(
                LexiconHit(
                    term=spec.term,
                    category=self._category[h.index],
                    languages=spec.lang,
                    weight=spec.weight if isinstance(spec, TermSpec) else 0.0,
                    start=start,
                    end=end,
                    text=view.original[start:end],
                )
            )
        return out

    def _negated(self, folded: str, start: int, *end_lists: list[int]) -> bool:
        """A negation (or a negated hit) ends just before ``start`` with only fillers between.

        Only the nearest end of each list is checked: a farther one's gap holds the nearer
        one's, so it cannot be all fillers when the nearer one is not.
        """
        for ends in end_lists:
            i = bisect.bisect_right(ends, start) - 1
            near = i >= 0 and start - ends[i] <= NEGATION_WINDOW
            if near and self._only_fillers(folded[ends[i] : start]):
                return True
        return False

    def _only_fillers(self, gap: str) -> bool:
        words = "".join(c if c.isalnum() else " " for c in gap).split()
        return all(w in self._fillers for w in words)


@lru_cache(maxsize=1)
def _bundled_counterfeit() -> CounterfeitLexicon:
    return CounterfeitLexicon(
        read_lexicon_file(None, BUNDLED, CounterfeitFile), f"config/{BUNDLED}"
    )


def listing_fields(listing: Listing) -> list[tuple[str, str]]:
    """(field, text) pairs scanned for wording; attributes are capped (hostile input)."""
    fields = [
        ("title", listing.title[:MAX_TEXT_CHARS]),
        ("description", listing.description[:MAX_TEXT_CHARS]),
        ("brand", (listing.brand or "")[:MAX_TEXT_CHARS]),
    ]
    for key, value in list(listing.attributes.items())[:MAX_ATTRIBUTES]:
        fields.append((f"attributes.{key[:80]}", str(value)[:MAX_ATTRIBUTE_CHARS]))
    return [(name, text) for name, text in fields if text]


def counterfeit_wording_signal(
    listing: Listing, lexicon: CounterfeitLexicon | None = None
) -> Signal | None:
    """A ``counterfeit_wording`` signal when the listing's text uses counterfeit-intent terms.

    The score is the noisy-or of the weights of the strongest distinct terms, so repeating a
    word adds nothing. It never links a listing to a brand by itself (see detector/scoring.py).
    """
    lexicon = lexicon or CounterfeitLexicon.bundled()
    found = [(name, hit) for name, text in listing_fields(listing) for hit in lexicon.find(text)]
    if not found:
        return None
    strongest: dict[str, float] = {}
    for _, hit in found:
        strongest[hit.term] = max(strongest.get(hit.term, 0.0), hit.weight)
    top = sorted(strongest.values(), reverse=True)[:SIGNAL_TOP_TERMS]
    keep = 1.0
    for weight in top:
        keep *= 1.0 - weight
    return Signal(
        kind="counterfeit_wording",
        score=round(1.0 - keep, 4),
        detail=_detail(found),
        evidence={
            "hits": [hit.as_evidence(name) for name, hit in found[:MAX_EVIDENCE_HITS]],
            "hit_count": len(found),
            "categories": sorted({hit.category for _, hit in found}),
            "terms": sorted(strongest, key=lambda t: (-strongest[t], t)),
        },
    )


def _detail(found: list[tuple[str, LexiconHit]]) -> str:
    by_field: dict[str, list[str]] = defaultdict(list)
    for name, hit in found:
        shown = " ".join(hit.text.split())
        if len(shown) > MAX_SHOWN_CHARS:
            shown = shown[: MAX_SHOWN_CHARS - 1] + "…"
        if f"'{shown}'" not in by_field[name]:
            by_field[name].append(f"'{shown}'")
    parts = []
    for name, words in by_field.items():
        where = FIELD_NAMES.get(name, f"attribute {name.removeprefix('attributes.')!r}")
        listed = words[:5] + ([f"{len(words) - 5} more"] if len(words) > 5 else [])
        parts.append(f"{_join(listed)} in {where}")
    kinds = sorted({hit.category for _, hit in found})
    return f"Listing uses counterfeit wording ({', '.join(kinds)}): {'; '.join(parts)}."


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
