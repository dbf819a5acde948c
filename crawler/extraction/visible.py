"""Last resort: what a person reads on the page (h1, a price near it, <title>, itemprop, images)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crawler.extraction import identifiers, stock, stock_button, stock_sold, stock_store
from crawler.extraction.currency import ISO_4217, currency_in_text, sign_allows
from crawler.extraction.document import text_of
from crawler.extraction.price_omnibus import lowest_price_lines
from crawler.extraction.visible_parts import images, marked, seller, site_names, strip_site
from crawler.extraction.visible_price import (
    conditional_prices_near_title,
    old_prices_near_title,
    read_price_near_title,
)

if TYPE_CHECKING:
    from crawler.extraction.document import Document
    from crawler.extraction.model import Partial

_PROP_FIELDS = {
    "price": ("price",), "currency": ("priceCurrency",), "availability": ("availability",),
    "brand": ("brand",), "mpn": ("mpn",), "description": ("description",),
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


def _hidden_price(doc: Document) -> bool:
    """Whether the first itemprop price is one no buyer sees (a <meta> or <link> tag)."""
    first = next(iter(doc.index.itemprops.get("price", [])), None)
    return first is not None and first.tag in ("meta", "link")


def _data_attr(doc: Document, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = doc.index.data.get(name)
        if value and value.strip():
            return value.strip()
    return None


_DATA_PRICES = ("data-price", "data-price-amount", "data-product-price")
DATA_PRICE_TEXT = 40


def _data_price_sign(doc: Document, amount: str | None) -> str | None:
    """'<span data-price-amount="899"><span>$899.00</span></span>': a bare data price is in the
    currency its own element prints, the sign read by the page's country ('$' on a .sg page)."""
    whole = re.match(r"\d+", amount or "")
    if amount is None or whole is None:
        return None
    for name in _DATA_PRICES:
        for element in doc.sel.root.xpath(f"//*[@{name}=$v]", v=amount)[:3]:
            text = text_of(element, DATA_PRICE_TEXT + 1)
            # the element prints this one amount ('$899.00', 'S$ 1,299'), not a card's words
            if len(text) > DATA_PRICE_TEXT or whole.group(0) not in re.sub(r"[^\d]", "", text):
                continue
            code = currency_in_text(text, doc.hints)
            if code:
                return code
    return None


# '<div data-product='{"price":829.99,"currency":"CAD"}'>': a currency a data attribute's
# JSON states for the product
_DATA_JSON_CURRENCY = re.compile(r'"(?:currency|currencyCode|priceCurrency)"\s*:\s*"([A-Z]{3})"')
DATA_JSON_ATTRIBUTES = 50


def _data_json_currency(doc: Document, price: str | None) -> str | None:
    """The one currency the page's data-attribute JSON states, where the price as printed may be
    in it (a bare '$829.99' in CAD, not '€ 12' in USD): the shop's own word on which dollar its
    '$' is, over the guess from a generic domain. Two different codes settle nothing."""
    values = doc.sel.root.xpath("//@*[starts-with(name(), 'data-')][contains(., 'urrency')]")
    codes = {
        code
        for value in values[:DATA_JSON_ATTRIBUTES]
        for code in _DATA_JSON_CURRENCY.findall(str(value))
        if code in ISO_4217
    }
    if len(codes) != 1:
        return None
    code = codes.pop()
    return code if price is None or sign_allows(code, price, doc.hints) else None


def _named(heading: Any, text: str) -> str:
    """'<h1 title="Name">Name <span>(a subtitle)</span></h1>': a title attribute the heading's
    text starts with names the product; the rest is a subtitle."""
    named = " ".join((heading.get("title") or "").split())
    return named if len(named) >= 2 and text.startswith(named) else text


_BRAND_MARK = re.compile(r"brand|designer")
SUBHEADINGS = 5
# A heading the tab title spells is the product's name when it is most of that title.
SPELLED_SHARE = 0.6


def _brand_only(heading: Any, text: str) -> bool:
    """'<h1><a class="brand">Maison X</a><p>Wool coat</p></h1>': the parser closes a heading
    before a block inside it, leaving only the brand; a heading whose whole text is one
    brand-marked element names the brand, not the product. A text longer than any brand's
    ('<span class="productBrand">Laptop X 16GB 512GB SSD 15,6"</span>', a shop's theme naming
    its product-name span so) is the product's name."""
    return len(text) <= BRAND_TEXT and any(
        _BRAND_MARK.search(" ".join(str(v) for v in el.attrib.values()).lower())
        and text_of(el, 2_000) == text
        for el in heading.iterdescendants()
    )


BRAND_TEXT = 40
SUBHEADING_TEXT = 120


def _brand_then_subheading(heading: Any, text: str) -> str | None:
    """'<h1 class="brandName">MAX MARA</h1><h2 class="microCategory">Cappotto</h2>': an <h1>
    marked as the brand, right before an <h2> naming the item, is half of the name the shop
    gives it; the two together are the product's name."""
    marks = " ".join(str(v) for v in heading.attrib.values()).lower()
    after = heading.getnext()
    if (
        len(text) > BRAND_TEXT
        or not (_BRAND_MARK.search(marks) or _brand_only(heading, text))
        or after is None
        or after.tag != "h2"
    ):
        return None
    sub = text_of(after, SUBHEADING_TEXT + 1)
    return f"{text} {sub}" if re.search(r"\w", sub) and len(sub) <= SUBHEADING_TEXT else None


def _key(text: str) -> str:
    return re.sub(r"[\W_]", "", text).lower()


# What a tab title adds around a product's name: the shop's domain in brackets ('【Shop.com】',
# '[shop.co.jp]'; a bracketed word such as '[예약판매]' may be the name's own) and a price it
# quotes ('最安値 ¥268,000', '€ 49,99', '1 299 ₽').
_TAB_EXTRAS = re.compile(
    r"[【\[][^】\]\s]{1,30}\.[a-z]{2,6}[】\]]|[¥￥$€£₩₹]\s?\d[\d.,\s]*"
    r"|\d[\d.,\s]*\s?(?:円|元|원|€|₽|zł|kr|TL)"
)


def _spelled_heading(doc: Document, page_title: str) -> str | None:
    """With no <h1>, the product heading the tab title spells ('[Brand] Name - Shop' over an
    <h2> 'Brand Name'): what the page shows as its heading, without the tab's decorations (a
    bracketed shop tag, a price the tab quotes)."""
    key = _key(_TAB_EXTRAS.sub(" ", page_title))
    for heading in [e for e in doc.index.elements if e.tag in ("h2", "h3")][:SUBHEADINGS]:
        text = text_of(heading, 2_000)
        own = _key(text)
        if own and own in key and len(own) >= SPELLED_SHARE * len(key):
            return text
    return None


def _product_heading(doc: Document, heading: Any, text: str) -> bool:
    """Whether an <h1> names the product: not a brand alone, nor the site's logo or name ('<h1
    class="logo"><a href="/">Shop</a></h1>', a heading in the page header)."""
    if _brand_only(heading, text) or text.strip().lower() in site_names(doc):
        return False
    if any(a.tag in ("header", "nav") for a in heading.iterancestors()):
        return False
    return not any(identifiers.root_link(doc.url, link.get("href")) for link in heading.iter("a"))


def title(doc: Document) -> str | None:
    """The product's name as the page shows it: its <h1>, else the tab title or a subheading."""
    return heading_title(doc)[0]


def heading_title(doc: Document) -> tuple[str | None, bool]:
    """``title`` and whether it is the page's own <h1> text (not the tab title's)."""
    titles = doc.sel.xpath("//title")
    page_title = text_of(titles[0].root, 2_000) if titles else ""
    stripped = strip_site(page_title, site_names(doc)) if page_title else None
    for heading in _top_headings(doc)[:3]:
        text = text_of(heading, 2_000)
        if re.search(r"\w", text):  # not an empty or icon-only heading; 手机 is a full title
            if stripped and _brand_only(heading, text) and stripped.startswith(f"{text} "):
                return stripped, False  # the tab title names brand and product
            named = _brand_then_subheading(heading, text)
            if named:
                return named, True
            return _named(heading, text), _product_heading(doc, heading, text)
    spelled = _spelled_heading(doc, stripped) if stripped else None
    # an <h2> the tab title also spells is the page's product heading, as an <h1> would be
    return (spelled, True) if spelled else (stripped, False)


def _top_headings(doc: Document) -> list[Any]:
    """The <h1>s, else elements marked as top-level headings for assistive technology ('<div
    role="heading" aria-level="1">'), which app-rendered pages use instead."""
    h1s = [e for e in doc.index.elements if e.tag == "h1"]
    return h1s or [
        e
        for e in doc.index.elements
        if (e.get("role") or "").lower() == "heading" and e.get("aria-level") == "1"
    ]


def _marked_text(
    doc: Document, words: tuple[str, ...], longest: int, shortest: int = 1
) -> str | None:
    for element in marked(doc, words)[:20]:
        text = text_of(element, longest + 1)
        if shortest <= len(text) <= longest:
            return text
    return None


def _without_own_code(title: str | None, code: str) -> str | None:
    """'Combi Drill (282FF)' where the page prints '282FF' under its product-code label: the
    bracketed code closing the heading is the shop's number for the item, not its name."""
    if title is None:
        return None
    pattern = rf"\s*[(（\[]\s*{re.escape(code)}\s*[)）\]]\s*$"
    bare = re.sub(pattern, "", title, flags=re.IGNORECASE)
    return bare if bare.strip() else title


def extract(doc: Document) -> Partial:
    found: Partial = {field: _itemprop(doc, names) for field, names in _PROP_FIELDS.items()}
    found["title"], found["title_is_heading"] = heading_title(doc)
    data_price = _data_attr(doc, _DATA_PRICES)
    found["price"] = found["price"] or data_price
    found["price_marked"] = found["price"] is not None  # itemprop and data-price mark it
    near = read_price_near_title(doc)
    if near is not None and (found["price"] is None or _hidden_price(doc)):
        # '<meta itemprop=price content=1399.00>' is data for machines, like JSON-LD: the price
        # the page prints for the buyer ('1.249,-') is this reader's, when it prints one
        found["price"], found["price_marked"], found["price_sale_labelled"] = near
    found["list_prices"] = old_prices_near_title(doc) + lowest_price_lines(doc)
    found["conditional_prices"] = conditional_prices_near_title(doc)
    found["currency"] = (
        found["currency"]
        or _data_attr(doc, ("data-currency", "data-price-currency"))
        or (_data_price_sign(doc, data_price) if found["price"] == data_price else None)
        or _data_json_currency(doc, found["price"])
    )
    stated = identifiers.candidates(doc)
    chosen = identifiers.choose(stated, doc.url)
    found["sku"], found["sku_votes"] = chosen if chosen else (None, 0)
    found["sku_printed"] = chosen is not None and identifiers.printed(stated, chosen[0])
    if found["sku_printed"] and found["title_is_heading"] and chosen is not None:
        found["title"] = _without_own_code(found["title"], chosen[0])
    found["brand"] = found["brand"] or _marked_text(doc, ("brand", "byline"), 100)
    found["availability"] = found["availability"] or stock.availability(doc)
    found["ships_later"] = stock.own_line_says_later(doc)
    found["buttons_unavailable"] = (
        stock.buttons_say_unavailable(doc)
        or stock.stock_line_says_unavailable(doc)
        or stock_button.buy_button_off(doc)
    )
    found["in_store_only"] = stock_store.in_store_only(doc)
    found["sold_to_buyer"] = stock_sold.sold_to_a_buyer(doc)
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
