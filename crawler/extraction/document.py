"""One parsed page plus what the extractors need to know about it (base URL, locale hints)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.extraction.currency import LocaleHints
from crawler.extraction.page import decode_page

# Heuristics look at the first elements of <body> only: product pages put the product first,
# and a hostile page with a million elements must not cost a million XPath evaluations each.
MAX_SCANNED = 50_000
DATA_ATTRIBUTES = frozenset(
    {"data-price", "data-price-amount", "data-product-price", "data-currency",
     "data-price-currency", "data-sku", "data-product-sku", "data-pid", "data-product-id"}
)  # fmt: skip


# A variant picker marks the chosen option: aria-selected/aria-checked, selected/checked, or a
# 'selected'/'active' class. Its data-price is the offer's, not the first option's.
_SELECTED_CLASS = re.compile(r"(?<![a-z])(?:selected|active|checked)(?![a-z])")


def chosen_option(element: Any) -> bool:
    """Whether a variant picker's option is marked as the chosen one."""
    aria = (element.get("aria-selected") or element.get("aria-checked") or "").lower()
    return (
        aria == "true"
        or element.get("selected") is not None
        or element.get("checked") is not None
        or bool(_SELECTED_CLASS.search((element.get("class") or "").lower()))
    )


@dataclass(frozen=True)
class ElementIndex:
    """One pass over the body: elements in order, their id/class, itemprops, data attributes."""

    elements: list[Any] = field(default_factory=list)
    id_class: dict[Any, str] = field(default_factory=dict)
    itemprops: dict[str, list[Any]] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)  # the first, or a selected variant's


@dataclass(frozen=True)
class Document:
    """The page as a parsel Selector, the URL it came from and the base for relative links."""

    sel: Selector
    url: str
    base: str
    hints: LocaleHints
    # Readings of this page that several extractors share (the printed prices), kept so the
    # page is read once: keyed by the reader and what it was given beyond the page.
    memo: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def index(self) -> ElementIndex:
        index = ElementIndex()
        bodies = self.sel.root.xpath("//body") if hasattr(self.sel.root, "xpath") else []
        if not bodies:
            return index
        selected: set[str] = set()  # data attributes taken from a selected variant
        for _, element in zip(range(MAX_SCANNED), bodies[0].iter(), strict=False):
            if not isinstance(element.tag, str):
                continue
            index.elements.append(element)
            marks = f"{element.get('id', '')} {element.get('class', '')}".strip().lower()
            if marks:
                index.id_class[element] = marks
            prop = element.get("itemprop")
            if prop:
                index.itemprops.setdefault(prop.strip(), []).append(element)
            # '<li class="is-selected"><button data-price="799">': the option box is marked
            parent = element.getparent()
            chosen = chosen_option(element) or (parent is not None and chosen_option(parent))
            for name in DATA_ATTRIBUTES.intersection(element.attrib):
                if name not in index.data or (name not in selected and chosen):
                    index.data[name] = element.get(name) or ""
                    if chosen:
                        selected.add(name)
        return index


def parse_document(html: str | bytes, url: str, encoding: str | None = None) -> Document:
    """Parse leniently (lxml recovers from broken markup); an empty page yields an empty tree."""
    text, charset = decode_page(html, encoding)
    sel = Selector(text=text or "<html></html>", type="html", base_url=url)
    base_href = sel.xpath("//base/@href").get()
    base = urljoin(url, base_href.strip()) if base_href else url
    if urlsplit(base).scheme not in ("http", "https"):
        base = url
    lang = (
        sel.xpath("/html/@lang").get()
        or sel.xpath(
            "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')"
            "='content-language']/@content"
        ).get()
    )
    host = urlsplit(url).hostname or ""
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else None
    hints = LocaleHints(tld=tld, lang=(lang or "").strip() or None, charset=charset)
    return Document(sel=sel, url=url, base=base, hints=hints)


_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "br", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
)


def text_of(node: object, limit: int = 100_000) -> str:
    """Visible text of an element (no script/style contents, no comments), spaces collapsed."""
    if isinstance(node, str):
        return " ".join(node.split())
    parts: list[str] = []
    size = 0
    elements: Iterator[Any] = node.iter() if hasattr(node, "iter") else iter(())
    for _, element in zip(range(max(2_000, limit)), elements, strict=False):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append(" ")
        if tag and tag not in _HIDDEN_TAGS and element.text and _visible(element, node):
            parts.append(element.text)
            size += len(element.text)
        if element is not node and element.tail and _visible(element.getparent(), node):
            parts.append(" " + element.tail if tag in _BLOCK_TAGS else element.tail)
            size += len(element.tail)
        if size > limit:
            break
    return " ".join("".join(parts).split())[:limit]


def _visible(element: object, top: object) -> bool:
    """False inside script/style (and comments), up to the element we started from."""
    while element is not None:
        tag = getattr(element, "tag", "")
        if not isinstance(tag, str) or tag.lower() in _HIDDEN_TAGS:
            return False
        if element is top:
            return True
        element = element.getparent()  # type: ignore[attr-defined]
    return True
