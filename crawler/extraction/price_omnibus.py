"""The EU's Omnibus line ('Najniższa cena z 30 dni przed obniżką: 2 399,00 zł', 'Niedrigster
Preis der letzten 30 Tage: 349,00 €'): a reference price printed beside a discounted one, never
the price paid now, which structured data often states as if it were the current price."""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING

from crawler.extraction.document import text_of
from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.visible_price import INLINE_DESCENDANTS, SCAN_ELEMENTS, other_product

if TYPE_CHECKING:
    from crawler.extraction.document import Document


OMNIBUS_TEXT = 120  # 'Niedrigster Preis der letzten 30 Tage vor der Preissenkung: 1.299,00 €'
_AMOUNT = re.compile(r"\d(?:[\d\s.,'’]*\d)?")


def lowest_price_lines(doc: Document, lexicon: ExtractionLexicon | None = None) -> list[str]:
    """The amounts of the EU's Omnibus lines after the <h1> ('Najniższa cena z 30 dni przed
    obniżką: 2 399,00 zł'): too long and wordy to read as a printed price, yet they print a
    reference price that structured data often states as if it were the current one. The amount
    is the line's last ('30 dni' is the period)."""
    lexicon = lexicon or bundled()
    elements = doc.index.elements
    heading = next((i for i, e in enumerate(elements) if e.tag == "h1"), None)
    lines = []
    for element in elements[(heading or 0) + 1 :][:SCAN_ELEMENTS]:
        if len(list(islice(element.iter(), INLINE_DESCENDANTS + 2))) > INLINE_DESCENDANTS + 1:
            continue
        text = text_of(element, OMNIBUS_TEXT + 1)
        match = lexicon.lowest_price.search(text) if len(text) <= OMNIBUS_TEXT else None
        amounts = _AMOUNT.findall(text[match.end() :]) if match else []
        if amounts and not other_product(element):
            lines.append(amounts[-1].strip())
    return lines
