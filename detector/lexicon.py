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
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from detector.exceptions import DetectorError
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


class LexiconError(DetectorError, ValueError):
    """A lexicon file is unreadable or invalid; the message names the file, entry and fix."""


# --- folding ----------------------------------------------------------------------------


def is_spaceless(ch: str) -> bool:
    """Scripts written without spaces between words (Han, kana, Hangul, Thai): no boundaries."""
    cp = ord(ch)
    return (
        0x0E00 <= cp <= 0x0E7F
        or 0x1100 <= cp <= 0x11FF
        or 0x3040 <= cp <= 0x30FF
        or 0x3130 <= cp <= 0x318F
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2FFFF
    )


@lru_cache(maxsize=8192)
def is_word_char(ch: str) -> bool:
    """A letter or digit of a spaced script: a term edge made of one needs a word boundary."""
    return ch.isalnum() and not is_spaceless(ch)


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """NFKC + casefold, Latin accents (U+0300..U+036F) dropped, format characters removed."""
    if ch.isspace() or ch == "_" or unicodedata.category(ch) == "Pd":
        return " "
    if unicodedata.category(ch) == "Cf":
        return ""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).casefold())
    return unicodedata.normalize("NFC", "".join(c for c in text if not 0x300 <= ord(c) < 0x370))


@dataclass(frozen=True)
class FoldedView:
    """Folded text plus, per folded character, the index of the original character."""

    original: str
    folded: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering folded [start, end)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def fold_view(text: str) -> FoldedView:
    """Fold ``text`` keeping the map back to it; runs of separators become one space."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_char(ch):
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
            offsets.append(i)
    return FoldedView(text, "".join(chars), tuple(offsets))


def fold_phrase(text: str) -> str:
    """A lexicon phrase as the automaton stores it."""
    return fold_view(text).folded.strip()


def has_word(phrase: str) -> bool:
    """A phrase must hold a letter or digit: punctuation alone would hit everywhere."""
    return any(c.isalnum() for c in fold_phrase(phrase))


# --- YAML models --------------------------------------------------------------------------


class StrictModel(BaseModel):
    """Unknown keys are errors (a typo must not silently disable a rule); values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseSpec(StrictModel):
    """One phrase of a lexicon, with the conditions a hit must meet."""

    term: str = Field(min_length=1, max_length=64)
    lang: tuple[str, ...] = Field(
        min_length=1, description="ISO 639-1 code(s), e.g. en or [es, pt]"
    )
    match: Literal["word", "substring"] = Field(
        default="word", description="word: letter/digit edges need a word boundary"
    )
    unless: tuple[str, ...] = Field(default=(), description="phrases near the hit that drop it")
    only_with: tuple[str, ...] = Field(default=(), description="phrases that must be near the hit")
    window: int = Field(default=20, ge=0, le=200, description="'near': folded chars between")

    @field_validator("lang", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("lang")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha() and code.islower()):
                raise ValueError(f"{code!r} is not a language code; use ISO 639-1 such as en, zh")
        return value

    @field_validator("term", "unless", "only_with")
    @classmethod
    def _foldable(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for phrase in (value,) if isinstance(value, str) else value:
            if not has_word(phrase):
                raise ValueError(f"{phrase!r} has no letter or digit; write a word")
        return value


class TermSpec(PhraseSpec):
    weight: float = Field(gt=0, le=1, description="how strongly the term alone signals intent")


class CategorySpec(StrictModel):
    description: str = Field(min_length=1)
    terms: tuple[TermSpec, ...] = Field(min_length=1)


class CounterfeitFile(StrictModel):
    version: Literal[1]
    negations: tuple[str, ...] = Field(description="words that negate the term right after them")
    negation_fillers: tuple[str, ...] = Field(
        default=(), description="words allowed between a negation and the term ('a', 'any')"
    )
    categories: dict[str, CategorySpec] = Field(min_length=1)

    @field_validator("categories")
    @classmethod
    def _names(cls, value: dict[str, CategorySpec]) -> dict[str, CategorySpec]:
        for name in value:
            if not (name.isascii() and name.replace("_", "").isalpha() and name.islower()):
                raise ValueError(f"category name {name!r} must be lower-case letters and _")
        return value


M = TypeVar("M", bound=BaseModel)


def read_lexicon_file(path: str | Path | None, bundled: str, model: type[M]) -> M:
    """Read and validate a lexicon YAML; ``None`` reads ``config/<bundled>``."""
    if path is None:
        source: Any = resources.files("config").joinpath(bundled)
        name = f"config/{bundled}"
    else:
        source, name = Path(path), str(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(
            f"cannot read lexicon {name}: {exc}; pass the path of a readable YAML file"
        ) from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: a lexicon must be a mapping, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise LexiconError(describe_errors(name, data, exc)) from exc


def describe_errors(name: str, data: Any, error: ValidationError) -> str:
    """One line per problem, naming the entry by its term so the fix is easy to find."""
    lines = [f"{name}: invalid lexicon ({error.error_count()} problem(s)):"]
    for problem in error.errors():
        where: list[str] = []
        node: Any = data
        for part in problem["loc"]:
            node = _child(node, part)
            where.append(f"[{part}]" if isinstance(part, int) else f".{part}")
            if isinstance(node, dict) and isinstance(node.get("term"), str):
                where.append(f" ({node['term']!r})")
        loc = "".join(where).lstrip(".") or "(top level)"
        lines.append(f"  - {loc}: {problem['msg']}")
    return "\n".join(lines)


def _child(node: Any, part: int | str) -> Any:
    """``node[part]`` of the raw YAML when it exists, else None."""
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def check_unique(phrases: Sequence[PhraseSpec], places: Sequence[str], source: str) -> None:
    """Each folded term once per file: a repeat would match twice or shadow the other."""
    seen: dict[str, tuple[str, str]] = {}
    for phrase, place in zip(phrases, places, strict=True):
        key = fold_phrase(phrase.term)
        if key in seen:
            first, where = seen[key]
            raise LexiconError(
                f"{source}: {place}: term {phrase.term!r} is the same as {first!r} in {where}"
                " once folded (case, width, accents and dashes are ignored); keep one entry"
                " and list all its languages in its 'lang'"
            )
        seen[key] = (phrase.term, place)


# --- matching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PhraseHit:
    """A phrase of a ``PhraseMatcher`` found at folded [start, end)."""

    index: int
    start: int
    end: int


class PhraseMatcher:
    """Aho–Corasick over folded phrases, applying each phrase's boundary/unless/only_with."""

    def __init__(self, phrases: Sequence[PhraseSpec], extra: Iterable[str] = ()) -> None:
        self.phrases = tuple(phrases)
        self._keys: list[str] = []
        self._key_ids: dict[str, int] = {}
        self._term_key = [self._key(fold_phrase(p.term)) for p in self.phrases]
        self._unless = [tuple(self._key(fold_phrase(u)) for u in p.unless) for p in self.phrases]
        self._only = [tuple(self._key(fold_phrase(o)) for o in p.only_with) for p in self.phrases]
        self.extra = {text: self._key(fold_phrase(text)) for text in extra}
        self._users: dict[int, list[int]] = defaultdict(list)
        for i, key in enumerate(self._term_key):
            self._users[key].append(i)
        self._automaton = ahocorasick.Automaton()
        for key_id, phrase in enumerate(self._keys):
            self._automaton.add_word(phrase, key_id)
        self._automaton.make_automaton()

    def _key(self, folded: str) -> int:
        if folded not in self._key_ids:
            self._key_ids[folded] = len(self._keys)
            self._keys.append(folded)
        return self._key_ids[folded]

    def occurrences(self, folded: str) -> dict[int, list[tuple[int, int, bool]]]:
        """Key id -> [(start, end, on word boundaries)], in order of end; one linear pass."""
        found: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        for last, key_id in self._automaton.iter(folded):
            start, end = last + 1 - len(self._keys[key_id]), last + 1
            found[key_id].append((start, end, _on_boundaries(folded, start, end)))
        return found

    def find(self, folded: str, found: dict[int, list[tuple[int, int, bool]]]) -> list[PhraseHit]:
        """Phrase hits that pass their own rules, longest first where two overlap."""
        near_ends = {k: [e for _, e, ok in v if ok] for k, v in found.items()}
        near_starts = {k: [s for s, _, ok in v if ok] for k, v in found.items()}
        hits: list[PhraseHit] = []
        for key_id, spans in found.items():
            for i in self._users.get(key_id, ()):
                spec = self.phrases[i]
                # Only phrases present in this text can matter: look them up once per term.
                unless = [(near_starts[k], near_ends[k]) for k in self._unless[i] if k in found]
                only = [(near_starts[k], near_ends[k]) for k in self._only[i] if k in found]
                if self._only[i] and not only:
                    continue
                for start, end, bounded in spans:
                    if not bounded and spec.match == "word":
                        continue
                    lo, hi = start - spec.window, end + spec.window
                    if any(_any_within(s, e, lo, hi) for s, e in unless):
                        continue
                    if only and not any(_any_within(s, e, lo, hi) for s, e in only):
                        continue
                    hits.append(PhraseHit(i, start, end))
        return _non_overlapping(hits, len(folded))


def _on_boundaries(folded: str, start: int, end: int) -> bool:
    if is_word_char(folded[start]) and start > 0 and is_word_char(folded[start - 1]):
        return False
    return not (is_word_char(folded[end - 1]) and end < len(folded) and is_word_char(folded[end]))


def _any_within(starts: list[int], ends: list[int], lo: int, hi: int) -> bool:
    """Some occurrence ends at or after ``lo`` and starts at or before ``hi``.

    One key's occurrences all have the same length, so both lists are sorted alike.
    """
    i = bisect.bisect_left(ends, lo)
    return i < len(starts) and starts[i] <= hi


def _non_overlapping(hits: list[PhraseHit], length: int) -> list[PhraseHit]:
    """Keep the longest of overlapping hits (ties: the earlier phrase), in text order."""
    taken = bytearray(length)
    kept = []
    for h in sorted(hits, key=lambda h: (h.start - h.end, h.index, h.start)):
        if not any(taken[h.start : h.end]):
            taken[h.start : h.end] = b"\x01" * (h.end - h.start)
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


# --- the counterfeit lexicon ------------------------------------------------------------------


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
