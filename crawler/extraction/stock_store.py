"""Whether the item is sold in a store only: the page says it cannot be bought online but is
available in a store ('Online nicht lieferbar' beside 'Im Markt verfügbar: 4 Stück', 'Available
in store only', 'In-Store Purchase Only'). The shop still sells it, so it is InStoreOnly, not
out of stock. Vocabulary: config/lexicons/extraction.yaml (store_only_phrases, store_places)."""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING, Any

from crawler.extraction.document import text_of
from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.stock import (
    LONG_LINE,
    SHORT_NODES,
    button_caption,
    heading_box,
    is_button,
    is_disabled,
    product_elements,
)
from crawler.extraction.stock_options import lists_options

if TYPE_CHECKING:
    from crawler.extraction.document import Document

_CAN_HAVE = frozenset({"InStock", "LimitedAvailability"})
_CANNOT_BUY = frozenset({"OutOfStock", "SoldOut"})
# How many units a store holds ('verfügbar: 4 Stück', '14 in stock'): a store line with a count
# says the item is on its shelf, where 'Im Markt Graz verfügbar' may only offer a pickup order.
_UNITS = re.compile(
    r"(?<!\d)\d+\s*(?:stück|stk|st|pcs|pc|pieces|units?|unidades|piezas|pièces|pezzi|szt|ks|шт)"
    r"(?![^\W\d_])|(?<!\d)\d+\s+(?:in stock|auf lager|en stock|op voorraad|i lager|på lager)",
    re.IGNORECASE,
)
# Where a line's clauses part: 'Available in store only · In stock at Leeds · Find in store'.
_CLAUSES = re.compile(r"\s[-–—·|•]\s|[.!;](?:\s|$)")


def _own_box(doc: Document) -> list[Any]:
    """The elements of the <h1>'s box (a rail's 'in store only' is another product's), else
    the page outside other products' boxes."""
    box, own = heading_box(doc)
    return own if box is not None else product_elements(doc)


def _clauses(element: Any) -> list[str]:
    """The clauses of a line of a few nodes; a bigger box is read through its own lines."""
    if len(list(islice(element.iter(), SHORT_NODES + 1))) > SHORT_NODES:
        return []
    text = text_of(element, LONG_LINE + 1)
    if not text or len(text) > LONG_LINE:
        return []
    return [c.strip() for c in _CLAUSES.split(text) if c.strip()]


def _reserves_in_store(element: Any, lexicon: ExtractionLexicon) -> bool:
    """An enabled button that reserves the item in a store ('Reserve & Collect in store'): a
    store line saying it is there ('Available in selected stores') is then as good as a count."""
    if not is_button(element) or is_disabled(element):
        return False
    caption = button_caption(element)
    return bool(lexicon.store_reserve.search(caption) and lexicon.store_place.search(caption))


def in_store_only(doc: Document, lexicon: ExtractionLexicon | None = None) -> bool:
    """Whether the item's box says it is sold in a store only: a store-only phrase, or a store
    line counting the units there ('Im Markt verfügbar: 4 Stück') or saying it is there beside
    a button reserving it in a store, beside a sign that it cannot be bought online (a disabled
    buy button, a line saying unavailable); never with an enabled buy button, which means it
    can be bought online, unless its caption makes it a store pickup order."""
    lexicon = lexicon or bundled()
    own = _own_box(doc)
    buttons = [
        e
        for e in own
        if is_button(e)
        and lexicon.buy.search(button_caption(e))
        and not lexicon.store_pickup.search(button_caption(e))  # 'Add to Cart for Pickup'
    ]
    if any(not is_disabled(e) for e in buttons):
        return False
    reserve = any(_reserves_in_store(e, lexicon) for e in own)
    store_only = in_store = online_no = False
    for element in own:
        if element.tag in ("a", "button", "input") or lists_options(element):
            continue
        for clause in _clauses(element):
            state = lexicon.stock_state(clause)
            if lexicon.store_only.search(clause):
                store_only = True
            elif lexicon.store_place.search(clause):
                counted = bool(_UNITS.search(clause)) or reserve
                in_store = in_store or (state in _CAN_HAVE and counted)
            elif state in _CANNOT_BUY:
                online_no = True
    return store_only or (in_store and (online_no or bool(buttons)))
