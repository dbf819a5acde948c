"""Letters or digits fused to a registered mark: "Quvaro7", "QuvaroX", "XQuvaro".

A seller who glues a character to a brand keeps the brand readable for buyers while a plain
search for it misses the listing. Camel case or a letter/digit change makes the glued piece
a *soft* token ("Quvaro" + "7"); a lower-case prefix stays inside one token ("xquvaro").
Both read as the mark with a short piece fused on; longer pieces are compounds ("QuvaroPro"
names a product line) and stay an ordinary mention.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from detector.disguise import KIND_ORDER, Disguise, describe
from detector.normalize import FoldedText, Token, fold_text

if TYPE_CHECKING:
    from collections.abc import Iterator

MAX_FUSED = 2  # characters glued on: more is a compound word, not a disguise
MIN_CORE = 4  # a prefix/suffix cut inside one token needs this much mark left
PLURAL_ENDINGS = frozenset({"s", "es"})


def fused_neighbours(ft: FoldedText, i: int, j: int, digits_only: bool) -> tuple[int, int] | None:
    """Tokens ``i..j`` widened by short soft tokens glued before or after, or None.

    The glued piece may change between letters and digits ("Quvaro9x", "a0Quvaro") but must
    end the word and stay within ``MAX_FUSED`` characters: "Quvaro7s" yes, "Quvaro7sx" no.
    """
    toks = ft.tokens
    span = None
    if toks[i].hard:
        last = j
        while span is None and last + 1 < len(toks) and not toks[last + 1].hard:
            last += 1
            if ft.token_after_is_hard(last):
                span = (i, last)
    if span is None and ft.token_after_is_hard(j):
        first = i
        while span is None and first > 0 and not toks[first].hard:
            first -= 1
            if toks[first].hard:
                span = (first, j)
    if span is None:
        return None
    a, b = (j + 1, span[1]) if span[0] == i else (span[0], i - 1)
    piece = ft.folded[toks[a].start : toks[b].end]
    if (
        len(piece) > MAX_FUSED
        or any(t.cjk or t.gap for t in toks[a : b + 1])
        or (digits_only and not piece.isdigit())
    ):
        return None
    return span


@dataclass(frozen=True)
class GluedCut:
    """A word read as a mark (``core``, in the plain skeleton) with ``piece`` glued on."""

    core: str
    core_folded: str  # the same span folded, as short marks are matched
    core_text: FoldedText  # the core as written, folded, for describing its own disguises
    piece: str


def word_spans(ft: FoldedText) -> Iterator[tuple[int, int, Token]]:
    """Each word of Latin tokens (a hard token and the soft ones glued to it) as one token."""
    toks = ft.tokens
    k = 0
    while k < len(toks):
        last = k
        while last + 1 < len(toks) and not toks[last + 1].hard:
            last += 1
        group = toks[k : last + 1]
        if not any(t.cjk or (t is not toks[k] and t.gap) for t in group):
            yield k, last, Token(toks[k].start, toks[last].end, toks[k].gap, True, False)
        k = last + 1


def glued_cuts(ft: FoldedText, token: Token, mixed: bool = False) -> list[GluedCut]:
    """The word of ``token`` without its first or last one or two characters.

    The cut piece is letters, or (``mixed``: the word changes between letters and digits) a
    letter and a digit together ("3W" of "3WQuvaro"). A plural ending is no glued letter
    ("Quvaros" reads as a misspelling, if anything).
    """
    word = ft.plain[token.start : token.end]
    out = []
    for cut in range(1, MAX_FUSED + 1):
        if len(word) - cut < MIN_CORE:
            break
        for a, b, p, q in (
            (token.start + cut, token.end, token.start, token.start + cut),
            (token.start, token.end - cut, token.end - cut, token.end),
        ):
            glued = ft.folded[p:q]
            if not (glued.isalpha() or (mixed and glued.isalnum() and not glued.isdigit())):
                continue
            if p > token.start and glued in PLURAL_ENDINGS:
                continue
            start, end = ft.original_span(a, b)
            piece_start, piece_end = ft.original_span(p, q)
            out.append(
                GluedCut(
                    core=ft.plain[a:b],
                    core_folded=ft.folded[a:b],
                    core_text=fold_text(ft.original[start:end]),
                    piece=ft.original[piece_start:piece_end],
                )
            )
    return out


def fused_disguise(
    ft: FoldedText,
    core: tuple[int, int],
    span: tuple[int, int],
    form: FoldedText,
    merged: tuple[bool, bool] = (True, True),
) -> Disguise:
    """How tokens ``span`` write ``form``: the core's own disguises plus the glued piece."""
    inner = describe(ft, core[0], core[1], form, merged)
    glued = (core[1] + 1, span[1]) if span[0] == core[0] else (span[0], core[0] - 1)
    return _with_piece(inner, _piece_text(ft, *glued))


def cut_disguise(inner: Disguise, piece: str) -> Disguise:
    """A one-token disguise: the mark's disguises plus the piece cut from the token."""
    return _with_piece(inner, piece)


def fused_score(text: str, mark: str) -> float:
    """OSA similarity of the glued word and the mark: a short piece costs what it adds."""
    return float(OSA.normalized_similarity(text, mark))


def _piece_text(ft: FoldedText, first: int, last: int) -> str:
    start, end = ft.original_span(ft.tokens[first].start, ft.tokens[last].end)
    return ft.original[start:end]


def _with_piece(inner: Disguise, piece: str) -> Disguise:
    what = "digits" if piece.isdigit() else "letters" if piece.isalpha() else "characters"
    if len(piece) == 1:
        what = what[:-1]
    kinds = tuple(k for k in KIND_ORDER if k == "fused" or k in inner.kinds)
    reasons = (*inner.reasons, f"{what} '{piece}' fused to the mark")
    return Disguise(kinds, tuple(dict.fromkeys(reasons)))
