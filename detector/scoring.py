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
3. ``risk = 1 - prod(1 - c_i)`` (noisy-or): in [0, 1], never lower when a signal is added or a
   score rises, independent of signal order. ``flagged = risk >= threshold``.

With the defaults: exact mark alone 0.40 (not flagged); exact mark + unauthorized seller
0.70; exact mark + any price under the floor >= 0.61 (the price score grows from 0.5 just
under the floor to 1.0 at zero); a disguised mark alone 0.9 x similarity (>= 0.675); a copied
photo + unauthorized seller >= 0.625; an authorized seller's exact mark + official photo 0.46.
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
    signal: Signal, settings: DetectionSettings, *, seller_authorized: bool = False
) -> float:
    """``weight x score`` for one signal, clipped to [0, 1]; unknown kinds contribute 0."""
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
    return min(1.0, max(0.0, weight * signal.score))


def risk(
    signals: Iterable[Signal], settings: DetectionSettings, *, seller_authorized: bool = False
) -> float:
    """Noisy-or of the contributions; 0.0 when no signal links the listing to the brand."""
    signals = list(signals)
    if not any(is_brand_link(s) for s in signals):
        return 0.0
    keep = 1.0
    for s in sorted(signals, key=lambda s: (s.kind, s.score)):
        keep *= 1.0 - contribution(s, settings, seller_authorized=seller_authorized)
    return round(1.0 - keep, 6)
