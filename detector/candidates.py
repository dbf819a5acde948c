"""Candidate marks for a text without a loop over all marks: Aho–Corasick and a bigram index.

- ``ExactAutomaton``: every registered key in one Aho–Corasick automaton; one linear pass
  over a text reports every occurrence of every key, however many keys there are.
- ``QGramIndex``: keys that may lie within OSA similarity ``cutoff`` of a query. Postings
  are keyed by (bigram, occurrence, key length), so a query touches only keys of the lengths
  it can match and sharing enough bigrams; the survivors are verified with rapidfuzz OSA.

- ``CompactView``: a text's tokens run together, so the automaton sees "N O V A" as "nova";
  a hit counts only when it starts and ends on token bounds.

The count filter is lossless: an OSA edit (insert, delete, substitute, adjacent swap)
changes at most q + 1 of a string's q-grams, so strings within ``k`` edits share at least
``max(n, m) - q + 1 - k * (q + 1)`` q-grams (counted with multiplicity). When that bound is
<= 0 (very short keys or a low cutoff) every key of that length is verified.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import OSA

from detector.normalize import MERGED

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from detector.normalize import FoldedText

Q = 2
MAX_CACHED = 65_536  # answers kept per index; cleared when full (bounded memory)
EPS = 1e-6  # float slack: a larger edit budget only weakens the filter, never loses a key
T = TypeVar("T")


class ExactAutomaton(Generic[T]):
    """Keys -> payloads, found in a text in one Aho–Corasick pass."""

    def __init__(self) -> None:
        self._payloads: dict[str, list[T]] = defaultdict(list)
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, key: str, payload: T) -> None:
        """Register ``payload`` under ``key`` (call ``build`` after the last add)."""
        if key:
            self._payloads[key].append(payload)
            self._automaton = None

    def build(self) -> None:
        """Compile the automaton; later ``find`` calls are linear in the text length."""
        automaton = ahocorasick.Automaton()
        for key, payloads in self._payloads.items():
            automaton.add_word(key, (len(key), tuple(payloads)))
        if self._payloads:
            automaton.make_automaton()
            self._automaton = automaton

    def __len__(self) -> int:
        return len(self._payloads)

    def find(self, text: str) -> Iterator[tuple[int, int, tuple[T, ...]]]:
        """Every occurrence ``(start, end, payloads)`` of every key in ``text``."""
        if self._automaton is None:
            return
        for last, (length, payloads) in self._automaton.iter(text):
            yield last + 1 - length, last + 1, payloads


def max_edits(length: int, cutoff: float) -> int:
    """Most OSA edits a string of ``length`` may differ by and keep similarity >= cutoff."""
    return int(length * (1.0 - cutoff) + EPS)


def _gram_instances(text: str) -> list[tuple[str, int]]:
    """Bigrams numbered by occurrence ('aa' twice -> ('aa', 0), ('aa', 1)): a multiset as a set."""
    seen: Counter[str] = Counter()
    out = []
    for k in range(len(text) - Q + 1):
        g = text[k : k + Q]
        out.append((g, seen[g]))
        seen[g] += 1
    return out


class QGramIndex:
    """Registered keys, searchable by OSA similarity through a bigram count filter."""

    def __init__(self, keys: Iterable[str], cutoff: float, max_shorter: int) -> None:
        """``max_shorter``: how many characters a query may lack compared with a key.

        Only keys that start with the query's first character are candidates: counterfeiters
        keep a mark's first letter (buyers search for it), and "tango" is not MANGO.
        """
        self.cutoff = cutoff
        self.max_shorter = max_shorter
        self._keys: list[str] = []
        self._by_len: dict[tuple[int, str], list[int]] = defaultdict(list)
        self._lengths: set[int] = set()
        self._starts: dict[str, set[int]] = defaultdict(set)  # first character -> key lengths
        self._cache: dict[str, list[tuple[str, float]]] = {}  # windows recur across listings
        self._postings: dict[tuple[str, int, int, str], list[int]] = defaultdict(list)
        self.verified = 0  # OSA computations so far: the work a query really costs
        for key in dict.fromkeys(keys):
            if not key:
                continue
            kid = len(self._keys)
            self._keys.append(key)
            self._by_len[(len(key), key[0])].append(kid)
            self._lengths.add(len(key))
            self._starts[key[0]].add(len(key))
            for gram, occ in _gram_instances(key):
                self._postings[(gram, occ, len(key), key[0])].append(kid)
        self.max_key_len = max(self._lengths, default=0)

    def __len__(self) -> int:
        return len(self._keys)

    def lengths_for(self, n: int, first: str) -> list[int]:
        """Lengths of keys starting with ``first`` that a query of length ``n`` may match
        (a query at most ``max_shorter`` shorter than the key)."""
        lengths = self._starts.get(first)
        if not lengths:
            return []
        spread = max_edits(self.max_key_len, self.cutoff)
        return [
            length
            for length in range(max(1, n - spread), n + self.max_shorter + 1)
            if length in lengths and abs(length - n) <= max_edits(length, self.cutoff)
        ]

    def candidates(self, query: str) -> set[int]:
        """Ids of keys that pass the length and bigram count filters (a superset of matches)."""
        n = len(query)
        if not n:
            return set()
        first = query[0]
        lengths = self.lengths_for(n, first)
        if not lengths:
            return set()
        grams = _gram_instances(query)
        out: set[int] = set()
        for length in lengths:
            longest = max(n, length)
            need = longest - Q + 1 - max_edits(longest, self.cutoff) * (Q + 1)
            if need <= 0:
                out.update(self._by_len.get((length, first), ()))
                continue
            counts: Counter[int] = Counter()
            for gram, occ in grams:
                counts.update(self._postings.get((gram, occ, length, first), ()))
            out.update(kid for kid, c in counts.items() if c >= need)
        return out

    def similar(self, query: str) -> list[tuple[str, float]]:
        """Keys other than ``query`` starting like it with OSA similarity >= cutoff, best first."""
        cached = self._cache.get(query)
        if cached is not None:
            return cached
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        keys = [self._keys[kid] for kid in self.candidates(query)]
        keys = [k for k in keys if k != query]
        self.verified += len(keys)
        found = [
            (key, float(score))
            for key, score, _ in process.extract(
                query, keys, scorer=OSA.normalized_similarity, score_cutoff=self.cutoff, limit=None
            )
        ]
        found.sort(key=lambda ks: (-ks[1], ks[0]))
        self._cache[query] = found
        return found


@dataclass
class MatchWork:
    """Work counters (cumulative): what matching really cost, for bounds tests and benches."""

    windows: int = 0
    fuzzy_queries: int = 0
    exact_hits: int = 0


class CompactView:
    """A field's tokens run together, in the folded and the skeleton view, with token maps."""

    def __init__(self, ft: FoldedText) -> None:
        self.folded, self.f_start, self.f_end = self._join(ft, ft.folded)
        # skeleton: merged letter pairs read as one letter, so its offsets differ from folded
        self.skeleton, self.s_start, self.s_end = self._join(ft, ft.skeleton)
        self.plain = self._join(ft, ft.plain)[0]  # same token offsets as folded

    @staticmethod
    def _join(ft: FoldedText, view: str) -> tuple[str, dict[int, int], dict[int, int]]:
        parts: list[str] = []
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        pos = 0
        for k, t in enumerate(ft.tokens):
            piece = view[t.start : t.end].replace(MERGED, "")
            starts[pos] = k
            pos += len(piece)
            ends[pos] = k
            parts.append(piece)
        return "".join(parts), starts, ends
