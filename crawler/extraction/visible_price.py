"""The price a shopper sees next to the title, read the way it is printed: split across
elements (``12<sup>99</sup>``, ``<span>1.299</span><span class=cents>90</span>``), beside a
struck-through or "UVP"/"statt" list price, with the page's thousands and decimal marks; the
whole units and ',90 TL' in sibling elements are one price, a currency printed in its own element
belongs to the amount beside it, and a card, wallet or member price is not the price."""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING, Any

from crawler.extraction.currency import has_currency_mark
from crawler.extraction.document import text_of
from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.normalize import to_price

if TYPE_CHECKING:
    from crawler.extraction.document import Document

SCAN_ELEMENTS = 400
MAX_PRICE_TEXT = 40
INLINE_DESCENDANTS = 8
LIST_WORD = 30  # "UVP", "statt", "Was:" printed in the element before a price
PRICE_NODES = 32  # a printed price is a few elements; a bigger box is not read as one price
_OLD_PRICE = re.compile(
    r"was|old|list|strike|compare|regular|origin|msrp|before|save|saving|previous|striked|"
    r"reference|uvp"
)
_OLD_TAGS = frozenset({"s", "del", "strike"})
_ELSEWHERE = re.compile(r"recommend|related|similar|sponsor|also|carousel|review|footer")
_INLINE = frozenset({"span", "sup", "sub", "b", "strong", "i", "em", "small", "bdi", "data",
                     "ins", "font", "abbr"})  # fmt: skip
_MINOR_PART = re.compile(r"cent|fraction-?decimal|decimal|minor|fractional|(?<![a-z])frac")
_NUMBER = re.compile(r"\d[\d.,'\s]*")
_NOTE = re.compile(r"[(（\[【][^)）\]】]{0,20}[)）\]】]")
# '179€99' (cents after the sign, as French shops print): the cents belong before the sign.
_SIGN_CENTS = re.compile(r"(\d)\s*([€£$])\s*(\d{2})(?!\d)")


# 'currentPriceBeforePoint': the whole units, before the decimal point, not an earlier price.
_POINT_PART = re.compile(
    r"(?:before|after)[-_ ]?(?:the[-_ ]?)?(?:decimal[-_ ]?)?(?:point|comma|dot)"
)
# ',90 TL' is the fraction of a price split across elements, never a price on its own.
_FRACTION = re.compile(r"^\s*[.,]\d{1,2}(?!\d)")
_WHOLE = re.compile(r"^(?:\d{1,3}(?:[\s.,'’]\d{3})+|\d+)$")
CONDITION_TEXT = 40
SIGN_TEXT = 6  # a currency printed alone: '€', 'درهم', 'US $'
CONDITION_LEVELS = 3


def _attrs(element: Any) -> str:
    text = " ".join(f"{k} {v}" for k, v in element.attrib.items()).lower()
    return _POINT_PART.sub(" ", text)


def price_text(element: Any, decimal_mark: str) -> str:
    """The printed price, with a decimal mark put back where markup alone separates the cents:
    a ``<sup>`` or a cents-marked element right after the whole units. A box of more than
    PRICE_NODES elements is not one printed price: it reads as empty."""
    if len(list(islice(element.iter(), PRICE_NODES + 1))) > PRICE_NODES:
        return ""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript"):
            return
        text = node.text or ""
        minor = node.tag == "sup" or bool(_MINOR_PART.search(_attrs(node)))
        so_far = "".join(parts).rstrip()
        if minor and so_far[-1:].isdigit() and text.strip()[:2].isdigit():
            parts.append(decimal_mark)
        parts.append(text)
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    text = " ".join("".join(parts).split())
    return _SIGN_CENTS.sub(rf"\1{decimal_mark}\3 \2", text)


def _printed_before(node: Any) -> str:
    """The text right before an element: its previous sibling's, else its parent's own."""
    previous = node.getprevious()
    if previous is not None:
        return f"{text_of(previous, LIST_WORD)} {previous.tail or ''}".strip()
    parent = node.getparent()
    return (parent.text or "").strip() if parent is not None else ""


def _not_current(node: Any, lexicon: ExtractionLexicon, text: str) -> bool:
    """A struck-through/'was'/'UVP' price (the word in it or just before it), one containing
    such a price, or one in another product box."""
    before = _printed_before(node)
    word_before = len(before) <= LIST_WORD and not any(c.isdigit() for c in before)
    if lexicon.list_price.match(text) or (word_before and lexicon.list_price.match(before)):
        return True
    if any(el.tag in _OLD_TAGS or _OLD_PRICE.search(_attrs(el)) for el in node.iter()):
        return True
    ancestors = list(node.iterancestors())
    if any(el.tag in _OLD_TAGS or _OLD_PRICE.search(_attrs(el)) for el in ancestors[:3]):
        return True
    return any(_ELSEWHERE.search(f"{el.get('id', '')} {el.get('class', '')}") for el in ancestors)


def _conditional(node: Any, lexicon: ExtractionLexicon) -> bool:
    """A price only some buyers pay: a card, wallet, member or basket word in the small box that
    holds this one price alone, or in the words printed right after it ('1 260 ₽ с Кошельком')."""
    texts = []
    following = node.getnext()
    if following is not None:
        after = text_of(following, CONDITION_TEXT + 1)
        if len(after) <= CONDITION_TEXT and not any(c.isdigit() for c in after):
            texts.append(after)
    box = node
    for _ in range(CONDITION_LEVELS):
        text = text_of(box, CONDITION_TEXT * 3)
        if len(_NUMBER.findall(text)) > 1:
            break
        texts.append(text)
        box = box.getparent()
        if box is None:
            break
    return any(lexicon.conditional_price.search(t) for t in texts)


def _with_fraction(node: Any, text: str, decimal_mark: str) -> str:
    """'849' then ',90 TL' in the next element: one price, '849,90 TL'."""
    following = node.getnext()
    if following is None or not _WHOLE.match(text.strip()) or (node.tail or "").strip():
        return text
    rest = price_text(following, decimal_mark)
    return f"{text}{rest.strip()}" if _FRACTION.match(rest) else text


def _with_sign(node: Any, text: str) -> str:
    """'<span class=currency>درهم</span> <span class=amount>1,249.00</span>': a bare amount takes
    the currency printed alone in the element right before or after it."""
    if has_currency_mark(text):
        return text
    for near, before in ((node.getprevious(), True), (node.getnext(), False)):
        if near is None or (not before and (node.tail or "").strip()):
            continue
        sign = text_of(near, SIGN_TEXT + 1)
        if (
            len(sign) <= SIGN_TEXT
            and not any(c.isdigit() for c in sign)
            and has_currency_mark(sign)
        ):
            return f"{sign} {text}" if before else f"{text} {sign}"
    return text


def only_money(text: str, price_marked: bool = False) -> bool:
    """'$19.99', 'US $12.34', '促销价 ¥ 399.00', '12,800円（税込）': one amount and its currency,
    at most a short word; a bare number only where the markup says it is the price. A lone
    fraction (',90 TL') is not a price."""
    if _FRACTION.match(text):
        return False
    text = _NOTE.sub(" ", text)
    words = _NUMBER.sub(" ", text).split()
    return (
        len(_NUMBER.findall(text)) == 1
        and (has_currency_mark(text) or (price_marked and not words))
        and sum(len(w) for w in words) <= 4
        and to_price(text) is not None
    )


def _inline_group(element: Any) -> bool:
    """A few inline elements printing one value: '<div><span>1 299,</span><span>00</span> zł'."""
    descendants = list(element.iterdescendants())
    return 0 < len(descendants) <= INLINE_DESCENDANTS and all(
        isinstance(d.tag, str) and d.tag in _INLINE for d in descendants
    )


def price_near_title(doc: Document, lexicon: ExtractionLexicon | None = None) -> str | None:
    """The first price-marked, inline or bare element after the <h1> whose text is one price."""
    lexicon = lexicon or bundled()
    decimal_mark = "," if doc.hints.decimal_comma() else "."
    elements = doc.index.elements
    heading = next((i for i, e in enumerate(elements) if e.tag == "h1"), None)
    if heading is not None:
        inside = set(elements[heading].iter())
        elements = [e for e in elements[heading + 1 :] if e not in inside]
    for root in elements[:SCAN_ELEMENTS]:
        if root.tag in ("script", "style"):
            continue
        attrs = " ".join(str(v) for v in root.attrib.values()).lower()
        marked = "price" in attrs or "amount" in attrs
        if not (len(root) == 0 or marked or _inline_group(root)):
            continue
        text = _with_fraction(root, price_text(root, decimal_mark), decimal_mark)
        text = _with_sign(root, text)
        if (
            len(text) <= MAX_PRICE_TEXT
            and only_money(text, marked)
            and not _not_current(root, lexicon, text)
            and not _conditional(root, lexicon)
        ):
            return text
    return None
