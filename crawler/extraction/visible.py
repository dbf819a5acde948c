"""Last resort: what a person reads on the page (h1, a price near it, <title>, itemprop, images)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crawler.extraction.currency import has_currency_mark
from crawler.extraction.document import text_of
from crawler.extraction.normalize import to_price
from crawler.extraction.visible_parts import images, marked, seller, site_names, strip_site

if TYPE_CHECKING:
    from crawler.extraction.document import Document
    from crawler.extraction.model import Partial

SCAN_ELEMENTS = 400
_OLD_PRICE = re.compile(r"was|old|list|strike|compare|regular|original|msrp|before|save|saving")
_OLD_TAGS = frozenset({"s", "del", "strike"})
_ELSEWHERE = re.compile(r"recommend|related|similar|sponsor|also|carousel|review|footer")
_NUMBER = re.compile(r"\d[\d.,'\s]*")
_PROP_FIELDS = {
    "price": ("price",), "currency": ("priceCurrency",), "availability": ("availability",),
    "brand": ("brand",), "sku": ("sku",), "mpn": ("mpn",), "description": ("description",),
    "gtin": ("gtin13", "gtin", "gtin12", "gtin14", "gtin8"),
}  # fmt: skip


def _itemprop(doc: Document, names: tuple[str, ...]) -> str | None:
    """An itemprop value even outside an itemscope (microdata proper handles scoped ones)."""
    for name in names:
        for element in doc.index.itemprops.get(name, [])[:5]:
            attrs = element.attrib
            value = attrs.get("content") or attrs.get("href") or text_of(element, 5_000)
            if value and value.strip():
                return value.strip()
    return None


def _data_attr(doc: Document, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = doc.index.data.get(name)
        if value and value.strip():
            return value.strip()
    return None


def _attrs(element: Any) -> str:
    return " ".join(f"{k} {v}" for k, v in element.attrib.items()).lower()


def _not_current_price(node: Any) -> bool:
    """A struck-through/'was' price, one containing such a price, or one in another product box."""
    if any(el.tag in _OLD_TAGS or _OLD_PRICE.search(_attrs(el)) for el in node.iter()):
        return True
    ancestors = list(node.iterancestors())
    if any(el.tag in _OLD_TAGS or _OLD_PRICE.search(_attrs(el)) for el in ancestors[:3]):
        return True
    return any(_ELSEWHERE.search(f"{el.get('id', '')} {el.get('class', '')}") for el in ancestors)


def _only_money(text: str) -> bool:
    """'$19.99', 'US $12.34', '促销价 ¥ 399.00': one amount and its currency, at most a word."""
    words = _NUMBER.sub(" ", text).split()
    return (
        len(_NUMBER.findall(text)) == 1
        and has_currency_mark(text)
        and sum(len(w) for w in words) <= 4
        and to_price(text) is not None
    )


def price_near_title(doc: Document) -> str | None:
    """The first price-marked (or bare) element after the <h1> whose whole text is one price."""
    elements = doc.index.elements
    heading = next((i for i, e in enumerate(elements) if e.tag == "h1"), None)
    if heading is not None:
        inside = set(elements[heading].iter())
        elements = [e for e in elements[heading + 1 :] if e not in inside]
    for root in elements[:SCAN_ELEMENTS]:
        if root.tag in ("script", "style"):
            continue
        leaf = len(root) == 0
        attrs = " ".join(str(v) for v in root.attrib.values()).lower()
        if not (leaf or "price" in attrs or "amount" in attrs):
            continue
        text = text_of(root, 200)
        if len(text) <= 40 and _only_money(text) and not _not_current_price(root):
            return text
    return None


def title(doc: Document) -> str | None:
    for heading in [e for e in doc.index.elements if e.tag == "h1"][:3]:
        text = text_of(heading, 2_000)
        if re.search(r"\w", text):  # not an empty or icon-only heading; 手机 is a full title
            return text
    titles = doc.sel.xpath("//title")
    page_title = text_of(titles[0].root, 2_000) if titles else ""
    return strip_site(page_title, site_names(doc)) if page_title else None


def _marked_text(
    doc: Document, words: tuple[str, ...], longest: int, shortest: int = 1
) -> str | None:
    for element in marked(doc, words)[:20]:
        text = text_of(element, longest + 1)
        if shortest <= len(text) <= longest:
            return text
    return None


def extract(doc: Document) -> Partial:
    found: Partial = {field: _itemprop(doc, names) for field, names in _PROP_FIELDS.items()}
    found["title"] = title(doc)
    found["price"] = (
        found["price"]
        or _data_attr(doc, ("data-price", "data-price-amount", "data-product-price"))
        or price_near_title(doc)
    )
    found["currency"] = found["currency"] or _data_attr(
        doc, ("data-currency", "data-price-currency")
    )
    found["sku"] = found["sku"] or _data_attr(doc, ("data-sku", "data-product-sku"))
    found["brand"] = found["brand"] or _marked_text(doc, ("brand", "byline"), 100)
    found["availability"] = found["availability"] or _marked_text(
        doc, ("availability", "stock", "inventory"), 100
    )
    found["description"] = (
        found["description"]
        or _marked_text(
            doc, ("productdescription", "product-description", "description"), 50_000, 20
        )
        or doc.sel.xpath("//meta[@name='description']/@content").get()
    )
    found["images"] = images(doc)
    found["seller"] = seller(doc)
    return found
