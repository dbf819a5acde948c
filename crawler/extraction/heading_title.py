"""Which title a listing takes: the page's own product heading where it names the product
otherwise than structured data, else a structured name (``combine`` asks here first)."""

from __future__ import annotations

import re

from crawler.extraction.identifiers import identifier_key
from crawler.extraction.model import JSON_SOURCES, STRUCTURED, Partial
from crawler.extraction.normalize import MAX_TITLE, clean_brand, clean_text

FRAGMENT_SHARE = 0.6  # a heading spelling less of a structured name than this is a part of it
# ' - Marie Lindqvist', ' | Shop': an author, brand or shop a structured name appends to the
# heading after a spaced dash or bar
_APPENDED = re.compile(r"\s+[-–—|]\s+\S")


def _heading_then_appendix(heading: str, name: str) -> bool:
    """Whether a structured name is the heading with an author, brand or shop appended after a
    spaced dash or bar ('Die Stille der Gezeiten - Marie Lindqvist'): the heading is the title.
    A heading shorter than what follows it ('Sony' of 'Sony - WH-1000XM5 Headphones') is the
    brand before the product's name, not the name before an appendix."""
    tail = name[len(heading) :]
    return (
        name.casefold().startswith(heading.casefold())
        and bool(_APPENDED.match(tail))
        and len(heading) > len(tail.lstrip(" -–—|"))
    )


def heading_title(partials: list[tuple[str, Partial]]) -> str | None:
    """The page's own <h1> where it names the product otherwise than structured data does: what
    the buyer reads as the product's name ('Кроссовки Gel-Kayano 31' over 'Gel-Kayano 31', the
    Arabic heading over an English og:title, 'YVES SAINT LAURENT Libre' over 'Libre') outranks a
    feed's name. A heading that is only the brand, the brand run into the structured name with
    no space ('Nordkap' + 'Trekkingschuh') or a small part of that name ('Linen' of 'Relaxed
    Linen Shirt, Blue') is not, unless the name is the heading with an author or shop appended
    after a dash ('Title - Author'), and a profile's title selector outranks it."""
    visible = next((found for source, found in partials if source == "visible"), None)
    if visible is None or visible.get("title_is_heading") is not True:
        return None
    if any(source == "selectors" and found.get("title") for source, found in partials):
        return None  # the marketplace's own profile says where its title is
    heading = clean_text(visible.get("title"), MAX_TITLE)
    if heading is None:
        return None
    printed_brands = {
        brand
        for _, found in partials
        if (brand := clean_brand(found.get("brand"))) and identifier_key(brand)
    }
    brands = {identifier_key(brand) for brand in printed_brands}
    # 'YVES SAINT LAURENT Libre' prints the brand as a word of the name; 'NordkapTrekkingschuh'
    # (two spans run together) is markup, not a name anyone reads
    spaced = any(
        heading.lower().startswith(brand.lower()) and heading[len(brand) : len(brand) + 1].isspace()
        for brand in printed_brands
    )
    names = [
        clean_text(found.get("title"), MAX_TITLE, unescape=source in JSON_SOURCES)
        for source, found in partials
        if source in STRUCTURED and not found.get("title_is_search_title")
    ]
    key = identifier_key(heading)
    if key not in brands and any(name and identifier_key(name) == key for name in names):
        # a structured source naming the product as the heading does ('Sneaker 'Air Max 90'' in
        # page state) backs it over a longer name another gives (brand, colour and shop added)
        return heading
    whole = [name for name in names if name and not _heading_then_appendix(heading, name)]
    for name in map(identifier_key, whole):
        if (not spaced and any(key == brand + name for brand in brands)) or (
            key in name and len(key) < FRAGMENT_SHARE * len(name)
        ):
            return None
    return None if key in brands else heading
