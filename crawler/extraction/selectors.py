"""The marketplace profile's fallback selectors (CSS with ::text/::attr(), or ``xpath:``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cssselect import SelectorError
from lxml.etree import XPathError

from crawler.extraction.document import text_of
from crawler.extraction.errors import ProfileSelectorError
from crawler.extraction.normalize import image_candidates
from crawler.selectors import select

if TYPE_CHECKING:
    from parsel import Selector

    from config.profile import FieldSelectors
    from crawler.extraction.document import Document
    from crawler.extraction.model import Partial

SCALAR_FIELDS = ("title", "description", "brand", "price", "currency", "availability", "sku",
                 "gtin", "mpn", "category")  # fmt: skip
LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-ks-lazyload", "data-lazyload",
            "data-old-hires", "data-srcset", "srcset", "src")  # fmt: skip


def _matches(doc: Document, field: str, expression: str) -> list[Selector]:
    try:
        return list(select(doc.sel, expression))
    except (SelectorError, XPathError, ValueError) as exc:
        raise ProfileSelectorError(
            f"profile selector listing.fields.{field} = {expression!r} is invalid ({exc}); "
            "fix it in the marketplace profile (CSS, or 'xpath:' followed by an XPath)"
        ) from exc


def value_of(match: Selector) -> str:
    """A text or attribute result as is; an element by its visible text."""
    return text_of(match.root).strip()


def image_values(match: Selector | Any) -> list[str]:
    """Image URLs in one result (or lxml element): an attribute value, or an <img>'s lazy-load
    attributes."""
    root = getattr(match, "root", match)
    if isinstance(root, str):
        return image_candidates(root)
    attrs = getattr(root, "attrib", {})
    for name in LAZY_SRC:
        value = (attrs.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return image_candidates(value)
    return []


def extract(doc: Document, selectors: FieldSelectors) -> Partial:
    found: Partial = {}
    for field in SCALAR_FIELDS:
        expression = getattr(selectors, field)
        if expression:
            values = (value_of(m) for m in _matches(doc, field, expression))
            found[field] = next((v for v in values if v), None)
    if selectors.images:
        matches = _matches(doc, "images", selectors.images)
        found["images"] = [url for m in matches for url in image_values(m)]
    seller = {}
    for part in ("name", "id", "url"):
        expression = getattr(selectors, f"seller_{part}")
        if expression:
            values = (value_of(m) for m in _matches(doc, f"seller_{part}", expression))
            seller[part] = next((v for v in values if v), None)
    if any(seller.values()):
        found["seller"] = seller
    return found
