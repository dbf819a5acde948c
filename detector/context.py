"""How a listing uses a mark: as the product it fits ("case for X") or resold ("pre-owned X").

Cue phrases live in ``config/lexicons/context.yaml`` and are matched like the counterfeit
lexicon (same folding, boundaries and ``unless``/``only_with`` rules, one Aho–Corasick pass).
A cue counts when it sits on the configured side of the mark, within its group's window, in
the same clause and (for compatibility) with at most a few words between, none of them a
blocker ("case for iPhone with Gucci print" says nothing about Gucci). Counterfeit wording
anywhere in the field wins: "inspired by X" or "1:1 case for X" is no excuse.

This module only reads wording; which Nice classes the goods belong to is
``detector.categories``' job.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import Field, field_validator

from detector.lexicon import FIELD_NAMES, MAX_TEXT_CHARS, CounterfeitLexicon, listing_fields
from detector.lexicon_files import PhraseSpec, StrictModel, check_unique, read_lexicon_file
from detector.phrases import (
    PhraseMatcher,
    fold_phrase,
    fold_view,
    has_word,
    is_spaceless,
    is_word_char,
)
from model import Signal

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from model import Listing

BUNDLED = "lexicons/context.yaml"
# Characters that end a clause; "." only when a space or the end follows ("3.5mm" is one word).
CLAUSE_BREAKS = frozenset("!?;|\n\r\t•●。！？；丨")
MAX_WINDOW = 500  # largest group window the schema allows
MAX_CUE_CHARS = 2_000  # longest original span of a cue (folding collapses runs of spaces)
MAX_EXPLAINED_MATCHES = 50  # more mentions than this is keyword stuffing: no excuse


class MarkUse(StrEnum):
    """Why a mark appears in a listing without the listing being that product."""

    COMPATIBILITY = "compatibility"
    RESALE = "resale"


class CueGroup(StrictModel):
    """Cues of one kind that count on one side of the mark."""

    kind: MarkUse
    position: Literal["before", "after", "around"]
    window: int = Field(
        ge=0, le=MAX_WINDOW, description="most original characters between cue and mark"
    )
    same_clause: bool = True
    max_gap_words: int | None = Field(default=None, ge=0, le=20)
    blockers: tuple[str, ...] = ()
    cues: tuple[PhraseSpec, ...] = Field(min_length=1)

    @field_validator("blockers")
    @classmethod
    def _foldable(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for phrase in value:
            if not has_word(phrase):
                raise ValueError(f"blocker {phrase!r} has no letter or digit; write a word")
        return value


class ContextFile(StrictModel):
    version: Literal[1]
    groups: tuple[CueGroup, ...] = Field(min_length=1)


@dataclass(frozen=True)
class ContextHit:
    """A cue that explains the mark; ``start``/``end`` index the cue in the original text."""

    kind: MarkUse
    term: str
    languages: tuple[str, ...]
    position: str
    cue: str
    start: int
    end: int

    @property
    def detail(self) -> str:
        """A plain sentence a reviewer can check against the listing."""
        return self.describe("the mark")

    def describe(self, mark: str) -> str:
        """The sentence for ``mark`` (how the mark is shown: "the mark" or its text quoted)."""
        where = {"before": "before", "after": "after"}.get(self.position, "near")
        cue = " ".join(self.cue.split())[:60]
        if self.kind is MarkUse.COMPATIBILITY:
            return (
                f"'{cue}' {where} {mark} reads as compatibility wording: the item is sold"
                " to fit or work with the branded product, not as that product."
            )
        return (
            f"'{cue}' {where} {mark} reads as resale wording: a second-hand or private"
            " sale of the branded product."
        )

    def as_evidence(self) -> dict[str, object]:
        return {
            "use": str(self.kind),
            "cue": self.cue[:200],
            "term": self.term,
            "language": "/".join(self.languages),
            "position": self.position,
            "start": self.start,
            "end": self.end,
        }


class ContextLexicon:
    """Compatibility and resale cues, matched in one pass over a field's folded text."""

    def __init__(self, spec: ContextFile, source: str = "<memory>") -> None:
        self.source = source
        self.spec = spec
        cues: list[PhraseSpec] = []
        self._group: list[CueGroup] = []
        places: list[str] = []
        for n, group in enumerate(spec.groups):
            cues.extend(group.cues)
            self._group.extend([group] * len(group.cues))
            places.extend([f"groups[{n}] ({group.kind}, {group.position})"] * len(group.cues))
        check_unique(cues, places, source)
        self._matcher = PhraseMatcher(cues)

    @classmethod
    def load(cls, path: str | Path) -> ContextLexicon:
        """Read and validate a context file; errors name the file, the entry and the fix."""
        return cls(read_lexicon_file(path, BUNDLED, ContextFile), str(path))

    @classmethod
    def bundled(cls) -> ContextLexicon:
        """The cues shipped in ``config/lexicons/context.yaml``, loaded once."""
        return _bundled_context()

    def scan(self, text: str, max_chars: int = MAX_TEXT_CHARS) -> FieldCues:
        """Find every cue of one field once; ask ``FieldCues.for_mark`` about each mark."""
        text = text[:max_chars]
        view = fold_view(text)
        cues = []
        for h in self._matcher.find(view.folded, self._matcher.occurrences(view.folded)):
            start, end = view.original_span(h.start, h.end)
            cues.append(_Cue(self._group[h.index], self._matcher.phrases[h.index], start, end))
        return FieldCues(text, tuple(cues))

    def cues_for(self, text: str, start: int, end: int) -> list[ContextHit]:
        """Every cue that explains the mark at original [start, end), nearest first."""
        return self.scan(text).for_mark(start, end)


@dataclass(frozen=True)
class _Cue:
    group: CueGroup
    spec: PhraseSpec
    start: int
    end: int


@dataclass(frozen=True)
class FieldCues:
    """The cues of one field in text order (found once, asked about many marks)."""

    text: str
    cues: tuple[_Cue, ...]

    def for_mark(self, start: int, end: int) -> list[ContextHit]:
        """Cues that explain the mark at original [start, end): compatibility, then nearest."""
        # Only cues that can be within a window of the mark: bounded work per mark.
        lo = bisect.bisect_left(self.cues, start - MAX_WINDOW - MAX_CUE_CHARS, key=_start)
        hi = bisect.bisect_right(self.cues, end + MAX_WINDOW, key=_start)
        ranked: list[tuple[int, int, ContextHit]] = []
        for cue in self.cues[lo:hi]:
            placed = _placement(cue.group, cue.start, cue.end, start, end)
            if placed is None or not _gap_ok(cue.group, self.text[placed[1][0] : placed[1][1]]):
                continue
            side, (gap_start, gap_end) = placed
            hit = ContextHit(
                kind=cue.group.kind,
                term=cue.spec.term,
                languages=cue.spec.lang,
                position=side,
                cue=self.text[cue.start : cue.end],
                start=cue.start,
                end=cue.end,
            )
            rank = 0 if cue.group.kind is MarkUse.COMPATIBILITY else 1
            ranked.append((rank, gap_end - gap_start, hit))
        ranked.sort(key=lambda r: (r[0], r[1], r[2].start))
        return [hit for _, _, hit in ranked]


def _start(cue: _Cue) -> int:
    return cue.start


@lru_cache(maxsize=1)
def _bundled_context() -> ContextLexicon:
    return ContextLexicon(read_lexicon_file(None, BUNDLED, ContextFile), f"config/{BUNDLED}")


def mark_context(
    text: str,
    start: int,
    end: int,
    *,
    context: ContextLexicon | None = None,
    counterfeit: CounterfeitLexicon | None = None,
    max_chars: int = MAX_TEXT_CHARS,
) -> ContextHit | None:
    """The wording that explains the mark at original [start, end) of one field, if any.

    Compatibility beats resale, a nearer cue beats a farther one, and any counterfeit
    wording in the field (``counterfeit``, the bundled lexicon by default) means None.
    """
    text = text[:max_chars]
    if not 0 <= start < end <= len(text):
        return None
    counterfeit = counterfeit or CounterfeitLexicon.bundled()
    if counterfeit.find(text):
        return None
    cues = (context or ContextLexicon.bundled()).scan(text).for_mark(start, end)
    return cues[0] if cues else None


class MarkSpan(Protocol):
    """Where a mark was found: a listing field and the original [start, end) in it."""

    @property
    def field(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


def mark_context_signal(
    listing: Listing,
    matches: Sequence[MarkSpan],
    *,
    context: ContextLexicon | None = None,
    counterfeit: CounterfeitLexicon | None = None,
    max_chars: int = MAX_TEXT_CHARS,
) -> Signal | None:
    """A score-0 ``mark_context`` signal when wording explains *every* match of one mark.

    One unexplained mention ("Case for iPhone. Genuine Apple iPhone 15") is a brand claim,
    so it cancels the excuse; so do counterfeit wording in a field and keyword stuffing
    (more than ``MAX_EXPLAINED_MATCHES`` mentions). The use is compatibility only when every
    match reads so, else resale (the milder excuse; see detector/scoring.py).
    """
    if not matches or len(matches) > MAX_EXPLAINED_MATCHES:
        return None
    context = context or ContextLexicon.bundled()
    counterfeit = counterfeit or CounterfeitLexicon.bundled()
    if any(counterfeit.find(text) for _, text in listing_fields(listing)):
        return None  # counterfeit wording anywhere wins over any excuse
    texts = {"title": listing.title, "description": listing.description, "brand": listing.brand}
    scanned: dict[str, FieldCues] = {}
    found: list[tuple[MarkSpan, ContextHit]] = []
    for m in matches:
        if m.field not in scanned:
            scanned[m.field] = context.scan((texts.get(m.field) or "")[:max_chars])
        explained = scanned[m.field].for_mark(m.start, m.end)
        if not explained:
            return None
        found.append((m, explained[0]))
    uses = {hit.kind for _, hit in found}
    use = MarkUse.COMPATIBILITY if uses == {MarkUse.COMPATIBILITY} else MarkUse.RESALE
    m, hit = next((m, h) for m, h in found if h.kind is use)
    where = FIELD_NAMES.get(m.field, m.field)
    quoted = "'" + " ".join(m.text.split())[:60] + "'"
    others = len(found) - 1
    more = f" The other {others} mention(s) read the same way." if others else ""
    return Signal(
        kind="mark_context",
        score=0.0,
        detail=f"In {where}, {hit.describe(quoted)}{more}",
        evidence={
            "use": str(use),
            "contexts": [
                {"field": m.field, "mark_start": m.start, "mark_end": m.end, **h.as_evidence()}
                for m, h in found
            ],
        },
    )


def _placement(
    group: CueGroup, c_start: int, c_end: int, start: int, end: int
) -> tuple[str, tuple[int, int]] | None:
    """Which side of the mark the cue is on and the original gap between them, if it counts."""
    if c_end <= start and group.position in ("before", "around"):
        side, gap = "before", (c_end, start)
    elif c_start >= end and group.position in ("after", "around"):
        side, gap = "after", (end, c_start)
    else:
        return None  # wrong side, or the cue overlaps the mark
    if gap[1] - gap[0] > group.window:
        return None
    return side, gap


def _gap_ok(group: CueGroup, gap: str) -> bool:
    """Same clause, few enough words, and no blocker between the cue and the mark."""
    if group.same_clause and _breaks_clause(gap):
        return False
    if group.max_gap_words is None and not group.blockers:
        return True
    folded = fold_view(gap).folded
    if group.max_gap_words is not None and _word_count(folded) > group.max_gap_words:
        return False
    return not any(_contains(folded, fold_phrase(b)) for b in group.blockers)


def _breaks_clause(gap: str) -> bool:
    for i, ch in enumerate(gap):
        if ch in CLAUSE_BREAKS:
            return True
        if ch == "." and (i + 1 == len(gap) or gap[i + 1].isspace()):
            return True
    return False


def _word_count(folded: str) -> int:
    """Spaced-script words count one each; spaceless characters (Chinese) one per two."""
    words = spaceless = 0
    in_word = False
    for ch in folded:
        if is_spaceless(ch):
            spaceless += 1
            in_word = False
        elif is_word_char(ch):
            words += 0 if in_word else 1
            in_word = True
        else:
            in_word = False
    return words + math.ceil(spaceless / 2)


def _contains(folded: str, phrase: str) -> bool:
    """``phrase`` in ``folded`` on word boundaries (spaceless edges need none)."""
    i = folded.find(phrase)
    while i >= 0:
        j = i + len(phrase)
        before_ok = not (is_word_char(phrase[0]) and i > 0 and is_word_char(folded[i - 1]))
        after_ok = not (is_word_char(phrase[-1]) and j < len(folded) and is_word_char(folded[j]))
        if before_ok and after_ok:
            return True
        i = folded.find(phrase, i + 1)
    return False
