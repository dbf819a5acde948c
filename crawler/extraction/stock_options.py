"""Stock words that belong to one option of the item, not the item: a variant picker's option
('S M L XL (품절)'), or one entry of a list of options or cards where the others carry no such
word ('그린 (품절)' under '블랙 / 월넛 / 화이트'). One colour sold out is not the product sold out,
so such boxes are not read as the item's stock line."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from crawler.extraction.document import chosen_option, text_of
from crawler.extraction.lexicon import ExtractionLexicon

_OPTION_TAGS = frozenset({"select", "option", "optgroup", "datalist"})
_CANNOT_BUY = frozenset({"OutOfStock", "SoldOut"})
# A labelled line ('Availability: Out of stock') states the item's stock even inside a list.
_LABELLED = re.compile(r"^[^:：]{1,40}[:：]")
_ENTRY_TEXT = 240
_ENTRIES = 40


def lists_options(element: Any) -> bool:
    """Whether a box's text runs over a variant picker's options ('S M L XL (품절)'), or is an
    option the picker did not choose ('Color: <span class="selected">Negro</span> <span>Blanco
    — Agotado</span>'): one option sold out (or in stock) is not the product, so such a box is
    not read as a stock line; the chosen option's own words still are."""
    parent = element.getparent()
    return (
        any(d.tag in _OPTION_TAGS for d in element.iterdescendants())
        or _picker(element)
        or (parent is not None and not chosen_option(element) and _picker(parent))
    )


def _picker(box: Any) -> bool:
    """A box of options, one of them marked as chosen, beside at least one other."""
    children = [child for child in box if isinstance(child.tag, str)]
    return len(children) > 1 and sum(map(chosen_option, children)) == 1


def _entry_state(entry: Any, lexicon: ExtractionLexicon) -> str | None:
    text = text_of(entry, _ENTRY_TEXT + 1)
    return lexicon.stock_state(text) if text and len(text) <= _ENTRY_TEXT else None


def sold_out_entry(entry: Any, lexicon: ExtractionLexicon) -> bool:
    """Whether a list item is one sold-out option among others: its unlabelled text says sold
    out while a sibling item says nothing about stock ('女款-浅紫（缺货）' beside '男款-深灰')."""
    parent = entry.getparent()
    if entry.tag != "li" or parent is None:
        return False
    text = text_of(entry, _ENTRY_TEXT + 1)
    if not text or _LABELLED.match(text) or _entry_state(entry, lexicon) not in _CANNOT_BUY:
        return False
    siblings = [s for s in islice(parent, _ENTRIES) if s is not entry and s.tag == "li"]
    return any(_entry_state(s, lexicon) is None for s in siblings)


def one_options_word(element: Any, lexicon: ExtractionLexicon) -> bool:
    """Whether a box's stock word is one option's: the box is, sits in, or holds a list item
    that is one sold-out option among others."""
    if any(sold_out_entry(a, lexicon) for a in element.iterancestors("li")):
        return True
    return any(sold_out_entry(e, lexicon) for e in islice(element.iter("li"), _ENTRIES))
