"""Combine signals into one risk per listing x asset.

Rule:

1. Only a *brand link* (``word_mark``, ``image_copy``, ``logo``, ``design`` or
   ``patent_claim`` with score > 0) makes a finding; ``unauthorized_seller``,
   ``below_price_floor`` and ``design_article`` (a title naming a design patent's article)
   only raise the risk of a linked listing. ``logo`` is a registered logo found inside a
   listing photo (detector/vision/logos.py), weighed by ``weight_logo`` (0.4, like an exact
   mark: genuine goods carry their logo); ``design`` a product
   outline matching a design drawing (detector/vision/designs.py), weighed by
   ``weight_design`` (0.4: it opens a finding for review but never flags alone).
   ``patent_claim`` is the share of a utility patent's claim elements the listing's text
   describes in other words (detector/semantic/patents.py), weighed by
   ``weight_patent_claim``.
2. Each signal contributes ``c = weight x score``. The word-mark weight depends on the match:
   ``weight_word_mark_exact`` for the mark as registered (a genuine listing names the brand
   too), ``weight_word_mark_disguised`` for a lookalike, spaced or misspelt mark (nobody
   disguises a brand they may sell); a match in text read from a photo (OCR, field
   ``image_text``) always weighs as exact, since a misread letter looks like a disguise. A
   copied photo weighs ``weight_image_copy``, or ``weight_image_copy_authorized`` when the
   seller is on the asset's authorized list, because licensed resellers use the official
   photos; a logo in a photo likewise weighs ``weight_logo_authorized`` then, and a price
   under the floor ``authorized_price_factor`` x its weight (a licensed shop's sale is a
   pricing matter). An asset without its own list takes every seller its owner named on any
   asset (detector/rules.py ``owner_wide_sellers``); an ``authorized_seller`` signal (score 0)
   tells the reviewer.
3. Class relevance: a ``class_mismatch`` signal (score 0; only for a mark that is an ordinary
   word, whose listing category, or without a known one the goods its title names, maps only
   to Nice classes the mark is not registered for) multiplies, when no word-mark match is
   disguised, the ``word_mark`` contribution by
   ``class_mismatch_factor``, and the ``unauthorized_seller`` and ``below_price_floor`` ones
   too unless an ``image_copy`` signal is present: without a copied photo the only link is a
   word used for other goods, so seller and price say little. ``image_copy`` is never
   reduced (a copied photo is a copy whatever the category), and with one present seller and
   price count in full, as they do for a photo alone. A disguised match is never scaled:
   "Saffron" on rice is the spice, "Saffr0n" on rice is nobody's spelling of a spice, and a
   disguise is itself evidence of intent to evade, whatever the goods.
4. Counterfeit wording (``counterfeit_wording``: "replica", "1:1", 高仿) contributes
   ``weight_counterfeit_wording x score`` but, like seller and price, never links a listing by
   itself: "replica" says the item copies *something*, only a mark or photo says what. It
   counts for nothing when the seller is authorized (a licensed shop's 复刻 "retro re-issue"
   or 同款 is product-line vocabulary), and is scaled with seller and price by a class
   mismatch when no copied photo is present.
5. Mark context (``mark_context``, score 0, from detector/context.py, present only when
   wording explains every mention of the mark) is an excuse, void when any counterfeit
   wording is present ("inspired by X" is no compatibility):
   ``compatibility`` ("case for X", "适用于X") scales an exact or mistyped ``word_mark``
   (letters dropped, doubled, swapped or spaced: accessory sellers misspell the brand their
   item fits) but not a deliberate disguise (lookalike letters, digits, invisible characters:
   nobody writes a Cyrillic 'а' into a brand they only name as compatible) and, without a copied
   photo, ``unauthorized_seller`` and ``below_price_floor`` by ``compatibility_factor``: an
   accessory maker is never an authorized seller, and a case priced under a phone's floor
   says nothing. ``resale`` ("pre-owned", 二手) scales only ``unauthorized_seller`` and
   ``below_price_floor`` by ``resale_factor``: a private reseller is never on the list and
   used goods sell under the floor, but the mark and a copied official photo still count
   (a reseller photographs their own item). Where several excuses apply to a kind, the
   smallest factor is used once: they explain the same thing, so they do not multiply.
6. ``risk = 1 - prod(1 - c_i)`` (noisy-or): in [0, 1], never lower when a score rises or a
   signal other than ``class_mismatch`` or ``mark_context`` is added, independent of signal
   order. ``flagged = risk >= threshold``.

With the defaults: exact mark alone 0.40 (not flagged); exact mark + unauthorized seller
0.70; exact mark + any price under the floor >= 0.61 (the price score grows from 0.5 just
under the floor to 1.0 at zero); a disguised mark alone 0.9 x similarity (>= 0.675); a copied
photo + unauthorized seller >= 0.625; an authorized seller's exact mark + official photo 0.46.
Outside the classes of a word mark (factor 0.3): an exact mark alone 0.12; with an unauthorized
seller and a price at zero 0.41, so no plain text-only finding flags; a disguised one keeps
its full 0.9 x similarity.
Counterfeit wording (weight 0.6): exact mark + "replica" (0.9) 0.72, + "1:1" (0.8) 0.69,
+ "AAA" (0.7) 0.65, + "inspired by" or "dupe" (0.6) 0.62, all flagged; + "homage" (0.4) 0.54
and + 同款 (0.2) 0.47 not, until an unauthorized seller joins (>= 0.77).
Compatibility (0.3): exact mark + unauthorized seller + price at zero falls from 0.91 to
0.41, as does a mistyped one (a deliberately disguised mark stays 0.93). Resale (0.25): the
same falls to 0.57; with a copied photo and a price just under the floor it is 0.76. A patent
claim read on at coverage 0.6 (the least that makes a signal) gives 0.42 alone and flags from
coverage 0.86, or with an unauthorized seller (>= 0.71).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from detector.settings import DetectionSettings
    from model import Signal

BRAND_LINKS = frozenset({"word_mark", "image_copy", "logo", "design", "patent_claim"})
TYPING_SLIPS = frozenset({"misspelling", "spacing"})


def is_brand_link(signal: Signal) -> bool:
    """Signals that tie a listing to an asset by themselves."""
    return signal.kind in BRAND_LINKS and signal.score > 0


def is_disguised(signal: Signal) -> bool:
    """A word-mark match written otherwise than registered, in text the seller typed.

    OCR cannot tell a printed disguise from a misread letter: text read from a photo counts
    as an exact mention.
    """
    return (
        signal.kind == "word_mark"
        and bool(signal.evidence.get("disguised"))
        and signal.evidence.get("field") != "image_text"
    )


def is_typing_slip(signal: Signal) -> bool:
    """A disguise an honest hand makes too: letters dropped, doubled, swapped, or spacing.

    Lookalike letters from other scripts, digits for letters or invisible characters are
    never typed by accident.
    """
    kinds = signal.evidence.get("disguises") or ()
    return bool(kinds) and set(kinds) <= TYPING_SLIPS


def contribution(
    signal: Signal,
    settings: DetectionSettings,
    *,
    seller_authorized: bool = False,
    scale: float = 1.0,
) -> float:
    """``weight x score x scale`` for one signal, clipped to [0, 1]; unknown kinds give 0.

    ``scale`` is the class-mismatch or mark-context factor for its kind (rules 3 and 5).
    """
    if signal.kind == "word_mark":
        weight = (
            settings.weight_word_mark_disguised
            if is_disguised(signal)
            else settings.weight_word_mark_exact
        )
    elif signal.kind == "image_copy":
        weight = (
            settings.weight_image_copy_authorized
            if seller_authorized
            else settings.weight_image_copy
        )
    elif signal.kind == "unauthorized_seller":
        weight = settings.weight_unauthorized_seller
    elif signal.kind == "below_price_floor":
        weight = settings.weight_below_price_floor * (
            settings.authorized_price_factor if seller_authorized else 1.0
        )
    elif signal.kind == "logo":
        weight = settings.weight_logo_authorized if seller_authorized else settings.weight_logo
    elif signal.kind == "design":
        weight = settings.weight_design
    elif signal.kind == "patent_claim":
        weight = settings.weight_patent_claim
    elif signal.kind == "design_article":
        weight = settings.weight_design_article
    elif signal.kind == "counterfeit_wording":
        weight = 0.0 if seller_authorized else settings.weight_counterfeit_wording
    else:
        weight = 0.0
    return min(1.0, max(0.0, weight * signal.score * scale))


def risk(
    signals: Iterable[Signal], settings: DetectionSettings, *, seller_authorized: bool = False
) -> float:
    """Noisy-or of the contributions; 0.0 when no signal links the listing to the brand."""
    signals = list(signals)
    if not any(is_brand_link(s) for s in signals):
        return 0.0
    scales = _scales(signals, settings)
    keep = 1.0
    for s in sorted(signals, key=lambda s: (s.kind, s.score)):
        scale = scales.get(s.kind, 1.0)
        keep *= 1.0 - contribution(s, settings, seller_authorized=seller_authorized, scale=scale)
    return round(1.0 - keep, 6)


SELLER_AND_PRICE = ("unauthorized_seller", "below_price_floor")


def _scales(signals: list[Signal], settings: DetectionSettings) -> dict[str, float]:
    """Kind -> factor from the excuses present (rules 3 and 5): the smallest one per kind."""
    photo = any(s.kind == "image_copy" and s.score > 0 for s in signals)
    wording = any(s.kind == "counterfeit_wording" and s.score > 0 for s in signals)
    marks = [s for s in signals if s.kind == "word_mark"]
    disguised = any(is_disguised(s) for s in marks)
    deliberate = any(is_disguised(s) and not is_typing_slip(s) for s in marks)
    scales: dict[str, float] = {}

    def reduce(kinds: tuple[str, ...], factor: float) -> None:
        for kind in kinds:
            scales[kind] = min(scales.get(kind, 1.0), factor)

    for s in signals:
        if s.kind == "class_mismatch" and not disguised:
            text_only = () if photo else (*SELLER_AND_PRICE, "counterfeit_wording")
            reduce(("word_mark", *text_only), settings.class_mismatch_factor)
        elif s.kind == "mark_context" and not wording:
            use = s.evidence.get("use")
            if use == "compatibility":
                mark = () if deliberate else ("word_mark",)
                reduce((*mark, *(() if photo else SELLER_AND_PRICE)), settings.compatibility_factor)
            elif use == "resale":
                reduce(SELLER_AND_PRICE, settings.resale_factor)
    return scales
