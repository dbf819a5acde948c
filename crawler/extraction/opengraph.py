"""OpenGraph, product: and twitter: meta tags (Facebook catalog, Pinterest, Shopify themes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extraction.visible_parts import site_names, strip_site

if TYPE_CHECKING:
    from crawler.extraction.document import Document
    from crawler.extraction.model import Partial

# For each field, the meta names that state it, best first.
META_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title"),
    "description": ("og:description", "twitter:description"),
    "brand": ("product:brand", "og:brand"),
    "price": ("product:sale_price:amount", "product:price:amount", "og:price:amount"),
    "currency": ("product:sale_price:currency", "product:price:currency", "og:price:currency"),
    "availability": ("product:availability", "og:availability"),
    "sku": ("product:retailer_item_id", "product:sku"),
    "gtin": ("product:gtin", "product:ean", "product:upc", "product:isbn"),
    "mpn": ("product:mfr_part_no",),
    "category": ("product:category",),
}
IMAGE_NAMES = (
    "og:image:secure_url",
    "og:image:url",
    "og:image",
    "twitter:image",
    "twitter:image:src",
)


def meta_tags(doc: Document) -> dict[str, list[str]]:
    """Content of every <meta property|name=...>, keyed by lower-case name, document order."""
    tags: dict[str, list[str]] = {}
    for meta in doc.sel.xpath("//meta[@content]"):
        key = meta.attrib.get("property") or meta.attrib.get("name") or ""
        content = meta.attrib.get("content", "").strip()
        if key and content:
            tags.setdefault(key.strip().lower(), []).append(content)
    return tags


def _twitter_labels(tags: dict[str, list[str]]) -> dict[str, str]:
    """Twitter product cards: twitter:label1='Price' with twitter:data1='$19.99', and so on."""
    found: dict[str, str] = {}
    for n in range(1, 5):
        label = " ".join(tags.get(f"twitter:label{n}", [""])[:1]).lower()
        data = tags.get(f"twitter:data{n}", [None])[0]
        if data and "price" in label:
            found.setdefault("price", data)
        elif data and ("availab" in label or "stock" in label):
            found.setdefault("availability", data)
    return found


def _search_title(doc: Document, title: str, stripped: str | None) -> bool:
    """Whether og:title is a copy of the page's <title> with the site's name in it ('Buy Navy
    Tshirts for Men Online | Ajio.com'): the page's search title, which the page's state or
    <h1> may name the product better than."""
    page_title = " ".join((doc.sel.xpath("//title/text()").get() or "").split())
    return stripped != title and " ".join(title.split()) == page_title


def extract(doc: Document) -> Partial:
    tags = meta_tags(doc)
    found: Partial = {}
    for field, names in META_NAMES.items():
        value = next((tags[n][0] for n in names if n in tags), None)
        if value is not None:
            found[field] = value
    if found.get("title"):
        stripped = strip_site(found["title"], site_names(doc))
        found["title_is_search_title"] = _search_title(doc, found["title"], stripped)
        found["title"] = stripped
    for field, value in _twitter_labels(tags).items():
        found.setdefault(field, value)
    images = [url for name in IMAGE_NAMES for url in tags.get(name, [])]
    if images:
        found["images"] = images
    return found
