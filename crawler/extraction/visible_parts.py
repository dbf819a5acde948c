"""Visible-page helpers: elements marked by id/class, product images, the seller box, <title>."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.extraction.document import text_of
from crawler.extraction.normalize import absolute_url, seller_id_from_url
from crawler.extraction.selectors import image_values

if TYPE_CHECKING:
    from crawler.extraction.document import Document

MAX_IMGS = 500
_GALLERY = re.compile(
    r"gallery|product|zoom|carousel|thumb|photo|preview|image|img|pic|media|slide"
)
_NOT_PRODUCT = re.compile(
    r"logo|icon|sprite|avatar|badge|pixel|spacer|blank|flag|rating|banner|payment|loading|"
    r"placeholder|recommend|related|similar|review|footer|header|(?<![a-z])nav(?![a-z])|sponsor|"
    r"\.svg|\.gif"
)
_SELLER_WORDS = ("seller", "merchant", "sold-by", "soldby", "store-name", "shop-name", "storename",
                 "shopname")  # fmt: skip
_SOLD_BY = re.compile(
    r"^(?:ships from and sold by|sold by|seller|sold and shipped by|store|卖家|店铺)\s*[:：]?\s*",
    re.I,
)
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|::|»|:)\s+|(?<=\S):\s+")


def marked(doc: Document, words: tuple[str, ...]) -> list[Any]:
    """Elements whose id or class contains one of ``words`` (case- and _/- insensitive)."""
    found = []
    for element, marks in doc.index.id_class.items():
        marks = marks.replace("_", "-")
        if any(word in marks for word in words):
            found.append(element)
    return found


def _id_class(element: Any) -> str:
    return f"{element.get('id', '')} {element.get('class', '')}".lower()


def images(doc: Document) -> list[str]:
    """Images inside a gallery/product container, lazy-load attributes first, chrome skipped."""
    urls: list[str] = []
    for element in [e for e in doc.index.elements if e.tag == "img"][:MAX_IMGS]:
        near = [_id_class(a) for _, a in zip(range(6), element.iterancestors(), strict=False)]
        if not any(_GALLERY.search(a) for a in near):
            continue
        if any(_NOT_PRODUCT.search(a) for a in [_id_class(element), *near]):
            continue
        if any(_tiny(element.get(side)) for side in ("width", "height")):
            continue
        urls.extend(u for u in image_values(element) if not _NOT_PRODUCT.search(u.lower()))
    return urls


def _tiny(size: str | None) -> bool:
    return bool(size and size.strip().isdigit() and int(size) < 40)


def seller(doc: Document) -> dict[str, object] | None:
    """The 'sold by' box: its first link (name and URL), else its text minus 'Sold by'."""
    for element in marked(doc, _SELLER_WORDS)[:10]:
        link = next(element.iterdescendants("a"), None)
        if link is not None and link.get("href"):
            name = text_of(link, 200)
            url = absolute_url(link.get("href"), doc.base)
        else:
            name, url = _SOLD_BY.sub("", text_of(element, 200)), None
        if name and len(name) <= 100:
            return {"name": name, "id": seller_id_from_url(url), "url": url}
    return None


# 'shop.com.co', 'store.co.uk': a generic second-level label under a country's domain is not
# the shop's name; the label before it is
_SECOND_LEVEL = frozenset({"com", "co", "net", "org", "gov", "edu", "ac", "or", "ne", "gob"})


def site_names(doc: Document) -> list[str]:
    """How the site may name itself in <title>: og:site_name and the host's main label (the
    label before 'com.co' or 'co.uk', not 'com')."""
    names = [doc.sel.xpath("//meta[@property='og:site_name']/@content").get() or ""]
    host = (urlsplit(doc.url).hostname or "").removeprefix("www.")
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    names.extend([host, labels[-2] if len(labels) >= 2 else host])
    return [n.strip().lower() for n in names if n and n.strip()]


def _squeezed(text: str) -> str:
    """'Tienda Inglesa' as the host spells it ('tiendainglesa'): letters and digits only."""
    return re.sub(r"[\W_]", "", text).lower()


def strip_site(title: str, names: list[str]) -> str | None:
    """'Acme Tote - Red | ShopName' -> 'Acme Tote - Red': leading/trailing site segments go."""
    spans, start = [], 0
    for sep in _TITLE_SEP.finditer(title):
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(title)))

    def is_site(span: tuple[int, int]) -> bool:
        segment = title[span[0] : span[1]].lower()
        # a shop's two-word name ('Tienda Inglesa') is its host's one label ('tiendainglesa')
        return any(name in segment or _squeezed(name) == _squeezed(segment) for name in names)

    while len(spans) > 1 and is_site(spans[-1]):
        spans.pop()
    while len(spans) > 1 and is_site(spans[0]):
        spans.pop(0)
    return title[spans[0][0] : spans[-1][1]].strip() or None
