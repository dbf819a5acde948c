"""Token-span helpers of the word-mark matcher: word bounds, compact views, overlaps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detector.disguise import Disguise, describe
from detector.generic_words import is_everyday, names
from detector.known_brands import KNOWN_BRANDS
from detector.mark_match import MarkMatch
from detector.normalize import MERGED

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from detector.mark_match import MarkForm
    from detector.normalize import FoldedText


def best_per_span(hits: Iterable[MarkMatch]) -> list[MarkMatch]:
    """Where marks of several assets read the same span, keep the closest reading.

    "ZELTRAX" is the registered ZELTRAX, not a misspelt ZELTRIX of another owner; only
    equally close readings are all kept.
    """
    found = list(hits)
    return [
        m
        for m in found
        if not any(
            o.asset_id != m.asset_id
            and o.field == m.field
            and o.start < m.end
            and m.start < o.end
            and o.score > m.score
            for o in found
        )
    ]


def a_name(folded: str, other_brands: frozenset[str] = frozenset()) -> bool:
    """Another brand ("Samsung", or one of ``other_brands``, folded and compacted like
    ``KNOWN_BRANDS``) or a name ("Lenora"): someone else's, not a disguise."""
    return folded in KNOWN_BRANDS or folded in other_brands or folded in names()


def compact(ft: FoldedText, view: str) -> str:
    """The tokens of ``view`` run together, merged letter pairs read as one letter."""
    return "".join(view[t.start : t.end] for t in ft.tokens).replace(MERGED, "")


def token_string(ft: FoldedText) -> str:
    """Space-joined folded tokens with spaces around, for whole-word phrase lookup."""
    return " " + " ".join(ft.folded[t.start : t.end] for t in ft.tokens) + " "


def whole_word(ft: FoldedText, i: int, j: int) -> bool:
    """Tokens ``i..j`` start and end at real word boundaries."""
    return ft.tokens[i].hard and ft.token_after_is_hard(j)


def whole_word_or_fused(ft: FoldedText, i: int, j: int) -> bool:
    """Tokens ``i..j`` end a word on one side at least (a glued piece may take the other)."""
    return ft.tokens[i].hard or ft.token_after_is_hard(j)


def exact_word(ft: FoldedText, i: int, j: int, form: MarkForm) -> bool:
    """Short marks: whole words only, with no separators the registered mark lacks."""
    gaps = sum(1 for t in ft.tokens[i + 1 : j + 1] if t.gap > 0)
    return whole_word(ft, i, j) and gaps <= form.gaps


def all_generic(ft: FoldedText, window: Sequence[Any]) -> bool:
    """A window made only of everyday words is language, not a misspelt mark."""
    return all(is_everyday(ft.folded[t.start : t.end]) for t in window)


def add_hit(
    hits: dict[tuple[str, str, int, int], MarkMatch],
    field: str,
    ft: FoldedText,
    i: int,
    j: int,
    form: MarkForm,
    score: float,
    disguise: Disguise | None = None,
    merged: tuple[bool, bool] = (True, True),
) -> None:
    start, end = ft.original_span(ft.tokens[i].start, ft.tokens[j].end)
    key = (form.asset_id, form.folded, start, end)
    if key in hits:
        return
    if disguise is None:
        disguise = describe(ft, i, j, form.source, merged)
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
