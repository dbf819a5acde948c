"""Word-mark matcher: finds registered marks, exact or disguised, in a listing's text.

Forms (asset name + keywords) are folded once into two indexes: exact-only forms (short or
CJK marks, matched on the folded form) and fuzzy forms (matched on the skeleton, then by
OSA similarity over token windows of about the mark's length). Each window is a run of
whole tokens, so "N O V A F L E X", "Nova-Flex" and "N0vafIex" all become "novaflex".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from detector.disguise import describe
from detector.generic_words import GENERIC_WORDS
from detector.model import AssetKind, Signal
from detector.normalize import MERGED, FoldedText, fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.model import Asset, Listing
    from detector.settings import DetectionSettings

MARK_KINDS = frozenset({AssetKind.WORD_MARK, AssetKind.FIGURATIVE_MARK})
FIELD_NAMES = {"title": "Title", "description": "Description", "brand": "Brand field"}
MAX_EVIDENCE_MATCHES = 5
MAX_DROPPED = 1  # letters a fuzzy window may lack compared with the mark
MAX_FUZZY_PIECES = 3  # bounds fuzzy work on hostile text such as "a b c d e f ..."


@dataclass(frozen=True)
class MarkForm:
    """One registered spelling of a mark, folded for lookup."""

    asset_id: str
    text: str
    source: FoldedText
    folded: str
    skeleton: str
    exact_only: bool
    needs_boundaries: bool
    gaps: int


@dataclass(frozen=True)
class MarkMatch:
    """A span of one listing field that matches a mark form."""

    asset_id: str
    form: str
    field: str
    start: int
    end: int
    text: str
    score: float
    kinds: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def disguised(self) -> bool:
        """Any difference beyond case and character width counts as a disguise."""
        return bool(self.kinds)

    @property
    def kind(self) -> str:
        """``exact`` or the most telling disguise category."""
        return self.kinds[0] if self.kinds else "exact"

    def as_evidence(self) -> dict[str, Any]:
        """Plain JSON-able evidence: the original span and what it matched."""
        return {
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "form": self.form,
            "match_kind": self.kind,
            "disguised": self.disguised,
            "disguises": list(self.kinds),
            "reasons": list(self.reasons),
            "similarity": round(self.score, 4),
        }


def _compact(ft: FoldedText, view: str) -> str:
    """The tokens of ``view`` run together, merged letter pairs read as one letter."""
    return "".join(view[t.start : t.end] for t in ft.tokens).replace(MERGED, "")


class MarkIndex:
    """Folded mark forms of all word/figurative-mark assets, built once."""

    def __init__(self, assets: Sequence[Asset], settings: DetectionSettings) -> None:
        self._settings = settings
        self._by_fold: dict[str, list[MarkForm]] = defaultdict(list)
        self._by_skel: dict[str, list[MarkForm]] = defaultdict(list)
        self._by_len: dict[int, list[str]] = defaultdict(list)
        self._negative: dict[str, tuple[str, ...]] = {}
        self._max_len = 0
        for asset in assets:
            if asset.kind in MARK_KINDS:
                self._add_asset(asset)

    def _add_asset(self, asset: Asset) -> None:
        seen: set[str] = set()
        # A logo's name describes the picture ("NOVAFLEX logo"); its word element, if it has
        # one, is registered as keywords.
        texts = (
            (asset.name, *asset.keywords) if asset.kind is AssetKind.WORD_MARK else asset.keywords
        )
        for text in texts:
            ft = fold_text(text)
            folded = _compact(ft, ft.folded)
            if not folded or folded in seen:
                continue
            seen.add(folded)
            cjk = any(t.cjk for t in ft.tokens)
            short = len(folded) <= self._settings.short_mark_length
            form = MarkForm(
                asset_id=asset.id,
                text=text,
                source=ft,
                folded=folded,
                skeleton=_compact(ft, ft.skeleton),
                exact_only=cjk or short,
                needs_boundaries=short and not cjk,
                gaps=sum(1 for t in ft.tokens[1:] if t.gap > 0),
            )
            self._max_len = max(self._max_len, len(folded) + self._max_edits(len(folded)))
            if form.exact_only:
                self._by_fold[form.folded].append(form)
            else:
                if form.skeleton not in self._by_skel:
                    self._by_len[len(form.skeleton)].append(form.skeleton)
                self._by_skel[form.skeleton].append(form)
        negatives = (_token_string(fold_text(k)) for k in asset.negative_keywords)
        self._negative[asset.id] = tuple(n for n in negatives if n.strip())

    def _max_edits(self, length: int) -> int:
        return int(length * (1.0 - self._settings.fuzzy_min_similarity) + 1e-9)

    def match(self, listing: Listing) -> dict[str, list[MarkMatch]]:
        """Best non-overlapping matches per asset id, across title, description and brand."""
        out: dict[str, list[MarkMatch]] = defaultdict(list)
        fields = (
            ("title", listing.title),
            ("description", listing.description),
            ("brand", listing.brand or ""),
        )
        for name, text in fields:
            if not text or not self._max_len:
                continue
            ft = fold_text(text[: self._settings.max_text_chars])
            hits = self._field_hits(name, ft)
            present = _token_string(ft)
            for asset_id, asset_hits in hits.items():
                if any(n in present for n in self._negative.get(asset_id, ())):
                    continue  # a negative keyword in the same field explains the mark away
                out[asset_id].extend(_non_overlapping(asset_hits))
        return dict(out)

    def _field_hits(self, field: str, ft: FoldedText) -> dict[str, list[MarkMatch]]:
        hits: dict[tuple[str, str, int, int], MarkMatch] = {}
        fuzzy_cache: dict[str, list[tuple[str, float]]] = {}
        toks = ft.tokens
        for i in range(len(toks)):
            folded = skeleton = ""
            pieces = 0  # parts of the window split by real separators
            cjk = False
            for j in range(i, len(toks)):
                t = toks[j]
                if j > i and t.gap > self._settings.max_window_gap:
                    break
                folded += ft.folded[t.start : t.end]
                skeleton += ft.skeleton_text(t.start, t.end)
                if len(skeleton) > self._max_len:
                    break  # skeleton <= folded, so no exact or fuzzy form can match further
                pieces += j == i or t.gap > 0
                cjk = cjk or t.cjk
                for form in self._by_fold.get(folded, ()):
                    if form.needs_boundaries and not _exact_word(ft, i, j, form):
                        continue
                    self._add(hits, field, ft, i, j, form, 1.0)
                if cjk:
                    continue  # CJK marks match exactly only; edit distance means little there
                for form in self._by_skel.get(skeleton, ()):
                    self._add(hits, field, ft, i, j, form, 1.0)
                if pieces > MAX_FUZZY_PIECES:
                    continue  # a mark spelt out letter by letter must match its skeleton exactly
                if skeleton not in fuzzy_cache:
                    fuzzy_cache[skeleton] = self._fuzzy(skeleton)
                if fuzzy_cache[skeleton] and not _all_generic(ft, toks[i : j + 1]):
                    for key, score in fuzzy_cache[skeleton]:
                        for form in self._by_skel[key]:
                            self._add(hits, field, ft, i, j, form, score)
        grouped: dict[str, list[MarkMatch]] = defaultdict(list)
        for m in hits.values():
            grouped[m.asset_id].append(m)
        return grouped

    def _fuzzy(self, skeleton: str) -> list[tuple[str, float]]:
        """Registered skeletons within the edit budget of ``skeleton`` (exact ones excluded)."""
        n = len(skeleton)
        found: list[tuple[str, float]] = []
        cutoff = self._settings.fuzzy_min_similarity
        spread = self._max_edits(self._max_len)
        # Windows may be longer than the mark (doubled/extra letters keep it readable) but at
        # most MAX_DROPPED shorter: "Veltra" or "Verano" are words, not VELTRANO disguised.
        for length in range(max(1, n - spread), n + MAX_DROPPED + 1):
            keys = self._by_len.get(length)
            if not keys or abs(length - n) > self._max_edits(length):
                continue
            for key, score, _ in process.extract(
                skeleton, keys, scorer=OSA.normalized_similarity, score_cutoff=cutoff, limit=None
            ):
                if key != skeleton:
                    found.append((key, float(score)))
        return found

    @staticmethod
    def _add(
        hits: dict[tuple[str, str, int, int], MarkMatch],
        field: str,
        ft: FoldedText,
        i: int,
        j: int,
        form: MarkForm,
        score: float,
    ) -> None:
        start, end = ft.original_span(ft.tokens[i].start, ft.tokens[j].end)
        key = (form.asset_id, form.folded, start, end)
        if key in hits:
            return
        disguise = describe(ft, i, j, form.source)
        hits[key] = MarkMatch(
            asset_id=form.asset_id,
            form=form.text,
            field=field,
            start=start,
            end=end,
            text=ft.original[start:end],
            score=score,
            kinds=disguise.kinds,
            reasons=disguise.reasons,
        )


def _token_string(ft: FoldedText) -> str:
    """Space-joined folded tokens with spaces around, for whole-word phrase lookup."""
    return " " + " ".join(ft.folded[t.start : t.end] for t in ft.tokens) + " "


def _exact_word(ft: FoldedText, i: int, j: int, form: MarkForm) -> bool:
    """Short marks: whole words only, with no separators the registered mark lacks."""
    gaps = sum(1 for t in ft.tokens[i + 1 : j + 1] if t.gap > 0)
    return ft.tokens[i].hard and ft.token_after_is_hard(j) and gaps <= form.gaps


def _all_generic(ft: FoldedText, window: Sequence[Any]) -> bool:
    """A window made only of everyday words is language, not a misspelt mark."""
    return all(ft.folded[t.start : t.end] in GENERIC_WORDS for t in window)


def _non_overlapping(matches: list[MarkMatch]) -> list[MarkMatch]:
    """Keep the best match of each overlapping group: highest score, then fewest edits."""
    kept: list[MarkMatch] = []
    for m in sorted(matches, key=lambda m: (-m.score, m.end - m.start, m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def word_mark_signal(
    asset: Asset, matches: Sequence[MarkMatch], settings: DetectionSettings
) -> Signal:
    """One signal per asset: the most telling match, with up to five matches as evidence."""

    def weight(m: MarkMatch) -> float:
        w = settings.weight_word_mark_disguised if m.disguised else settings.weight_word_mark_exact
        return w * m.score

    ranked = sorted(matches, key=lambda m: (-weight(m), m.field, m.start))
    best = ranked[0]
    evidence = best.as_evidence()
    evidence["matches"] = [m.as_evidence() for m in ranked[:MAX_EVIDENCE_MATCHES]]
    detail = _detail(asset, best)
    return Signal(kind="word_mark", score=best.score, detail=detail, evidence=evidence)


def _detail(asset: Asset, m: MarkMatch) -> str:
    where = FIELD_NAMES.get(m.field, m.field)
    kind = "figurative mark" if asset.kind is AssetKind.FIGURATIVE_MARK else "word mark"
    mark = asset.name.upper() if asset.name.isascii() else asset.name
    reg = f" ({asset.registration_number})" if asset.registration_number else ""
    if not m.disguised:
        return f"{where} contains the registered {kind} {mark}{reg} as '{m.text}'."
    return (
        f"{where} contains '{m.text}', a disguised form of the registered {kind} {mark}{reg}:"
        f" {', '.join(m.reasons)}."
    )
