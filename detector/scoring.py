"""Combine signals into one risk per listing x asset.

Rule:

1. Only a *brand link* (``word_mark`` or ``image_copy`` with score > 0) makes a finding;
   ``unauthorized_seller`` and ``below_price_floor`` only raise the risk of a linked listing.
2. Each signal contributes ``c = weight x score``. The word-mark weight depends on the match:
   ``weight_word_mark_exact`` for the mark as registered (a genuine listing names the brand
   too), ``weight_word_mark_disguised`` for a lookalike, spaced or misspelt mark (nobody
   disguises a brand they may sell). A copied photo weighs ``weight_image_copy``, or
   ``weight_image_copy_authorized`` when the seller is on the asset's authorized list,
   because licensed resellers use the official photos.
3. Class relevance: a ``class_mismatch`` signal (score 0; the listing's category maps only to
   Nice classes the mark is not registered for) multiplies the ``word_mark`` contribution by
   ``class_mismatch_factor``, and the ``unauthorized_seller`` and ``below_price_floor`` ones
   too unless an ``image_copy`` signal is present: without a copied photo the only link is a
   word used for other goods, so seller and price say little. ``image_copy`` is never
   reduced (a copied photo is a copy whatever the category), and with one present seller and
   price count in full, as they do for a photo alone.
4. ``risk = 1 - prod(1 - c_i)`` (noisy-or): in [0, 1], never lower when a score rises or a
   signal other than ``class_mismatch`` is added, independent of signal order.
   ``flagged = risk >= threshold``.

With the defaults: exact mark alone 0.40 (not flagged); exact mark + unauthorized seller
0.70; exact mark + any price under the floor >= 0.61 (the price score grows from 0.5 just
under the floor to 1.0 at zero); a disguised mark alone 0.9 x similarity (>= 0.675); a copied
photo + unauthorized seller >= 0.625; an authorized seller's exact mark + official photo 0.46.
Outside the mark's classes (factor 0.3): an exact mark alone 0.12; with an unauthorized seller
and a price at zero 0.41; a disguised mark with both 0.51, so no text-only finding flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from detector.model import Signal
    from detector.settings import DetectionSettings

BRAND_LINKS = frozenset({"word_mark", "image_copy"})


def is_brand_link(signal: Signal) -> bool:
    """Signals that tie a listing to an asset by themselves."""
    return signal.kind in BRAND_LINKS and signal.score > 0


def contribution(
    signal: Signal,
    settings: DetectionSettings,
    *,
    seller_authorized: bool = False,
    scale: float = 1.0,
) -> float:
    """``weight x score x scale`` for one signal, clipped to [0, 1]; unknown kinds give 0.

    ``scale`` is the class-mismatch factor for the kinds it applies to (see rule 3).
    """
    if signal.kind == "word_mark":
        disguised = bool(signal.evidence.get("disguised"))
        weight = (
            settings.weight_word_mark_disguised if disguised else settings.weight_word_mark_exact
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
        weight = settings.weight_below_price_floor
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
    scales = _mismatch_scales(signals, settings)
    keep = 1.0
    for s in sorted(signals, key=lambda s: (s.kind, s.score)):
        scale = scales.get(s.kind, 1.0)
        keep *= 1.0 - contribution(s, settings, seller_authorized=seller_authorized, scale=scale)
    return round(1.0 - keep, 6)


def _mismatch_scales(signals: list[Signal], settings: DetectionSettings) -> dict[str, float]:
    """Kind -> factor when a ``class_mismatch`` signal is present (rule 3), else nothing."""
    if not any(s.kind == "class_mismatch" for s in signals):
        return {}
    factor = settings.class_mismatch_factor
    if any(s.kind == "image_copy" and s.score > 0 for s in signals):
        return {"word_mark": factor}
    return {kind: factor for kind in ("word_mark", "unauthorized_seller", "below_price_floor")}
