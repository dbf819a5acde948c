"""How one printed price reads as text: split across elements (``12<sup>99</sup>``,
``<span>1.299</span><span class=cents>90</span>``, '89<span>,</span><span>99</span>'), with a
currency printed in its own element beside it, and whether a text is one amount and its
currency at most with a short word ('549,-' is whole units, ',90 TL' only a fraction)."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from crawler.extraction.currency import has_currency_mark
from crawler.extraction.document import text_of
from crawler.extraction.normalize import to_price
from crawler.extraction.price_marks import attrs

MAX_PRICE_TEXT = 40
PRICE_NODES = 32  # a printed price is a few elements; a bigger box is not read as one price
_MINOR_PART = re.compile(r"cent|fraction-?decimal|decimal|minor|fractional|(?<![a-z])frac")
NUMBER = re.compile(r"\d[\d.,'\s]*")
_NOTE = re.compile(r"[(（\[【][^)）\]】]{0,20}[)）\]】]")
# '179€99' (cents after the sign, as French shops print): the cents belong before the sign.
_SIGN_CENTS = re.compile(r"(\d)\s*([€£$])\s*(\d{2})(?!\d)")

# ',90 TL' is the fraction of a price split across elements, never a price on its own.
FRACTION = re.compile(r"^\s*[.,]\d{1,2}(?!\d)")
# Two digits alone in their own element after the whole units are the cents: '$<b>149</b><b>00</b>'.
_CENTS = re.compile(r"^\s*\d{2}\s*$")
# '549,-', '16 990,–' and the Swedish '4 990:-': whole units with a dash for the cents, not a
# word beside the price.
_DASH_CENTS = re.compile(r"(?<=\d)[.,:]\s?[-–—]+")
# '89<span>,</span><span>99</span>': the decimal mark printed in an element of its own.
_MARK_ALONE = re.compile(r"^\s*[.,]\s*$")
_WHOLE = re.compile(r"^(?:\d{1,3}(?:[\s.,'’]\d{3})+|\d+)$")
SIGN_TEXT = 6  # a currency printed alone: '€', 'درهم', 'US $'
# The first word after an element: '元' of '元（另購）', 'Kč' of 'Kč s DPH'.
_FIRST_WORD = re.compile(r"^\s*([^\d\s()（）\[\]]{1,6})(?![^\d\s()（）\[\]])")
# '<b>79</b>折' (pay 79 %, in Chinese), '<span>20</span>%': a discount ratio styled like a price.
_RATIO_AFTER = re.compile(r"^\s*(?:折|%|％)")
RATIO_LEVELS = 2  # the ratio mark may close the box the number's own element sits in


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
        minor = (
            node.tag == "sup"
            or bool(_MINOR_PART.search(attrs(node)))
            or (node is not element and len(node) == 0 and bool(_CENTS.match(text)))
        )
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


def _minor(node: Any) -> bool:
    """A superscript or cents-marked element: where a split price prints its cents."""
    return node.tag == "sup" or bool(_MINOR_PART.search(attrs(node)))


def cents_part(node: Any) -> bool:
    """'<span>8</span><sup>99</sup>': the superscript cents right after a whole number's own
    element are a part of that price, not a price of their own."""
    previous = node.getprevious()
    return (
        _minor(node)
        and bool(_CENTS.match(node.text or "") and len(node) == 0)
        and previous is not None
        and not (previous.tail or "").strip()
        and bool(_WHOLE.match(text_of(previous, MAX_PRICE_TEXT).strip()))
    )


def with_fraction(node: Any, text: str, decimal_mark: str) -> str:
    """'849' then ',90 TL' in the next element: one price, '849,90 TL'; '89', ',' and '99' in
    three elements are one too, as are '8' and a superscript '99' ('8<sup>99</sup> €'). A
    currency printed alone right after the cents joins it."""
    following = node.getnext()
    if following is None or not _WHOLE.match(text.strip()) or (node.tail or "").strip():
        return text
    if cents_part(following):
        return with_sign(following, f"{text.strip()}{decimal_mark}{following.text.strip()}")
    rest = price_text(following, decimal_mark)
    if _MARK_ALONE.match(rest) and not (following.tail or "").strip():
        cents = following.getnext()
        digits = price_text(cents, decimal_mark).strip() if cents is not None else ""
        if not (digits.isdigit() and len(digits) <= 2):
            return text
        joined = f"{text.strip()}{rest.strip()}{digits}"
        return with_sign(cents, joined)
    return f"{text}{rest.strip()}" if FRACTION.match(rest) else text


def with_sign(node: Any, text: str) -> str:
    """'<span class=currency>درهم</span> <span class=amount>1,249.00</span>': a bare amount takes
    the currency printed alone in the element right before or after it, or as the first word
    after it ('<strong>356</strong>元（另購）')."""
    if has_currency_mark(text):
        return text
    word = _FIRST_WORD.match(node.tail or "")
    if word and has_currency_mark(word.group(1)):
        return f"{text} {word.group(1)}"
    for near, before in ((node.getprevious(), True), (node.getnext(), False)):
        if near is None or (not before and (node.tail or "").strip()):
            continue
        # the whole element, not its start: a price box opening with 'CHF' is no sign alone
        sign = text_of(near, MAX_PRICE_TEXT)
        if (
            len(sign) <= SIGN_TEXT
            and not any(c.isdigit() for c in sign)
            and has_currency_mark(sign)
        ):
            return f"{sign} {text}" if before else f"{text} {sign}"
    return text


def discount_ratio(node: Any) -> bool:
    """Whether a number is printed as a discount ratio ('<strong class=price><b>79</b></strong>折',
    '<b>20</b><i>%</i>'): the text right after it, or after the box it closes, is a ratio mark."""
    for element in [node, *islice(node.iterancestors(), RATIO_LEVELS)]:
        tail = element.tail or ""
        if tail.strip():
            return bool(_RATIO_AFTER.match(tail))
        following = element.getnext()
        if following is not None:
            return bool(_RATIO_AFTER.match(text_of(following, 3)))
    return False


# '17,98 €/kg', '₹0.38/g', '$3.99 / lb', '2,50 € / 100 g', 'R$ 99/mês': a price per unit of
# weight, volume or time, never the item's price. Per piece ('29,99 €/Stück', '$3.98/ea',
# '4,99 zł/szt.', '99 ₽/шт') is the item's own price: the item is the piece.
_PER_PIECE = (
    r"st|stk|stck|stück|ea|each|pc|pcs|piece|unit|item|pz|pza|ud|uds|und|unid|szt|шт|ks|kus"
    r"|kpl|db|buc|kom|adet|pack|pk|個|件|개|本|枚|ชิ้น"
)
_PER_UNIT = re.compile(
    rf"/\s*(?!(?:{_PER_PIECE})\.?\s*$)(?:\d+(?:[.,]\d+)?\s*)?[^\W\d_]{{1,5}}[²³]?\.?\s*$",
    re.IGNORECASE,
)
_PER_PIECE_SUFFIX = re.compile(rf"\s*/\s*(?:{_PER_PIECE})\.?\s*$", re.IGNORECASE)
# 'R-32', 'A-10': letters joined to a number by a hyphen are a code (a refrigerant, a model),
# not a sign before an amount
_CODE_HYPHEN = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}-\d")


def only_money(text: str, price_marked: bool = False) -> bool:
    """'$19.99', 'US $12.34', '促销价 ¥ 399.00', '12,800円（税込）': one amount and its currency,
    at most a short word; a bare number only where the markup says it is the price. A lone
    fraction (',90 TL') or a price per unit ('17,98 €/kg') is not a price; one per piece
    ('0,39 €/Stück') is."""
    if FRACTION.match(text) or _PER_UNIT.search(text) or _CODE_HYPHEN.match(text.strip()):
        return False
    text, dashed = _DASH_CENTS.subn("", _NOTE.sub(" ", _PER_PIECE_SUFFIX.sub("", text)))
    words = NUMBER.sub(" ", text).split()
    return (
        len(NUMBER.findall(text)) == 1
        # '1.249,-' alone is a price as printed in Scandinavia: the dash is where cents would be
        and (has_currency_mark(text) or ((price_marked or dashed > 0) and not words))
        and sum(len(w) for w in words) <= 4
        and to_price(text) is not None
    )
