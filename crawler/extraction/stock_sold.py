"""Whether the item's own box says it was sold to a buyer ('This item has sold', 'Dieser Artikel
wurde verkauft'): a one-off second-hand item gone for good, SoldOut, where a shop's 'Sold out'
beside a stale structured 'InStock' is read as OutOfStock (it may come back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.stock import LONG_LINE, heading_box, short_text

if TYPE_CHECKING:
    from crawler.extraction.document import Document


def sold_to_a_buyer(doc: Document, lexicon: ExtractionLexicon | None = None) -> bool:
    """Whether a line in the <h1>'s box carries a sold-item phrase; a rail's or a seller card
    outside that box ('Sold' on other listings) says nothing about this item."""
    lexicon = lexicon or bundled()
    for element in heading_box(doc)[1]:
        text = short_text(element, LONG_LINE)
        if text and lexicon.sold_item.search(text):
            return True
    return False
