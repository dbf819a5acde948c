"""Tie the extractors together: first valid value per field, by a fixed order of trust.

Precedence, most trusted first (each extractor returns only what it found):

1. ``jsonld``          schema.org JSON-LD: written for machines, so the most precise
2. ``microdata``       schema.org microdata (itemscope/itemprop)
3. ``opengraph``       og:/product:/twitter: meta tags
4. ``embedded_state``  the page's own JSON state (__NEXT_DATA__, window.runParams, ...)
5. ``selectors``       the marketplace profile's CSS/XPath selectors
6. ``visible``         heuristics on the visible page (h1, a price near it, <title>, images)

A value only counts if it passes its sanity check (a price is a positive decimal, a currency a
valid ISO 4217 code, availability a schema.org name, a GTIN 8/12/13/14 digits, URLs absolute
http(s)); otherwise the next source is asked. The currency is taken from the source that gave
the price when it can be (declared, or the symbol printed with the price), so amount and
currency describe the same offer. The SKU is the exception to "first valid value": it is the
value most sources agree on (see ``identifiers``), since pages often state a variant's or a
marketplace's code in structured data and their own item number in the visible page; the id
the page prints under an identifier label wins over structured data unless two structured
sources agree on another.
Structured data is also overruled where it is stale or about other offers: an AggregateOffer's
low price gives way to the price the page prints within its range (the low end is often another
seller's), a structured price the page prints struck through or as its list price ("Was",
"MRP") to the current price it prints beside it, a structured price the page prints nowhere
to the price the page prints after its title, and a structured "InStock" to the page's own
sold-out or notify-me button. A price printed with no currency at all is in the currency every
other amount on the page is printed in, else that of the page's country. The title is the
page's own product heading (<h1>) where it names the product otherwise than structured data;
structured names fill in where there is no usable heading (see ``heading_title``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crawler.extraction import embedded_state, jsonld, microdata, opengraph, selectors, visible
from crawler.extraction.contacts import page_contacts
from crawler.extraction.currency import currency_in_text, one_printed_currency, to_currency
from crawler.extraction.document import parse_document, text_of
from crawler.extraction.errors import ProfileSelectorError
from crawler.extraction.heading_title import heading_title
from crawler.extraction.identifiers import identifier_key, in_url_path
from crawler.extraction.model import (
    JSON_SOURCES,
    STRUCTURED,
    ExtractedListing,
    ExtractedSeller,
    Partial,
)
from crawler.extraction.normalize import (
    MAX_TITLE,
    absolute_url,
    clean_brand,
    clean_description,
    clean_text,
    format_price,
    seller_id_from_url,
    to_availability,
    to_gtin,
    to_images,
    to_price,
)
from crawler.extraction.price_ranges import copies_range_low
from crawler.extraction.visible_price import prints_amount

if TYPE_CHECKING:
    from collections.abc import Callable

    from config.profile import FieldSelectors
    from crawler.extraction.document import Document

log = logging.getLogger(__name__)

_JSON_SOURCES = JSON_SOURCES
_STRUCTURED = STRUCTURED


def _text_checks(unescape: bool) -> dict[str, Callable[[Any], Any]]:
    return {
        "title": lambda v: clean_text(v, MAX_TITLE, unescape=unescape),
        "description": lambda v: clean_description(v, unescape=unescape),
        "brand": clean_brand,
        "availability": to_availability,
        "sku": lambda v: clean_text(v, 200, unescape=unescape),
        "gtin": to_gtin,
        "mpn": lambda v: clean_text(v, 200, unescape=unescape),
        "category": lambda v: clean_text(v, MAX_TITLE, unescape=unescape),
    }


def _seller(value: object, doc: Document, unescape: bool) -> ExtractedSeller | None:
    if not isinstance(value, dict):
        return None
    url = absolute_url(value.get("url"), doc.base)
    ident = clean_text(value.get("id"), 200) or seller_id_from_url(url)
    name = clean_text(value.get("name"), 200, unescape=unescape)
    contacts = {
        key: text
        for key, raw in (("email", value.get("email")), ("phone", value.get("telephone")))
        if (text := clean_text(raw, 200, unescape=unescape))
    }
    if not (name or ident):
        return None
    return ExtractedSeller(name=name, id=ident, url=url, contacts=contacts)


def _agreed_sku(partials: list[tuple[str, Partial]], url: str) -> tuple[str, str] | None:
    """The SKU most sources agree on (a source's own agreement counts: ``sku_votes``), the most
    trusted source first among equals; a structured value the URL path spells gains a vote."""
    votes: dict[str, int] = {}
    first: dict[str, tuple[str, str]] = {}
    structured: dict[str, int] = {}
    printed: tuple[str, str] | None = None
    makers = _makers_codes(partials)
    for source, found in partials:
        value = clean_text(found.get("sku"), 200, unescape=source in _JSON_SOURCES)
        if value is None:
            continue
        key = identifier_key(value)
        if key in makers:
            continue
        own = found.get("sku_votes")
        weight = own if isinstance(own, int) and own > 0 else 1 + in_url_path(value, url)
        votes[key] = votes.get(key, 0) + weight
        first.setdefault(key, (value, source))
        if source in _STRUCTURED:
            structured[key] = structured.get(key, 0) + 1
        elif found.get("sku_printed") is True:
            printed = printed or (value, source)
    if not votes:
        return None
    if printed is not None and _printed_stands(identifier_key(printed[0]), partials, structured):
        return printed
    best = max(votes.values())
    return next(first[key] for key in first if votes[key] == best)


def _makers_codes(partials: list[tuple[str, Partial]]) -> set[str]:
    """Codes structured data names the manufacturer's part number ('mpn') and never its SKU:
    a style code a resale page prints under '货号' / 'Style' is the brand's, not the shop's."""
    keyed = {
        field: {
            identifier_key(value)
            for source, found in partials
            if source in _STRUCTURED and isinstance(value := found.get(field), str)
        }
        for field in ("mpn", "sku")
    }
    return keyed["mpn"] - keyed["sku"]


def _printed_stands(
    key: str, partials: list[tuple[str, Partial]], structured: dict[str, int]
) -> bool:
    """Whether the id the page prints under an identifier label stands against structured data:
    what the page shows the buyer as its number beats a structured variant code, internal id or
    URL key ('B&H # KOZ8B' over JSON-LD '1823456-REG'), unless two structured sources agree on
    another, or a profile selector (the marketplace's own configuration) says otherwise."""
    if any(count >= 2 for other, count in structured.items() if other != key):
        return False
    return not any(
        source not in _STRUCTURED
        and found.get("sku_printed") is not True
        and isinstance(found.get("sku"), str)
        and identifier_key(found["sku"]) != key
        for source, found in partials
    )


_BUY_NOW = frozenset({"InStock", "LimitedAvailability", "OnlineOnly"})
_LATER_OUTRANKS = _BUY_NOW | {"OutOfStock"}


def _page_price_in_range(found: Partial, partials: list[tuple[str, Partial]]) -> bool:
    """Whether a price range (AggregateOffer low..high) holds a price another source read off
    the page: then the page's price is this offer's, and the range's low end another seller's."""
    low, high = to_price(found.get("price")), to_price(found.get("price_high"))
    if low is None or high is None or high <= low:
        return False
    for _, other in partials:
        price = to_price(other.get("price")) if other is not found else None
        if price is not None and other.get("price_high") is None and low <= price <= high:
            return True
    return False


def _page_prints_as_old(source: str, found: Partial, partials: list[tuple[str, Partial]]) -> bool:
    """Whether a structured price is one the page prints struck through or as a list ('Was',
    'MRP') price, or as a price only some buyers pay (members, Pix), while it prints another as
    the current one: then it is stale, the list price or a conditional one, and the page's
    current price is the offer's."""
    price = to_price(found.get("price"))
    if source not in _STRUCTURED or price is None:
        return False
    for _, other in partials:
        olds = [*(other.get("list_prices") or []), *(other.get("conditional_prices") or [])]
        now = to_price(other.get("price"))
        if (
            olds
            and now is not None
            and now != price
            and any(to_price(old) == price for old in olds)
        ):
            return True
    return False


def _page_prints_another(
    source: str, found: Partial, partials: list[tuple[str, Partial]], doc: Document
) -> bool:
    """Whether a structured price is one the page prints nowhere while the page's own reader
    read another current price after the product's title, in a box marked as a price: then the
    structured one is stale ('1199' in JSON-LD, '1 299,-' on the page) and the buyer pays the
    printed one. A page with no <h1> (an empty shell filled by scripts), or a bare number in an
    unmarked cell (postage in a table), gives its reader too little to overrule with."""
    price = to_price(found.get("price"))
    if source not in _STRUCTURED or price is None or found.get("price_high") is not None:
        return False
    read = [
        (to_price(other.get("price")), other.get("price_marked") is not False, other)
        for name, other in partials
        if name not in _STRUCTURED
    ]
    printed, marked, reader = next(
        ((p, m, o) for p, m, o in read if p is not None), (None, False, {})
    )
    if not marked or printed in (None, price):
        return False
    if not any(element.tag == "h1" for element in doc.index.elements):
        # a shell page's reader may have read anything, but not the state's amount in cents
        return _in_minor_units(found.get("price"), printed)
    # '749' in page state where the page prints '7,49': the state's amount is in cents; the
    # first of several variants' offers (30 ml) is not the variant the page shows chosen
    return (
        not prints_amount(doc, price)
        or _in_minor_units(found.get("price"), printed)
        or _several_variants(found)
        # the price the page labels as its offer ('$ 4.990 Precio Oferta') over another it
        # prints beside it (a store card's '$ 4.190 Precio CMR')
        or reader.get("price_sale_labelled") is True
    )


def _several_variants(found: Partial) -> bool:
    """Whether structured data priced several offers differently (variants: sizes, colours):
    its first offer is one of them, the price the page prints beside the title the chosen one's."""
    count = found.get("offer_prices")
    return isinstance(count, int) and count > 1


def _in_minor_units(raw: object, printed: Decimal | None) -> bool:
    """Whether a structured whole number is the printed price in cents (749 for 7,49): state
    often keeps amounts in minor units without saying so in its key."""
    return (
        isinstance(raw, int)
        and not isinstance(raw, bool)
        and printed is not None
        and printed != printed.to_integral_value()
        and Decimal(raw) == printed * 100
    )


PAGE_TEXT = 20_000  # the amounts a page prints around its product, not a whole catalogue


def _page_text(doc: Document) -> str:
    return text_of(doc.index.elements[0], PAGE_TEXT) if doc.index.elements else ""


def combine(partials: list[tuple[str, Partial]], doc: Document) -> ExtractedListing:
    """One listing from the extractors' partial results, ``partials`` in precedence order."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}

    def take(field: str, source: str, value: object) -> None:
        if field not in values and value not in (None, "", [], ()):
            values[field], sources[field] = value, source

    take("title", "visible", heading_title(partials))
    for source, found in partials:
        unescape = source in _JSON_SOURCES
        for field, check in _text_checks(unescape).items():
            if field != "sku" and not (field == "title" and found.get("title_is_search_title")):
                take(field, source, check(found.get(field)))
        take("images", source, tuple(to_images(found.get("images"), doc.base)))
        take("seller", source, _seller(found.get("seller"), doc, unescape))
        if (
            "price" not in values
            and to_price(found.get("price")) is not None
            and not _page_price_in_range(found, partials)
            and not (source in _STRUCTURED and copies_range_low(found, partials))
            and not _page_prints_as_old(source, found, partials)
            and not _page_prints_another(source, found, partials, doc)
        ):
            take("price", source, to_price(found.get("price")))
            price_raw = found.get("price")
            printed = currency_in_text(price_raw, doc.hints) if isinstance(price_raw, str) else None
            take("currency", source, to_currency(found.get("currency"), doc.hints) or printed)
    for source, found in partials:  # a search title copied into og:title only as a last resort
        take("title", source, clean_text(found.get("title"), MAX_TITLE))
    if values.get("availability") in _BUY_NOW and any(
        found.get("buttons_unavailable") is True for _, found in partials
    ):  # the page's own sold-out button outranks structured data left saying "InStock"; a
        # one-off item's 'This item has sold' says it is gone for good
        sold = any(f.get("sold_to_buyer") is True for s, f in partials if s == "visible")
        gone = "SoldOut" if sold else "OutOfStock"
        values["availability"], sources["availability"] = gone, "visible"
    later = next((f.get("ships_later") for s, f in partials if s == "visible"), None)
    if values.get("availability") in _LATER_OUTRANKS and isinstance(later, str):
        # the item's own 'Pre-order' / 'Expected in stock' line outranks a feed's "InStock", or
        # an "OutOfStock" (a feed's, or one sold-out colour's) for an item one can order ahead
        values["availability"], sources["availability"] = later, "visible"
    if any(f.get("in_store_only") is True for s, f in partials if s == "visible"):
        # sold in a store only ('Online nicht lieferbar', 'Im Markt verfügbar'): not out of stock
        values["availability"], sources["availability"] = "InStoreOnly", "visible"
    sku = _agreed_sku(partials, doc.url)
    if sku is not None:
        values["sku"], sources["sku"] = sku
    for source, found in partials:  # no currency with the price: any source's declared one
        take("currency", source, to_currency(found.get("currency"), doc.hints))
    for source, found in partials:  # ... else one printed beside another source's price
        if isinstance(found.get("price"), str):
            take("currency", source, currency_in_text(found["price"], doc.hints))
    if "price" in values:  # a price printed with no sign at all: the one currency every other
        # amount on the page is printed in, else the page's country's currency
        take("currency", "visible", one_printed_currency(_page_text(doc)))
        take("currency", "visible", doc.hints.home_currency())
    seller = values.get("seller")
    if isinstance(seller, ExtractedSeller):  # messenger handles and numbers the page prints
        extra = {k: v for k, v in page_contacts(doc).items() if k not in seller.contacts}
        if extra:
            values["seller"] = replace(seller, contacts={**seller.contacts, **extra})
    price = values.get("price")
    return ExtractedListing(
        url=doc.url,
        price=format_price(price, values.get("currency")) if price is not None else None,
        sources=sources,
        **{k: v for k, v in values.items() if k != "price"},
    )


def run_extractors(
    doc: Document, field_selectors: FieldSelectors | None
) -> list[tuple[str, Partial]]:
    """Every extractor's partial result, in precedence order; one failing never stops the rest."""
    extractors: list[tuple[str, Callable[[Document], Partial]]] = [
        ("jsonld", jsonld.extract),
        ("microdata", microdata.extract),
        ("opengraph", opengraph.extract),
        ("embedded_state", embedded_state.extract),
    ]
    if field_selectors is not None:
        extractors.append(("selectors", lambda d: selectors.extract(d, field_selectors)))
    extractors.append(("visible", visible.extract))
    partials = []
    for name, extract in extractors:
        try:
            partials.append((name, extract(doc)))
        except ProfileSelectorError:
            raise
        except Exception:  # hostile pages find bugs: log it, keep what the others found
            log.warning("%s extractor failed on %s", name, doc.url, exc_info=True)
    return partials


def extract_listing(
    html: str | bytes,
    url: str,
    selectors: FieldSelectors | None = None,
    *,
    encoding: str | None = None,
) -> ExtractedListing:
    """Extract one listing page; pass the HTTP charset as ``encoding`` when there was one.

    Never raises on page content (broken, huge, empty or mis-encoded pages give what can be
    found); raises ProfileSelectorError if a profile selector is invalid.
    """
    doc = parse_document(html, url, encoding)
    return combine(run_extractors(doc, selectors), doc)
