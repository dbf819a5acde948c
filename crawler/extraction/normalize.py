"""Cleanup shared by every extractor: text, prices, availability, identifiers, URLs."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.html
from price_parser import Price

from crawler.extraction.currency import ZERO_DECIMAL
from crawler.extraction.document import text_of
from crawler.extraction.lexicon import bundled

MAX_TITLE = 1_000
MAX_DESCRIPTION = 50_000
MAX_SHORT = 300
MAX_IMAGES = 50
MAX_PRICE = Decimal(10) ** 10

# Control characters, and the bidi embedding/override/isolate controls that reorder what a
# reviewer sees. Zero-width characters stay: a brand written with one is a disguise, and the
# stored title must still show it (the detector reads through them and reports them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_PLAIN_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_HTML_MARKUP = re.compile(r"<(?:p|br|div|li|ul|ol|span|strong|em|b|i|h[1-6]|table)\b[^>]*>", re.I)
_BRAND_NOISE = (
    re.compile(r"^\s*(?:brand|marke|marque|品牌)\s*[:：]\s*", re.I),
    re.compile(r"^\s*visit the\s+(.+?)\s+store\s*$", re.I),
    re.compile(r"^\s*by\s+", re.I),
)


def clean_text(value: object, limit: int = MAX_SHORT, *, unescape: bool = False) -> str | None:
    """Hostile text made safe to store: NFC, no control characters, collapsed spaces, capped."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = html.unescape(value) if unescape else value
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text[: limit * 4]))
    text = " ".join(text.split())[:limit].strip()
    return text or None


def clean_description(value: object, *, unescape: bool = False) -> str | None:
    """Descriptions in structured data sometimes carry HTML markup: keep only its text."""
    if isinstance(value, str) and _HTML_MARKUP.search(value):
        try:
            value = text_of(lxml.html.fragment_fromstring(value, create_parent="div"))
        except (ValueError, lxml.etree.ParserError):
            value = re.sub(r"<[^>]+>", " ", value)
    return clean_text(value, MAX_DESCRIPTION, unescape=unescape)


def clean_brand(value: object) -> str | None:
    """'Brand: Acme', 'Visit the Acme Store', 'by Acme' -> 'Acme'."""
    text = clean_text(value, MAX_SHORT, unescape=True)
    if text is None:
        return None
    for pattern in _BRAND_NOISE:
        match = pattern.match(text)
        if match:
            text = match.group(1) if pattern.groups else text[match.end() :]
    return text.strip() or None


def to_price(value: object) -> Decimal | None:
    """A positive, finite amount from a number or printed price; anything else is not a price."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, str):
        text = value.strip()[:100]
        value = Decimal(text) if _PLAIN_NUMBER.match(text) else Price.fromstring(text).amount
    if not isinstance(value, Decimal):
        return None
    try:
        ok = value.is_finite() and Decimal(0) < value < MAX_PRICE
    except InvalidOperation:
        return None
    return value if ok else None


def format_price(amount: Decimal, currency: str | None) -> str:
    """'19.99', '1299.00', '1280' (JPY): cents unless the currency has none; never rounds."""
    if currency in ZERO_DECIMAL and amount == amount.to_integral_value():
        return str(int(amount))
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        amount = amount.quantize(Decimal("0.01"))
    return format(amount, "f")


_AVAILABILITY = {
    "instock": "InStock", "outofstock": "OutOfStock", "preorder": "PreOrder",
    "presale": "PreSale", "backorder": "BackOrder", "discontinued": "Discontinued",
    "limitedavailability": "LimitedAvailability", "soldout": "SoldOut",
    "onlineonly": "OnlineOnly", "instoreonly": "InStoreOnly", "madetoorder": "MadeToOrder",
    "reserved": "Reserved", "oos": "OutOfStock", "available": "InStock", "nostock": "OutOfStock",
    "notavailable": "OutOfStock",
    "unavailable": "OutOfStock", "availablefororder": "InStock", "pending": "PreOrder",
}  # fmt: skip


def to_availability(value: object) -> str | None:
    """schema.org short name from a URL (https://schema.org/InStock), a token or shop text
    (stock phrases in many languages, from the extraction lexicon)."""
    if isinstance(value, bool):
        return "InStock" if value else "OutOfStock"
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()[:300]
    token = re.sub(r"[^a-z]", "", text.rsplit("/", 1)[-1].lower())
    if token in _AVAILABILITY:
        return _AVAILABILITY[token]
    return bundled().stock_state(text)


def to_gtin(value: object) -> str | None:
    """GTIN-8/12/13/14 digits (spaces and dashes dropped); other lengths are not GTINs."""
    text = clean_text(value)
    if text is None:
        return None
    digits = re.sub(r"[\s-]", "", text.split(":")[-1])
    return digits if digits.isdigit() and len(digits) in (8, 12, 13, 14) else None


def absolute_url(value: object, base: str) -> str | None:
    """An absolute http(s) URL, or None for data:, javascript: and other schemes."""
    text = clean_text(value, 4_000)
    if text is None:
        return None
    url = urljoin(base, text.split()[0])
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def image_candidates(value: str) -> list[str]:
    """The image URLs in one attribute value: a plain URL, a srcset, or a JSON map of sizes."""
    text = value.strip()
    if text.startswith("{"):
        try:
            sizes = json.loads(text)
        except ValueError:
            return []
        if not isinstance(sizes, dict):
            return []
        # Amazon-style {"url": [width, height], ...}: the largest rendition of one image.
        return sorted(sizes, key=lambda url: -_area(sizes[url]))[:1]
    if "," in text and re.search(r"\s\d+(?:\.\d+)?[wx]\s*(?:,|$)", text):
        parts = [p.strip().split() for p in text.split(",") if p.strip()]
        best = max(parts, key=lambda p: float(p[1][:-1]) if len(p) > 1 and _num(p[1]) else 0)
        return [best[0]]
    return [text.split()[0]] if text else []


def _num(descriptor: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?[wx]", descriptor))


def _area(size: object) -> float:
    if isinstance(size, list) and len(size) == 2 and all(isinstance(n, int) for n in size):
        return float(size[0] * size[1])
    return 0.0


def to_images(values: object, base: str) -> list[str]:
    """Absolute, deduplicated (order kept), capped image URLs."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        return []
    urls = (absolute_url(v, base) for v in values)
    return list(dict.fromkeys(u for u in urls if u))[:MAX_IMAGES]


_SELLER_PARAMS = ("seller", "sellerid", "seller_id", "merchant", "merchantid", "shopid", "shop_id",
                  "storeid", "store_id", "userid", "user_id")  # fmt: skip
_SELLER_PATH = re.compile(r"/(?:str|store|shop|seller|sellers|usr|user)/([^/?#]+)", re.I)


def seller_id_from_url(url: str | None) -> str | None:
    """A seller id the seller's URL carries: ?seller=A1B2 or /shop/acme, /str/acme, /usr/acme."""
    if not url:
        return None
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    lowered = {k.lower(): v for k, v in params.items()}
    found = next((lowered[p] for p in _SELLER_PARAMS if lowered.get(p)), None)
    if found is None:
        match = _SELLER_PATH.search(parts.path)
        found = unquote(match.group(1)) if match else None
    return clean_text(found, 200)
