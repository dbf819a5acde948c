"""Whether the item's own buy button is switched off with nothing else said: a greyed-out 'Add
to Cart' (disabled, aria-disabled, a 'disabled' class) in the <h1>'s box, no enabled buy button,
no stock line and no choice left for the buyer to make. What the buyer sees (a button that
cannot be pressed) then outranks structured data left saying 'InStock'."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.stock import (
    button_caption,
    heading_box,
    is_button,
    is_disabled,
    stock_line,
)

if TYPE_CHECKING:
    from crawler.extraction.document import Document

# A choice the buyer has still to make (a size in a <select>, a radio group): a buy button is
# often disabled until it is made, so a disabled one says nothing about stock.
_CHOICE_TAGS = frozenset({"select", "option", "datalist"})


def _choice_pending(box: Any) -> bool:
    """Whether the box holds a picker the buyer chooses from (a <select>, radio buttons)."""
    return any(
        e.tag in _CHOICE_TAGS
        or (e.tag == "input" and (e.get("type") or "").lower() in ("radio", "checkbox"))
        for e in box.iter()
    )


def buy_button_off(doc: Document, lexicon: ExtractionLexicon | None = None) -> bool:
    """Whether every buy button in the item's box is disabled, with no stock line there and no
    option left to choose (a size picker would explain the disabled button)."""
    lexicon = lexicon or bundled()
    box, own = heading_box(doc)
    buys = [e for e in own if is_button(e) and lexicon.buy.search(button_caption(e))]
    if not buys or not all(is_disabled(e) for e in buys):
        return False
    return not _choice_pending(box) and stock_line(own, lexicon) is None
