"""Map a schema.org Product (JSON-LD shape; microdata is converted to it) to partial fields."""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

from crawler.extraction.model import Partial

PRODUCT_TYPES = frozenset({"product", "productgroup", "individualproduct", "productmodel", "car"})
_GTIN_KEYS = ("gtin14", "gtin13", "gtin12", "gtin8", "gtin", "ean", "upc", "isbn")


def types_of(node: dict[str, Any]) -> set[str]:
    """Lower-case short type names: 'https://schema.org/Product' and ['Product'] -> {'product'}."""
    raw = node.get("@type", node.get("type"))
    values = raw if isinstance(raw, list) else [raw]
    return {v.rstrip("/").rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def is_product(node: object) -> bool:
    return isinstance(node, dict) and bool(types_of(node) & PRODUCT_TYPES)


def first(value: object) -> object:
    """schema.org allows one value or many everywhere; take the first."""
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "", [], {})), None)
    return value


def name_of(value: object) -> object:
    """A Thing given as a string or as an object with a name ('brand': {'name': 'Acme'})."""
    value = first(value)
    if isinstance(value, dict):
        return first(value.get("name"))
    return value


def _images(value: object) -> list[object]:
    values = value if isinstance(value, list) else [value]
    urls: list[object] = []
    for item in values:
        if isinstance(item, dict):  # Etsy writes contentURL: compare key names case-blind
            keys = {k.lower(): v for k, v in item.items() if isinstance(k, str)}
            urls.append(first(keys.get("url") or keys.get("contenturl") or keys.get("@id")))
        elif isinstance(item, str):
            urls.append(item)
    return urls


def _offers(value: object, page_url: str) -> list[dict[str, Any]]:
    """Offers flattened (AggregateOffer's inner offers included), the one for this URL first."""
    found: list[dict[str, Any]] = []
    for offer in value if isinstance(value, list) else [value]:
        if isinstance(offer, dict):
            found.append(offer)
            found.extend(_offers(offer.get("offers"), page_url))
    found.sort(
        key=lambda o: (
            not isinstance(o.get("url"), str)
            or urldefrag(urljoin(page_url, o["url"])).url != page_url
        )
    )
    return found


def _price_of(offer: dict[str, Any]) -> tuple[object, object]:
    """Price and currency of one offer; AggregateOffer's lowPrice, else priceSpecification."""
    price = offer.get("price")
    if price in (None, ""):
        price = offer.get("lowPrice")
    currency = offer.get("priceCurrency")
    spec = first(offer.get("priceSpecification"))
    if isinstance(spec, dict) and price in (None, ""):
        price, currency = spec.get("price"), currency or spec.get("priceCurrency")
    return first(price), first(currency)


def _price_high(offer: dict[str, Any]) -> object:
    """An AggregateOffer's highPrice when its lowPrice is the price: the range of several
    sellers' offers, whose cheapest need not be the one this page sells."""
    if offer.get("price") not in (None, "") or offer.get("lowPrice") in (None, ""):
        return None
    return first(offer.get("highPrice"))


def seller_of(value: object) -> dict[str, object] | None:
    value = first(value)
    if isinstance(value, str):
        return {"name": value}
    if not isinstance(value, dict):
        return None
    node_id = value.get("@id")
    ident = first(value.get("identifier"))
    if isinstance(ident, dict):
        ident = ident.get("value")
    if ident is None and isinstance(node_id, str) and "/" not in node_id and "#" not in node_id:
        ident = node_id
    name = first(value.get("name") or value.get("legalName") or value.get("alternateName"))
    found = {"name": name, "id": ident, "url": first(value.get("url"))}
    for key in ("email", "telephone"):  # contact details, when the page states them
        if (contact := first(value.get(key))) is not None:
            found[key] = contact
    return found


def _urls(node: dict[str, Any], page_url: str) -> set[str]:
    """URLs that name a variant: its url, its offers' urls, its @id without the #fragment."""
    offers = _as_list(node.get("offers"))
    urls = [
        node.get("url"),
        node.get("@id"),
        *(o.get("url") for o in offers if isinstance(o, dict)),
    ]
    return {urldefrag(urljoin(page_url, u)).url for u in urls if isinstance(u, str)}


def _identifier(keys: tuple[str, ...], *nodes: dict[str, Any]) -> object:
    """The first of ``keys`` stated by the offer, then the product, then the chosen variant."""
    return next((first(n[k]) for n in nodes for k in keys if n.get(k) not in (None, "")), None)


def product_fields(product: dict[str, Any], page_url: str) -> Partial:
    """Fields of one Product; a ProductGroup takes offer and codes from the variant for this URL."""
    variants = [v for v in _as_list(product.get("hasVariant")) if isinstance(v, dict)]
    chosen = sorted(variants, key=lambda v: page_url not in _urls(v, page_url))
    offers = _offers(product.get("offers"), page_url)
    for variant in chosen:
        offers.extend(_offers(variant.get("offers"), page_url))
    priced = [o for o in offers if _price_of(o)[0] not in (None, "")]
    offer = priced[0] if priced else (offers[0] if offers else {})
    variant = chosen[0] if chosen else {}
    price, currency = _price_of(offer)
    high = _price_high(offer)
    own = [o for o in priced if o.get("price") not in (None, "")]
    if offer.get("price") in (None, "") and len(own) == 1:
        # an AggregateOffer's range ('lowPrice': 84) listing one offer of its own (the size
        # chosen, 'price': 131): that offer's price is the one on this page
        price, currency = first(own[0]["price"]), first(own[0].get("priceCurrency")) or currency
        high = None
    images = _images(product.get("image"))
    if not any(images):
        images = [url for v in variants for url in _images(v.get("image"))]
    category = first(product.get("category"))
    return {
        "title": first(product.get("name")),
        "description": first(product.get("description")),
        "brand": name_of(product.get("brand")),
        "price": price,
        "price_high": high,
        "offer_prices": len({_price_of(o)[0] for o in priced}),
        "currency": currency,
        "availability": first(offer.get("availability")),
        "sku": _identifier(("sku",), offer, product, variant),
        "gtin": _identifier(_GTIN_KEYS, offer, product, variant),
        "mpn": _identifier(("mpn",), offer, product, variant),
        "images": images,
        "seller": seller_of(offer.get("seller") or offer.get("offeredBy")),
        "category": name_of(category) if isinstance(category, dict) else category,
    }


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
