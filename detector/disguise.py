"""Explain how a matched span differs from the registered mark, in words a reviewer reads.

The span and the mark are aligned on their skeletons with an optimal-string-alignment
backtrace (edits and adjacent swaps); each difference becomes one category (``homoglyph``,
``digits``, ``symbols``, ``accents``, ``misspelling``, ``spacing``, ``invisible``) and one
phrase ("digit 0 for O").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from detector.normalize import (
    INNER_SYMBOLS,
    MERGED,
    FoldedText,
    Token,
    fold_char,
    is_invisible,
    lite,
    lite_char,
    strip_accents,
)

# Most telling first: the first category present names the match kind.
KIND_ORDER = ("misspelling", "homoglyph", "digits", "symbols", "accents", "spacing", "invisible")


@dataclass(frozen=True)
class Disguise:
    """The categories of difference found and one plain phrase per difference."""

    kinds: tuple[str, ...]
    reasons: tuple[str, ...]


def describe(ft: FoldedText, first: int, last: int, form: FoldedText) -> Disguise:
    """Compare tokens ``first..last`` of ``ft`` with the whole registered ``form``."""
    span_idx = [k for t in ft.tokens[first : last + 1] for k in _read(ft, t)]
    form_idx = [k for t in form.tokens for k in _read(form, t)]
    a = "".join(ft.skeleton[k] for k in span_idx)
    b = "".join(form.skeleton[k] for k in form_idx)
    found: list[tuple[str, str]] = []
    for op, i, j in align(a, b):
        oc = ft.source_text(span_idx[i]) if i >= 0 else ""
        mc = form.source_text(form_idx[j]) if j >= 0 else ""
        if op == "equal":
            if lite(oc) != lite(mc):
                found.append(_lookalike(oc, mc))
        elif op == "sub":
            found.append(("misspelling", f"'{oc}' for '{mc}'"))
        elif op == "swap":
            nxt = ft.source_text(span_idx[i + 1])
            found.append(("misspelling", f"letters '{oc}{nxt}' swapped"))
        elif op == "ins":
            doubled = (i > 0 and a[i - 1] == a[i]) or (i + 1 < len(a) and a[i + 1] == a[i])
            found.append(("misspelling", f"{'doubled' if doubled else 'extra'} letter '{oc}'"))
        else:
            found.append(("misspelling", f"missing letter '{mc}'"))
    found.extend(_separators(ft, first, last, form))
    kinds = tuple(k for k in KIND_ORDER if any(f[0] == k for f in found))
    reasons = tuple(dict.fromkeys(f[1] for f in found))
    return Disguise(kinds, reasons)


def _read(ft: FoldedText, t: Token) -> list[int]:
    """Skeleton positions of token ``t`` as read: the filler of a merged pair is skipped."""
    return [k for k in range(t.start, t.end) if ft.skeleton[k] != MERGED]


def _lookalike(oc: str, mc: str) -> tuple[str, str]:
    """Name the trick behind a character that reads like the mark's character."""
    if len(oc) > 1 or len(mc) > 1:  # a letter pair such as 'rn' reading as 'm'
        return "homoglyph", f"'{oc}' for '{lite(mc)}'"
    shown = unicodedata.normalize("NFKC", oc)
    if shown.isdigit():
        return "digits", f"digit {shown} for {mc}"
    if shown in INNER_SYMBOLS:
        return "symbols", f"symbol {shown} for {mc}"
    if strip_accents(lite_char(oc)) == lite_char(mc) or (
        fold_char(oc) == fold_char(mc) and unicodedata.name(oc, "").startswith("LATIN")
    ):
        return "accents", f"accented {oc} for {mc}"
    script = unicodedata.name(oc, "").split(" ")[0]
    if script in {"CYRILLIC", "GREEK"}:
        return "homoglyph", f"{script.title()} {oc} (U+{ord(oc):04X}) for {mc}"
    if {fold_char(oc), fold_char(mc)} == {"i", "l"}:
        imitated = "l" if fold_char(oc) == "i" else "I"
        case = "capital" if oc.isupper() else "lower-case"
        return "homoglyph", f"{case} {oc} for {imitated}"
    return "homoglyph", f"{oc} for {mc}"


def _separators(ft: FoldedText, first: int, last: int, form: FoldedText) -> list[tuple[str, str]]:
    """Separators or invisible characters inside the span that the registered mark lacks."""
    out: list[tuple[str, str]] = []
    form_gaps = sum(1 for t in form.tokens[1:] if t.gap > 0)
    seps = []
    for k in range(first + 1, last + 1):
        if ft.tokens[k].gap > 0:
            _, prev_end = ft.original_span(ft.tokens[k - 1].start, ft.tokens[k - 1].end)
            start, _ = ft.original_span(ft.tokens[k].start, ft.tokens[k].end)
            seps.append(ft.original[prev_end:start])
    if len(seps) > form_gaps:
        shown = sorted({s.strip() or " " for s in seps})
        if shown == [" "]:
            out.append(("spacing", "spaces inside the mark"))
        else:
            listed = " ".join(repr(s) for s in shown)
            out.append(("spacing", f"separators {listed} inside the mark"))
    start, _ = ft.original_span(ft.tokens[first].start, ft.tokens[first].end)
    _, end = ft.original_span(ft.tokens[last].start, ft.tokens[last].end)
    hidden = sorted({f"U+{ord(c):04X}" for c in ft.original[start:end] if is_invisible(c)})
    if hidden:
        out.append(("invisible", f"invisible characters ({', '.join(hidden)}) inside the mark"))
    return out


def align(a: str, b: str) -> list[tuple[str, int, int]]:
    """Optimal string alignment of ``a`` to ``b`` as (op, index in a, index in b) steps.

    ``ins`` is a character only in ``a`` (j = -1), ``del`` one only in ``b`` (i = -1),
    ``swap`` two adjacent characters exchanged (indexes of the first of each pair).
    """
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    steps: list[tuple[str, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and a[i - 1] == b[j - 1] and d[i][j] == d[i - 1][j - 1]:
            steps.append(("equal", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif (
            i > 1
            and j > 1
            and a[i - 1] == b[j - 2]
            and a[i - 2] == b[j - 1]
            and d[i][j] == d[i - 2][j - 2] + 1
        ):
            steps.append(("swap", i - 2, j - 2))
            i, j = i - 2, j - 2
        elif i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + 1:
            steps.append(("sub", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            steps.append(("ins", i - 1, -1))
            i -= 1
        else:
            steps.append(("del", -1, j - 1))
            j -= 1
    steps.reverse()
    return steps
