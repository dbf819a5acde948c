"""Word-mark matcher: finds registered marks, exact or disguised, in a listing's text.

Each registered spelling (asset name + keywords) is folded once (``detector.normalize``)
and indexed by how it may be disguised:

- Latin marks longer than ``short_mark_length``: their skeleton in an Aho–Corasick automaton
  (homoglyphs, digits, spacing, letter pairs, width) and in a bigram index for misspellings,
  verified by OSA similarity over token windows of about the mark's length;
- short Latin marks: exact folded form or skeleton, whole words only, and the skeleton only
  when each changed letter is a disguise character (never another plain letter);
- Chinese marks: exact after traditional -> simplified, their pinyin written in Latin letters
  (whole words, split only between syllables) and characters with the same toneless pinyin.

The text is scanned as "compact" strings (tokens run together), so "N O V A F L E X",
"Nova-Flex" and "N0vafIex" all read "novaflex"; hits must start and end on token bounds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from detector.candidates import CompactView, ExactAutomaton, MatchWork, QGramIndex, max_edits
from detector.cjk import SoundIndex, is_han, pinyin_spellings
from detector.disguise import (
    describe,
    describe_homophone,
    describe_pinyin,
    pinyin_split_ok,
    plausible_misspelling,
    short_disguise_ok,
)
from detector.fused import (
    MIN_CORE,
    cut_disguise,
    fused_disguise,
    fused_neighbours,
    fused_score,
    glued_cuts,
    word_spans,
)
from detector.generic_words import everyday_words, is_everyday
from detector.mark_match import MarkForm, MarkMatch, Reading, _non_overlapping
from detector.normalize import FoldedText, fold_text
from detector.text_spans import (
    a_name,
    add_hit,
    all_generic,
    best_per_span,
    compact,
    exact_word,
    token_string,
    whole_word,
    whole_word_or_fused,
)
from detector.variants import SlipIndex
from model import AssetKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.settings import DetectionSettings
    from detector.vision.ocr import ImageText
    from model import Asset, Listing


MARK_KINDS = frozenset({AssetKind.WORD_MARK, AssetKind.FIGURATIVE_MARK})
MAX_DROPPED = 1  # letters a fuzzy window may lack compared with the mark
MAX_FUZZY_PIECES = 3  # bounds fuzzy work on hostile text such as "a b c d e f ..."
PINYIN_SCORE = 0.95  # a transliteration: the same mark, another script
HOMOPHONE_SCORE = 0.9  # other characters read the same: near-certain, not identical


class MarkIndex:
    """Folded mark forms of all word/figurative-mark assets, built once."""

    def __init__(self, assets: Sequence[Asset], settings: DetectionSettings) -> None:
        self._settings = settings
        # payloads: (form, read with letter pairs merged?)
        self._folded: ExactAutomaton[Reading] = ExactAutomaton()
        self._skeleton: ExactAutomaton[Reading] = ExactAutomaton()
        self._by_skel: dict[str, list[Reading]] = defaultdict(list)
        self._short: dict[str, list[MarkForm]] = defaultdict(list)  # short marks, as registered
        self._sounds: SoundIndex[MarkForm] = SoundIndex()
        self._negative: dict[str, tuple[str, ...]] = {}
        self._slips = SlipIndex()
        self._other_brands = frozenset(
            compact(ft, ft.folded) for ft in map(fold_text, settings.other_brands)
        )
        self._registered: set[str] = set()  # every folded form: no other mark's misspelling
        self.work = MatchWork()
        for asset in assets:
            if asset.kind in MARK_KINDS:
                self._add_asset(asset)
        self._fuzzy = QGramIndex(self._by_skel, settings.fuzzy_min_similarity, MAX_DROPPED)
        self._fuzzy_max_len = self._fuzzy.max_key_len + max_edits(
            self._fuzzy.max_key_len, settings.fuzzy_min_similarity
        )
        self._folded.build()
        self._skeleton.build()

    def _add_asset(self, asset: Asset) -> None:
        seen: set[str] = set()
        # A logo's name describes the picture ("NOVAFLEX logo"); its word element, if it has
        # one, is registered as keywords.
        texts = (
            (asset.name, *asset.keywords) if asset.kind is AssetKind.WORD_MARK else asset.keywords
        )
        for text in texts:
            ft = fold_text(text)
            folded = compact(ft, ft.folded)
            if not folded or folded in seen:
                continue
            seen.add(folded)
            cjk = any(t.cjk for t in ft.tokens)
            short = len(folded) <= self._settings.short_mark_length
            mode = "cjk" if cjk else "short" if short else "long"
            form = MarkForm(
                asset_id=asset.id,
                text=text,
                source=ft,
                folded=folded,
                skeleton=compact(ft, ft.skeleton),
                mode=mode,
                gaps=sum(1 for t in ft.tokens[1:] if t.gap > 0),
            )
            # A mark holding a letter pair ("CLOUD", "TORNAVIK") is also read without merging
            # it: spelt out ("C L O U D") or misspelt ("Torenavik"), the pair falls apart.
            readings = {form.skeleton: True, compact(ft, ft.plain): False}
            self._registered.add(folded)
            if mode in ("long", "short"):
                self._slips.add(form, short=mode == "short")
            if mode == "long":
                for key, merged in readings.items():
                    self._skeleton.add(key, (form, merged))
                    self._by_skel[key].append((form, merged))
            elif mode == "short":
                self._short[form.folded].append(form)
                self._folded.add(form.folded, (form, True))
                for key, merged in readings.items():
                    self._skeleton.add(key, (form, merged))
            else:
                self._folded.add(form.folded, (form, True))
                self._add_sounds(form)
        negatives = (token_string(fold_text(k)) for k in asset.negative_keywords)
        self._negative[asset.id] = tuple(n for n in negatives if n.strip())

    def _add_sounds(self, form: MarkForm) -> None:
        """Index a Chinese mark by its toneless pinyin: Latin spellings and homophones."""
        if not all(is_han(c) for c in form.folded):
            return
        self._sounds.add(form.folded, form)
        for spelling in pinyin_spellings(form.folded):
            key = "".join(spelling)
            if key in everyday_words():
                continue  # a pinyin that is an everyday word says nothing about the mark
            pinyin = MarkForm(
                asset_id=form.asset_id,
                text=form.text,
                source=form.source,
                folded=key,
                skeleton=key,
                mode="pinyin",
                gaps=len(spelling) - 1,
                syllables=spelling,
            )
            self._folded.add(key, (pinyin, True))

    def match(
        self, listing: Listing, image_texts: Sequence[ImageText] = ()
    ) -> dict[str, list[MarkMatch]]:
        """Best non-overlapping matches per asset id, across title, description and brand.

        ``image_texts`` (OCR of the listing's photos) adds field ``image_text``: each line read
        is matched on its own, and its matches name the photo and the line's box.
        """
        out: dict[str, list[MarkMatch]] = defaultdict(list)
        if not (len(self._folded) or len(self._skeleton)):
            return {}
        fields = (
            ("title", listing.title),
            ("description", listing.description),
            ("brand", listing.brand or ""),
        )
        for name, text in fields:
            for asset_id, found in self._text_matches(name, text).items():
                out[asset_id].extend(found)
        for read in image_texts:
            for box in read.boxes:
                for asset_id, found in self._text_matches("image_text", box.text).items():
                    out[asset_id].extend(replace(m, image=read, box=box) for m in found)
        return dict(out)

    def _text_matches(self, field: str, text: str) -> dict[str, list[MarkMatch]]:
        """Matches of one text per asset, unless a negative keyword in it explains them away."""
        if not text:
            return {}
        ft = fold_text(text[: self._settings.max_text_chars])
        present = token_string(ft)
        return {
            asset_id: _non_overlapping(asset_hits)
            for asset_id, asset_hits in self._field_hits(field, ft).items()
            if not any(n in present for n in self._negative.get(asset_id, ()))
        }

    def _field_hits(self, field: str, ft: FoldedText) -> dict[str, list[MarkMatch]]:
        hits: dict[tuple[str, str, int, int], MarkMatch] = {}
        compact = CompactView(ft)
        self._exact(field, ft, compact, hits)
        if len(self._fuzzy):
            self._fuzzy_windows(field, ft, hits)
        if self._sounds:
            self._homophones(field, ft, hits)
        if self._slips:
            self._slipped_words(field, ft, hits)
        if self._by_skel or self._short:
            self._cut_words(field, ft, hits)
        grouped: dict[str, list[MarkMatch]] = defaultdict(list)
        for m in best_per_span(hits.values()):
            grouped[m.asset_id].append(m)
        return grouped

    def _exact(
        self, field: str, ft: FoldedText, compact: CompactView, hits: dict[Any, MarkMatch]
    ) -> None:
        """Aho–Corasick hits on the folded and skeleton views that fall on whole tokens."""
        views = [
            (self._folded, compact.folded, compact.f_start, compact.f_end, None),
            (self._skeleton, compact.skeleton, compact.s_start, compact.s_end, True),
        ]
        if compact.plain != compact.skeleton:
            views.append((self._skeleton, compact.plain, compact.f_start, compact.f_end, False))
        for automaton, text, starts, ends, merged in views:
            for a, b, readings in automaton.find(text):
                i, j = starts.get(a), ends.get(b)
                if i is None or j is None or not self._gaps_ok(ft, i, j):
                    continue
                self.work.exact_hits += 1
                for form, form_merged in readings:
                    how = None if merged is None else (merged, form_merged)
                    self._exact_form(field, ft, i, j, form, how, hits)

    def _exact_form(
        self,
        field: str,
        ft: FoldedText,
        i: int,
        j: int,
        form: MarkForm,
        merged: tuple[bool, bool] | None,
        hits: dict[Any, MarkMatch],
    ) -> None:
        """Check one exact hit; ``merged`` is None for the folded view, else the readings."""
        if form.mode == "pinyin":
            if whole_word(ft, i, j) and pinyin_split_ok(ft, i, j, form.syllables):
                add_hit(hits, field, ft, i, j, form, PINYIN_SCORE, describe_pinyin(ft, i, j, form))
            return
        if form.mode in ("long", "short") and whole_word_or_fused(ft, i, j):
            fused = fused_neighbours(ft, i, j, digits_only=form.mode == "short")
            if fused is not None:
                self._add_fused(field, ft, (i, j), fused, form, merged, hits)
                return
        if form.mode == "short":
            if merged is None and not exact_word(ft, i, j, form):
                return
            if merged is not None and not short_disguise_ok(
                ft, i, j, form.folded, form.gaps, everyday_words(), merged[0]
            ):
                return
        add_hit(hits, field, ft, i, j, form, 1.0, merged=merged or (True, True))

    def _add_fused(
        self,
        field: str,
        ft: FoldedText,
        core: tuple[int, int],
        span: tuple[int, int],
        form: MarkForm,
        merged: tuple[bool, bool] | None,
        hits: dict[Any, MarkMatch],
    ) -> None:
        """A mark with a short piece glued on ("Quvaro7"): the whole word is the match.

        ``merged`` is None for the folded view (the core is the mark as registered).
        """
        i, j = core
        if form.mode == "short" and (
            sum(1 for t in ft.tokens[i + 1 : j + 1] if t.gap > 0) > form.gaps
            or (
                merged is not None
                and not short_disguise_ok(
                    ft, i, j, form.folded, form.gaps, everyday_words(), merged[0]
                )
            )
        ):
            return  # "KIV O2": a short mark spelt apart with a digit glued on is no mark
        glued = ft.folded[ft.tokens[span[0]].start : ft.tokens[span[1]].end]
        disguise = fused_disguise(ft, core, span, form.source, merged or (True, True))
        score = fused_score(glued, form.folded)
        add_hit(hits, field, ft, span[0], span[1], form, score, disguise)

    def _cut_words(self, field: str, ft: FoldedText, hits: dict[Any, MarkMatch]) -> None:
        """One word holding a long mark and up to two glued characters ("XQuvaro", "3WQuvaro").

        A word of one token may lose letters; a word of several (a letter/digit change inside
        it) may lose a letter and a digit together, the tokens taken as one (long marks only:
        a short mark takes glued letters or digits, not both).
        """
        for k, last, word in word_spans(ft):
            if word.end - word.start <= MIN_CORE:
                continue
            if not self._may_be_disguise(ft.folded[word.start : word.end]):
                continue
            for cut in glued_cuts(ft, word, mixed=last > k):
                short = self._short.get(cut.core_folded, ()) if cut.piece.isalpha() else ()
                readings = [*self._by_skel.get(cut.core, ()), *((form, False) for form in short)]
                for form, form_merged in readings:
                    if is_everyday(form.folded):
                        continue  # "slight" is no LIGHT with an 's' glued on
                    disguise = cut_disguise(
                        describe(
                            cut.core_text,
                            0,
                            len(cut.core_text.tokens) - 1,
                            form.source,
                            (False, form_merged),
                        ),
                        cut.piece,
                    )
                    score = fused_score(ft.folded[word.start : word.end], form.folded)
                    add_hit(hits, field, ft, k, last, form, score, disguise)

    def _gaps_ok(self, ft: FoldedText, i: int, j: int) -> bool:
        gap = self._settings.max_window_gap
        return all(ft.tokens[k].gap <= gap for k in range(i + 1, j + 1))

    def _fuzzy_windows(self, field: str, ft: FoldedText, hits: dict[Any, MarkMatch]) -> None:
        """Misspelt long marks: windows of up to MAX_FUZZY_PIECES pieces, bigram candidates."""
        cache: dict[str, list[tuple[str, float]]] = {}
        toks = ft.tokens
        cutoff = self._settings.fuzzy_min_similarity
        for i in range(len(toks)):
            skeleton = plain = folded = ""
            pieces = 0  # parts split by real separators; a spelt-out run counts as one
            for j in range(i, len(toks)):
                t = toks[j]
                if t.cjk or (j > i and t.gap > self._settings.max_window_gap):
                    break
                skeleton += ft.skeleton_text(t.start, t.end)
                plain += ft.plain[t.start : t.end]
                folded += ft.folded[t.start : t.end]
                spelt = j > i and t.end - t.start == 1 and toks[j - 1].end - toks[j - 1].start == 1
                pieces += j == i or (t.gap > 0 and not spelt)
                if len(skeleton) > self._fuzzy_max_len or pieces > MAX_FUZZY_PIECES:
                    break
                self.work.windows += 1
                if all_generic(ft, toks[i : j + 1]) or a_name(folded, self._other_brands):
                    continue  # words, another brand or a name: "Samsung" is no misspelt SAMSONG
                for text, merged in {skeleton: True, plain: False}.items():
                    if text not in cache:
                        self.work.fuzzy_queries += 1
                        cache[text] = self._fuzzy.similar(text)
                    for key, score in cache[text]:
                        for form, form_merged in self._by_skel[key]:
                            how = (merged, form_merged)
                            if plausible_misspelling(
                                ft, i, j, form.source, how, everyday_words(), cutoff
                            ):
                                add_hit(hits, field, ft, i, j, form, score, merged=how)

    def _slipped_words(self, field: str, ft: FoldedText, hits: dict[Any, MarkMatch]) -> None:
        """Single words that are a mark with a key held down or, for short marks, one slip."""
        for k, t in enumerate(ft.tokens):
            if t.cjk or not whole_word(ft, k, k):
                continue
            if not self._may_be_disguise(ft.folded[t.start : t.end]):
                continue
            readings = {ft.skeleton_text(t.start, t.end): True, ft.plain[t.start : t.end]: False}
            for word, merged in readings.items():
                if not (word.isascii() and word.isalpha()):
                    continue
                for form, score in self._slips.find(word):
                    add_hit(hits, field, ft, k, k, form, score, merged=(merged, True))

    def _may_be_disguise(self, folded: str) -> bool:
        """A form that is a word, a name, another brand or a registered mark explains itself."""
        return not (
            is_everyday(folded) or a_name(folded, self._other_brands) or folded in self._registered
        )

    def _homophones(self, field: str, ft: FoldedText, hits: dict[Any, MarkMatch]) -> None:
        """Runs of Han characters that read like a Chinese mark but are written otherwise."""
        chars = [ft.folded[t.start] if t.cjk else "" for t in ft.tokens]
        for i, j, sounds, form in self._sounds.find(chars):
            if "".join(chars[i : j + 1]) != form.folded and self._gaps_ok(ft, i, j):
                disguise = describe_homophone(ft, i, j, form.folded, list(sounds))
                add_hit(hits, field, ft, i, j, form, HOMOPHONE_SCORE, disguise)
