"""The price a shopper sees next to the title, read the way it is printed: split across
elements (``12<sup>99</sup>``, ``<span>1.299</span><span class=cents>90</span>``), beside a
struck-through or "UVP"/"statt" list price, with the page's thousands and decimal marks; the
whole units and ',90 TL' in sibling elements are one price, a currency printed in its own element
belongs to the amount beside it, and a card, wallet (Pix) or member price is not the price.
Cents may sit in a plain element of their own ('$<b>149</b><b>00</b>'), '549,-' is whole units,
a total printed with its instalments is the price, and where one box prints a plain and a
sale-labelled price ('价格' then '促销价') the sale one is, or a price and, after a printed
deduction ('-$100.00'), the price it leaves, the latter. A subscription price is conditional
(price_conditions), and where a box prints only a conditional price and a regular one that is
not struck through ('Family-pris 1 995:-', 'Ordinarie pris 2 495:-'), the regular one is."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any

from crawler.extraction.document import text_of
from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.normalize import to_price
from crawler.extraction.price_conditions import conditional
from crawler.extraction.price_marks import (
    is_old,
    struck,
    unchosen_option,
    word_after,
    word_before,
)
from crawler.extraction.price_text import (
    FRACTION,
    MAX_PRICE_TEXT,
    NUMBER,
    cents_part,
    discount_ratio,
    only_money,
    price_text,
    with_fraction,
    with_sign,
)
from crawler.extraction.stock import elsewhere, short_text

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.extraction.document import Document

SCAN_ELEMENTS = 400
INLINE_DESCENDANTS = 8
_INLINE = frozenset({"span", "sup", "sub", "b", "strong", "i", "em", "small", "bdi", "data",
                     "ins", "font", "abbr"})  # fmt: skip
# '-$100.00', '− 40,00 €': an amount taken off, printed with a minus sign.
_DEDUCTION = re.compile(r"^\s*[-−–]")
# '... em 10x de R$ 219,90 sem juros', '... in 4x $24.99': the instalments after a total.
_INSTALMENT = re.compile(r"\s+(?:em|en|in|ou|or)?\s*\d{1,2}\s*[x×](?!\w).*$", re.IGNORECASE)
SALE_BOX = 2  # a sale price is looked for this many levels up from the first price, not further


def other_product(node: Any) -> bool:
    return any(
        elsewhere(f"{el.get('id', '')} {el.get('class', '')}".lower())
        for el in node.iterancestors()
    )


_RAIL_HEADS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _in_headed_rail(node: Any, lexicon: ExtractionLexicon) -> bool:
    """A price in a box headed as other products' rail ('<section><h2>Passar bra ihop med</h2>
    <ul><li class="card">…'), where no class names the rail: that product's price."""
    for box in node.iterancestors():
        if box.tag in ("body", "html"):
            return False
        head = next((child for child in box if isinstance(child.tag, str)), None)
        if head is not None and head.tag in _RAIL_HEADS:
            text = short_text(head)
            if text is not None and lexicon.rail_heading.search(text):
                return True
    return False


def _price_marked(element: Any) -> bool:
    """A box marked as money: 'price'/'amount'/'currency' in its attributes, or a schema.org
    offer (itemprop=offers), whose printed amount is that offer's price."""
    attrs = " ".join(str(v) for v in element.attrib.values()).lower()
    return (
        any(word in attrs for word in ("price", "amount", "currency"))
        or element.get("itemprop") == "offers"
    )


def _inline_group(element: Any) -> bool:
    """A few inline elements printing one value: '<div><span>1 299,</span><span>00</span> zł'."""
    descendants = list(element.iterdescendants())
    return 0 < len(descendants) <= INLINE_DESCENDANTS and all(
        isinstance(d.tag, str) and d.tag in _INLINE for d in descendants
    )


PrintedPrice = tuple[Any, str, bool, bool]  # (element, text, is_old, is_conditional)


def _printed_prices(doc: Document, lexicon: ExtractionLexicon) -> list[PrintedPrice]:
    """The page's printed prices, read once per page and lexicon: the current, the old and the
    conditional prices are all chosen from them."""
    key = (_printed_prices, lexicon)
    found: list[PrintedPrice] | None = doc.memo.get(key)
    if found is None:
        found = doc.memo[key] = list(_read_printed_prices(doc, lexicon))
    return found


def _read_printed_prices(doc: Document, lexicon: ExtractionLexicon) -> Iterator[PrintedPrice]:
    """(element, text, is_old, is_conditional) for each price-marked, inline or bare element
    after the <h1> whose text is one price, outside other products' boxes."""
    decimal_mark = "," if doc.hints.decimal_comma() else "."
    elements = doc.index.elements
    heading = next((i for i, e in enumerate(elements) if e.tag == "h1"), None)
    if heading is not None:
        inside = set(elements[heading].iter())
        elements = [e for e in elements[heading + 1 :] if e not in inside]
    for root in elements[:SCAN_ELEMENTS]:
        if root.tag in ("script", "style"):
            continue
        marked = _price_marked(root) or (
            # '<div class=price-wrapper><span class=current>1 999,-</span>': a bare number
            # alone in its own element inside a price-marked box is marked too, as is an inline
            # one split into parts ('<div data-qa=price-block><span>79<sup>,99</sup></span>')
            (len(root) == 0 or (root.tag in _INLINE and _inline_group(root)))
            and root.getparent() is not None
            and _price_marked(root.getparent())
        )
        if not (len(root) == 0 or marked or _inline_group(root)):
            continue
        own = price_text(root, decimal_mark)
        if FRACTION.match(own) or cents_part(root):  # '.49' of '£207<span>.49</span>', the
            continue  # '99' of '8<sup>99</sup>': a part, signed or not
        text = with_sign(root, with_fraction(root, own, decimal_mark))
        if marked and len(root) and not only_money(_amount_alone(text, lexicon), marked):
            # '$429.990 <small>Precio Internet</small>', '£207<span>.49</span> <small>Inc
            # VAT</small>': the amount is the box less the labels after it (read by
            # ``conditional`` for card or member words)
            text = _labelled_amount(root, decimal_mark) or text
        if len(NUMBER.findall(text)) > 1:  # 'R$ 2.199,00 em 10x de R$ 219,90': the total
            text = _INSTALMENT.sub("", text)
        if (
            len(text) <= MAX_PRICE_TEXT
            # 'Før 2 499,-', 'ab 29,99 €', 'Por R$ 1.199,99', 'R$ 1.139,99 no Pix': a list,
            # range, sale or condition word printed in the price's own element is no other word
            and only_money(_amount_alone(text, lexicon), marked)
            and not other_product(root)
            and not _in_headed_rail(root, lexicon)
            and not unchosen_option(root)
            and not discount_ratio(root)  # '79折': a ratio styled like a price
        ):
            yield root, text, is_old(root, lexicon, text), conditional(root, lexicon)


_LABEL_TAGS = frozenset({"small", "span", "em", "i", "b", "strong", "label", "sub", "img"})


def _labelled_amount(root: Any, decimal_mark: str) -> str | None:
    """The amount a price box prints before the short wordy labels that close it ('$429.990
    <small>Precio Internet</small>', '£207<span>.49</span> <small>Inc VAT</small>'), else None."""
    children = list(root)
    labels = 0
    for child in reversed(children):
        if child.tag not in _LABEL_TAGS or len(child) or (child.tail or "").strip():
            break
        if any(c.isdigit() for c in text_of(child, 60)):
            break
        labels += 1
    if not labels:
        return None
    amount = copy.deepcopy(root)
    for child in list(amount)[len(children) - labels :]:
        amount.remove(child)
    own = price_text(amount, decimal_mark)
    return own if any(c.isdigit() for c in own) else None


def _unworded(text: str, lexicon: ExtractionLexicon) -> str:
    """The amount without a list or range word printed in its own element."""
    return lexicon.from_price.sub("", lexicon.list_price.sub("", text, count=1), count=1)


def _amount_alone(text: str, lexicon: ExtractionLexicon) -> str:
    """The amount without the words that say which price it is: a list or range word, a sale word
    before it ('Por', 'Now') or a condition word ('no Pix', 'with card'), which ``conditional``
    reads so that such a price is kept aside, never taken as the price."""
    text = lexicon.sale_price.sub("", _unworded(text, lexicon), count=1)
    text = lexicon.price_label.sub("", text, count=1)
    return lexicon.conditional_price.sub(" ", text)


def _range_start(node: Any, text: str, lexicon: ExtractionLexicon) -> bool:
    """'ab 29,99 €', 'From $19', '¥199起': where a range of variants starts, not the price of the
    variant on offer when the page prints that one after it."""
    return bool(lexicon.from_price.search(text)) or word_before(node, lexicon.from_price)


def _box(node: Any) -> set[Any]:
    """The elements of the box a price is printed in: up to SALE_BOX levels above it."""
    ancestors = [a for a in islice(node.iterancestors(), SALE_BOX) if a.tag not in ("body", "html")]
    return set(ancestors[-1].iter()) if ancestors else set()


def _sale_labelled(node: Any, text: str, lexicon: ExtractionLexicon) -> bool:
    return (
        bool(lexicon.sale_price.match(text))
        or word_before(node, lexicon.sale_price)
        or word_after(node, lexicon.sale_price)  # '$ 4.990 <span>Precio Oferta</span>'
    )


def _after_deduction(first: str, box_prices: list[str]) -> str | None:
    """'Your Price $549.99', 'Savings -$100.00', 'Price $449.99': a later price in the box that is
    the first less a printed deduction is what the buyer pays."""
    start = to_price(first)
    if start is None:
        return None
    taken_off = [to_price(t) for t in box_prices if _DEDUCTION.match(t)]
    for text in box_prices:
        amount = to_price(text)
        if amount is not None and any(d and start - d == amount for d in taken_off):
            return text
    return None


def price_near_title(doc: Document, lexicon: ExtractionLexicon | None = None) -> str | None:
    """The first current price after the <h1>, unless the same price box goes on to print one
    labelled as the sale price ('价格 ¥199.00' then '促销价 ¥129.00'), or one that is the first
    less a deduction it prints ('-$100.00'): then that one. A range's starting price ('ab
    29,99 €') gives way to the selected variant's price printed after it."""
    found = read_price_near_title(doc, lexicon)
    return found[0] if found else None


def read_price_near_title(
    doc: Document, lexicon: ExtractionLexicon | None = None
) -> tuple[str, bool, bool] | None:
    """``price_near_title``, whether its box is marked as a price ('product-price-now': a marked
    box is the page's own price display, a bare number in a table may be postage) and whether
    the page labels it as its sale or offer price ('Precio Oferta')."""
    lexicon = lexicon or bundled()
    first: tuple[Any, str] | None = None
    box: set[Any] = set()
    in_box: list[str] = []
    chosen: str | None = None
    range_start: tuple[Any, str] | None = None
    conditional: set[Any] = set()  # the boxes of prices only some buyers pay
    regular: list[tuple[Any, str]] = []  # list prices not struck through
    before_first: list[tuple[Any, str]] = []  # ... printed before the first plain price
    for node, text, old, only_some in _printed_prices(doc, lexicon):
        if only_some:
            conditional.update(_box(node))
            continue
        if first is not None and node in box:
            in_box.append(text)
        if old:
            if not struck(node):
                regular.append((node, _unworded(text, lexicon).strip()))
            continue
        if first is None and _range_start(node, text, lexicon):
            range_start = range_start or (node, text)
            continue
        if first is None:
            first = node, text
            box = _box(node)
            before_first = list(regular)
            if _sale_labelled(node, text, lexicon):
                chosen = text
                break
        elif node not in box:
            break
        elif _sale_labelled(node, text, lexicon):
            chosen = text
            break
    # 'Member price 1 995:-' beside 'Regular price 2 495:-' and nothing else: the regular one
    # is what everyone else pays
    beside = next((found for found in regular if found[0] in conditional), None)
    if first is not None and first[0] not in conditional:
        # ... also where the first plain price comes after that box, outside it (a delivery
        # table's '79 kr', an accessory's card): the item's box printed no other price
        beside = next((found for found in before_first if found[0] in conditional), None)
        first = beside or first
    first = first or range_start or beside
    if first is None:
        return None
    node = first[0]
    marked = any(_price_marked(el) for el in [node, *islice(node.iterancestors(), SALE_BOX)])
    return chosen or _after_deduction(first[1], in_box) or first[1], marked, chosen is not None


def old_prices_near_title(doc: Document, lexicon: ExtractionLexicon | None = None) -> list[str]:
    """The list, 'was' and struck-through prices the page prints for this product."""
    lexicon = lexicon or bundled()
    return [
        text for _, text, old, only_some in _printed_prices(doc, lexicon) if old and not only_some
    ]


def conditional_prices_near_title(
    doc: Document, lexicon: ExtractionLexicon | None = None
) -> list[str]:
    """The prices the page prints for only some buyers (members, card or Pix payers)."""
    lexicon = lexicon or bundled()
    return [text for _, text, _, only_some in _printed_prices(doc, lexicon) if only_some]


# '1 199', '1.199' and '1,199.00' spell one amount: thousands marks and the decimal mark between
# digits go, so the page's numbers compare as digit runs ('119900').
_DIGIT_MARKS = re.compile(r"(?<=\d)[\s.,'’\u00a0\u202f](?=\d{3}(?!\d))|(?<=\d)[.,](?=\d{2}(?!\d))")


def prints_amount(doc: Document, amount: Decimal) -> bool:
    """Whether the page's visible text prints ``amount`` anywhere ('1 199,-', '$1,199.00',
    '1199 kr') outside other products' boxes: structured data stating a price the page never
    prints for this item is stale, even where a recommendation tile happens to cost it."""
    if not doc.index.elements:
        return False
    runs = set(re.findall(r"\d+", _DIGIT_MARKS.sub("", text_of(_own_page(doc)))))
    spellings = {str(int(amount.quantize(Decimal("0.01")) * 100))}
    if amount == amount.to_integral_value():
        spellings.add(str(int(amount)))
    return not runs.isdisjoint(spellings)


def _own_page(doc: Document) -> Any:
    """A copy of the body without other products' boxes (rails, carousels, related tiles) and
    reviews; the text each box's tail carries stays its parent's."""
    body = copy.deepcopy(doc.index.elements[0])
    boxes = [
        element
        for element in islice(body.iter(), 1, None)
        if isinstance(element.tag, str)
        and elsewhere(f"{element.get('id', '')} {element.get('class', '')}".lower())
    ]
    for box in boxes:
        parent = box.getparent()
        if parent is None:
            continue
        before = box.getprevious()
        tail = box.tail or ""
        if before is not None:
            before.tail = (before.tail or "") + " " + tail
        else:
            parent.text = (parent.text or "") + " " + tail
        parent.remove(box)
    return body
