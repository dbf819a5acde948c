"""Explain how a matched span differs from the registered mark, in words a reviewer reads.

The span and the mark are aligned on their skeletons with an optimal-string-alignment
backtrace (edits and adjacent swaps); each difference becomes one category (``homoglyph``,
``traditional``, ``digits``, ``symbols``, ``accents``, ``fullwidth``, ``mixed_scripts``,
``misspelling``, ``spacing``, ``invisible``) and one phrase ("digit 0 for O"). Chinese marks
found through their sound are explained as ``pinyin`` or ``homophone``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from detector.cjk import is_han, simplify_char
from detector.confusables import char_name, scripts_of
from detector.normalize import (
    INNER_SYMBOLS,
    LATIN_EXTRA,
    MERGED,
    FoldedText,
    fold_char,
    fold_text,
    is_invisible,
    lite,
    lite_char,
    strip_accents,
)

SHORT_MARK_PAIRS = frozenset({"rn", "vv"})

# Most telling first: the first category present names the match kind.
KIND_ORDER = (
    "misspelling",
    "fused",
    "homophone",
    "pinyin",
    "homoglyph",
    "traditional",
    "digits",
    "symbols",
    "accents",
    "fullwidth",
    "mixed_scripts",
    "spacing",
    "invisible",
)


@dataclass(frozen=True)
class Disguise:
    """The categories of difference found and one plain phrase per difference."""

    kinds: tuple[str, ...]
    reasons: tuple[str, ...]


def describe(
    ft: FoldedText,
    first: int,
    last: int,
    form: FoldedText,
    merged: tuple[bool, bool] = (True, True),
) -> Disguise:
    """Compare tokens ``first..last`` of ``ft`` with the whole registered ``form``.

    ``merged`` says whether the span and the form are read with letter pairs merged (the
    skeleton) or not (the plain skeleton): the reading under which they matched.
    """
    span_idx, a = reading(ft, first, last, merged[0])
    form_idx, b = reading(form, 0, len(form.tokens) - 1, merged[1])
    found: list[tuple[str, str]] = []
    wide: list[str] = []
    for op, i, j in align(a, b, _letters(ft, span_idx, form, form_idx)):
        oc = _source(ft, span_idx[i], merged[0]) if i >= 0 else ""
        mc = _source(form, form_idx[j], merged[1]) if j >= 0 else ""
        if op == "equal":
            marks = _marks_after(ft, span_idx[i])
            if marks and marks != _marks_after(form, form_idx[j]):
                names = ", ".join(char_name(m).lower() for m in marks)
                found.append(("accents", f"a {names} on '{oc}'"))
            if lite(oc) != lite(mc):
                found.append(_lookalike(oc, mc))
            elif _is_compat(oc) and not _is_compat(mc):
                if unicodedata.east_asian_width(oc) in ("F", "W"):
                    wide.append(oc)
                else:  # mathematical bold, circled, superscript ... letters
                    found.append(("homoglyph", f"'{oc}' ({char_name(oc)}) for '{mc}'"))
        elif op == "sub":
            found.append(("misspelling", f"'{oc}' for '{mc}'"))
        elif op == "swap":
            nxt = ft.source_text(span_idx[i + 1])
            found.append(("misspelling", f"letters '{oc}{nxt}' swapped"))
        elif op == "ins":
            kind = "doubled" if _doubles(a, i) else "extra"
            found.append(("misspelling", f"{kind} letter '{oc}'"))
        else:
            found.append(("misspelling", f"missing letter '{mc}'"))
    if wide:
        found.append(("fullwidth", f"full-width characters '{''.join(wide)}'"))
    found.extend(_separators(ft, first, last, form))
    start, _ = ft.original_span(ft.tokens[first].start, ft.tokens[first].end)
    _, end = ft.original_span(ft.tokens[last].start, ft.tokens[last].end)
    used = scripts_of(ft.original[start:end])
    if len(used) > 1 and set(used) != set(scripts_of(form.original)):
        named = " and ".join(sorted(u.title() for u in used))
        found.append(("mixed_scripts", f"mixed scripts ({named}) in one word"))
    return _disguise(found)


def _disguise(found: list[tuple[str, str]]) -> Disguise:
    kinds = tuple(k for k in KIND_ORDER if any(f[0] == k for f in found))
    reasons = tuple(dict.fromkeys(f[1] for f in found))
    return Disguise(kinds, reasons)


def describe_pinyin(ft: FoldedText, first: int, last: int, form: object) -> Disguise:
    """A Chinese mark written in pinyin: name the Latin span and the characters it spells."""
    start, _ = ft.original_span(ft.tokens[first].start, ft.tokens[first].end)
    _, end = ft.original_span(ft.tokens[last].start, ft.tokens[last].end)
    text = getattr(form, "text", "")
    return _disguise([("pinyin", f"pinyin '{ft.original[start:end]}' for {text}")])


def describe_homophone(
    ft: FoldedText, first: int, last: int, mark: str, sounds: list[str]
) -> Disguise:
    """Characters that sound like the mark's: name each swapped character and its reading."""
    found: list[tuple[str, str]] = []
    for k, want, sound in zip(range(first, last + 1), mark, sounds, strict=True):
        tok = ft.tokens[k]
        if ft.folded[tok.start] != want:
            oc = ft.original_char(tok.start)
            found.append(("homophone", f"homophone {oc} ({sound}) for {want}"))
        elif ft.original_char(tok.start) != want:
            found.append(("traditional", f"traditional {ft.original_char(tok.start)} for {want}"))
    found.extend(_separators(ft, first, last, fold_text("")))
    return _disguise(found)


def _is_compat(ch: str) -> bool:
    """Full-width or other compatibility forms of a letter that NFKC folds ('Ｎ' -> 'N')."""
    return len(ch) == 1 and unicodedata.normalize("NFKC", ch) != ch and ch.isalnum()


def reading(ft: FoldedText, first: int, last: int, merged: bool) -> tuple[list[int], str]:
    """Folded positions of tokens ``first..last`` as read, and the text they read.

    Merged: the filler of a merged pair is skipped and the pair reads as its letter.
    """
    idx: list[int] = []
    for t in ft.tokens[first : last + 1]:
        idx.extend(k for k in range(t.start, t.end) if not merged or ft.skeleton[k] != MERGED)
    view = ft.skeleton if merged else ft.plain
    return idx, "".join(view[k] for k in idx)


def _letters(
    ft: FoldedText, span_idx: list[int], form: FoldedText, form_idx: list[int]
) -> tuple[str, str]:
    """The span's and the form's own folded letters at the positions ``reading`` gave."""
    return "".join(ft.folded[k] for k in span_idx), "".join(form.folded[k] for k in form_idx)


def _marks_after(ft: FoldedText, index: int) -> str:
    """Combining marks written after the original character of folded ``index``.

    Folding drops them, and NFC only joins those a letter has a precomposed form with: 'n'
    with a circumflex stays two characters. No language writes a brand's letter that way, so
    it is as much a disguise as 'ô' for 'o'.
    """
    end = ft.offsets[index] + 1
    if index + 1 < len(ft.offsets) and ft.offsets[index + 1] == ft.offsets[index]:
        return ""  # one original character folded to several ('æ'): the marks go with the last
    start = end
    while end < len(ft.original) and unicodedata.combining(ft.original[end]):
        end += 1
    return ft.original[start:end]


def _source(ft: FoldedText, index: int, merged: bool) -> str:
    return ft.source_text(index) if merged else ft.original_char(index)


def _lookalike(oc: str, mc: str) -> tuple[str, str]:
    """Name the trick behind a character that reads like the mark's character."""
    if len(oc) > 1 or len(mc) > 1:  # a letter pair such as 'rn' reading as 'm'
        return "homoglyph", f"'{oc}' for '{lite(mc)}'"
    shown = unicodedata.normalize("NFKC", oc)
    if is_han(oc) and simplify_char(oc) == mc:
        return "traditional", f"traditional {oc} for {mc}"
    if shown.isdigit():
        return "digits", f"digit {shown} for {mc}"
    if shown in INNER_SYMBOLS:
        return "symbols", f"symbol {shown} for {mc}"
    if strip_accents(lite_char(oc)) == lite_char(mc) or oc.lower() in LATIN_EXTRA:
        return "accents", f"accented {oc} for {mc}"
    if fold_char(oc) == fold_char(mc) and unicodedata.name(oc, "").startswith("LATIN"):
        # a hook, tail, descender or bar NFD keeps in the letter: no language's accent
        return "homoglyph", f"'{oc}' ({char_name(oc)}) for '{mc}'"
    if oc.isascii() and {fold_char(oc), fold_char(mc)} == {"i", "l"}:
        imitated = "l" if fold_char(oc) == "i" else "I"
        case = "capital" if oc.isupper() else "lower-case"
        return "homoglyph", f"{case} {oc} for {imitated}"
    name = char_name(oc)
    script = name.split(" ", 1)[0]
    if " LETTER " in name and script not in ("LATIN", "MATHEMATICAL"):
        return "homoglyph", f"a {script.title()} '{oc}' for '{mc}' ({name})"
    return "homoglyph", f"'{oc}' ({name}) for '{mc}'"


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


def short_disguise_ok(
    ft: FoldedText,
    i: int,
    j: int,
    mark: str,
    mark_gaps: int,
    generic: frozenset[str],
    merged: bool = True,
) -> bool:
    """A short mark's skeleton as a word of its own, each difference a disguise character.

    The span is a whole word or a camelCase part ("KivoAir"); it may be split by separators
    when spelt out letter by letter ("K I V O") or in two pieces that are not both everyday
    words ("Or lo", "qo-ra"; not "as to"); of the letter pairs only 'rn' and 'vv' inside a word
    count ("Zurni"; "cl" is too often just "cl", and words end in "rn"); a plain Latin letter
    may stand for another only as the classic capital I / small l swap against the case of
    its word.
    """
    toks = ft.tokens[i : j + 1]
    if not (_word_start(ft, i) and (j + 1 >= len(ft.tokens) or _word_start(ft, j + 1))):
        return False
    pieces = [ft.folded[t.start : t.end] for t in toks]
    gaps = sum(1 for t in toks[1:] if t.gap > 0)
    spelt_out = all(len(p) == 1 for p in pieces)
    two_words = len(pieces) == 2 and not all(p in generic for p in pieces)
    if gaps > mark_gaps and not (spelt_out or two_words):
        return False
    positions, _ = reading(ft, i, j, merged)
    if len(positions) != len(mark):
        return False
    for k in positions:
        if merged and k + 1 < len(ft.skeleton) and ft.skeleton[k + 1] == MERGED:
            ends_word = any(t.end == k + 2 for t in toks)
            if ft.folded[k : k + 2] not in SHORT_MARK_PAIRS or ends_word:
                return False  # "clove" is not DOVE, "yarn" is not YAM
    letters = [ft.original_char(k) for k in positions]
    return all(
        _plain_letter_ok(ft, k, want, letters) for k, want in zip(positions, mark, strict=True)
    )


def _word_start(ft: FoldedText, k: int) -> bool:
    """Token ``k`` starts a word: after a real boundary or as a camelCase part ("Air")."""
    t = ft.tokens[k]
    if t.hard:
        return True
    prev = ft.original_char(t.start - 1) if t.start > 0 else ""
    return ft.original_char(t.start).isupper() and prev.islower()


def pinyin_split_ok(ft: FoldedText, i: int, j: int, spelling: tuple[str, ...]) -> bool:
    """A pinyin written in pieces is split only between syllables ("Nai Ke", not "Na Ike")."""
    bounds = set()
    pos = 0
    for syllable in spelling:
        pos += len(syllable)
        bounds.add(pos)
    pos = 0
    for t in ft.tokens[i : j + 1]:
        pos += t.end - t.start
        if pos not in bounds:
            return False
    return True


def plausible_misspelling(
    ft: FoldedText,
    first: int,
    last: int,
    form: FoldedText,
    merged: tuple[bool, bool],
    generic: frozenset[str],
    cutoff: float,
) -> bool:
    """A fuzzy window reads as a misspelt mark, not as other words that happen to be close.

    Counterfeiters keep the first letter (buyers search for the brand), so an edit there
    means another word ("tango" is not MANGO); an edit inside an everyday word of a
    multi-word window ("ver sale") means the words are just words; and a plain 'l' read as
    'i' in a lower-case word ("maple" for MAGPIE) is a different letter, not a disguise.
    """
    span_idx, window = reading(ft, first, last, merged[0])
    form_idx, mark = reading(form, 0, len(form.tokens) - 1, merged[1])
    if not window or not mark or window[0] != mark[0]:
        return False
    letters = [ft.original_char(k) for k in span_idx]
    edits = changed = 0  # changed: edits other than a doubled letter ("Noovaflexx")
    for op, a, b in align(window, mark, _letters(ft, span_idx, form, form_idx)):
        if op != "equal":
            edits += 1
            changed += not (op == "ins" and _doubles(window, a))
            if first != last and a >= 0 and _inside_generic_word(ft, span_idx[a], generic):
                return False
        elif not _plain_letter_ok(ft, span_idx[a], form.folded[form_idx[b]], letters):
            edits += 1
            changed += 1
    if changed >= 2 and first == last and all(_is_plain_letter(c) for c in letters):
        return False  # two plain changes to one plain word make another word ("Quantity")
    return 1.0 - edits / max(len(window), len(mark)) >= cutoff


def _doubles(text: str, i: int) -> bool:
    """``text[i]`` repeats a neighbour: an inserted doubled letter."""
    return (i > 0 and text[i - 1] == text[i]) or (i + 1 < len(text) and text[i + 1] == text[i])


def _is_plain_letter(ch: str) -> bool:
    """An ASCII letter, also when typed full-width ('ｌ' is as plain as 'l')."""
    shown = unicodedata.normalize("NFKC", ch)
    return len(shown) == 1 and shown.isascii() and shown.isalpha()


def _inside_generic_word(ft: FoldedText, index: int, generic: frozenset[str]) -> bool:
    for k, t in enumerate(ft.tokens):
        if t.start <= index < t.end:
            whole_word = t.hard and ft.token_after_is_hard(k)  # not a camelCase/digit piece
            return whole_word and ft.folded[t.start : t.end] in generic
    return False


def _plain_letter_ok(ft: FoldedText, index: int, want: str, letters: list[str]) -> bool:
    """An ASCII letter read as another ('I' as 'l') only where its case gives it away.

    Merged letter pairs ('rn' for 'm') are lookalikes by design and always pass.
    """
    orig = unicodedata.normalize("NFKC", ft.original_char(index))
    if ft.folded[index] == want or not _is_plain_letter(orig):
        return True
    if index + 1 < len(ft.skeleton) and ft.skeleton[index + 1] == MERGED:
        return True
    others = [c for c in letters if _is_plain_letter(c) and c != orig]
    if orig == "I" and want == "l":
        return all(c.islower() for c in others)
    return orig == "l" and want == "i" and all(c.isupper() for c in others)


EDIT = 1000  # an edit's cost in ``align``; a look-alike pairing costs 1, an identical one 0


def align(a: str, b: str, exact: tuple[str, str] | None = None) -> list[tuple[str, int, int]]:
    """Optimal string alignment of ``a`` to ``b`` as (op, index in a, index in b) steps.

    ``ins`` is a character only in ``a`` (j = -1), ``del`` one only in ``b`` (i = -1),
    ``swap`` two adjacent characters exchanged (indexes of the first of each pair).

    ``exact``: the same two texts in their own letters, one per position. Of the alignments
    with fewest edits, the one pairing most identical letters wins: "tarqui" against TARQUIL
    read as skeletons ("tarqul", "tarqull": i and l look alike) lacks the final L, not the I
    with an I-for-L look-alike on top.
    """
    n, m = len(a), len(b)
    same_a, same_b = exact if exact is not None else (a, b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i * EDIT
    for j in range(m + 1):
        d[0][j] = j * EDIT
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(
                d[i - 1][j] + EDIT,
                d[i][j - 1] + EDIT,
                d[i - 1][j - 1] + _pair_cost(a, b, same_a, same_b, i - 1, j - 1),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + EDIT)
    steps: list[tuple[str, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if (
            i > 0
            and j > 0
            and a[i - 1] == b[j - 1]
            and d[i][j] == d[i - 1][j - 1] + _pair_cost(a, b, same_a, same_b, i - 1, j - 1)
        ):
            steps.append(("equal", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif (
            i > 1
            and j > 1
            and a[i - 1] == b[j - 2]
            and a[i - 2] == b[j - 1]
            and d[i][j] == d[i - 2][j - 2] + EDIT
        ):
            steps.append(("swap", i - 2, j - 2))
            i, j = i - 2, j - 2
        elif i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + EDIT:
            steps.append(("sub", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + EDIT:
            steps.append(("ins", i - 1, -1))
            i -= 1
        else:
            steps.append(("del", -1, j - 1))
            j -= 1
    steps.reverse()
    return steps


def _pair_cost(a: str, b: str, same_a: str, same_b: str, i: int, j: int) -> int:
    """Pairing a[i] with b[j]: 0 for the same letter, 1 for a look-alike, else an edit."""
    if a[i] != b[j]:
        return EDIT
    return 0 if same_a[i] == same_b[j] else 1
