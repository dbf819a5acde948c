"""The page's own product identifier (SKU), chosen by agreement between the places a page
states it: ``itemprop=sku``, ``data-sku``, a labelled value ("SKU", "Art.-Nr.", "货号", "型番"),
a code named after the site ("<site>-Code", or "<name> #" where the logo prints that name), an
unlabelled code in the item's box whose leading part the URL path spells, and the URL's query.
A value two places agree on beats one found first; a price, a valid GTIN next to another
candidate, a number with neither label nor URL to back it, or one labelled as a seller's,
order's or manufacturer's is never taken."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from crawler.extraction.document import text_of
from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.stock import product_elements, short_text

if TYPE_CHECKING:
    from crawler.extraction.document import Document

LABEL_TEXT = 60
SCAN_LOGO = 400  # the logo link sits in the first elements of the page
_LABEL_TAGS = frozenset({"dt", "th", "td", "li", "span", "b", "strong", "label", "div", "p",
                         "h2", "h3", "h4", "h5", "h6"})  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,38}[A-Za-z0-9])?")
_OPENING = "([{（【「 "
# '1.299,00' and '1,299.00' are prices; '504.123.45' is not: a price's thousands marks are never
# its decimal mark, so one mark throughout spells an article number.
_PRICE_LIKE = re.compile(r"^\d{1,3}(?:(?:\.\d{3})*,|(?:,\d{3})*\.)\d{2}$")


def identifier_key(value: str) -> str:
    """How two spellings of one identifier compare: letters and digits only, case-blind."""
    return re.sub(r"[\W_]", "", value).lower()


def is_gtin(value: str) -> bool:
    """8, 12, 13 or 14 digits with a valid GS1 check digit."""
    if not (value.isdigit() and len(value) in (8, 12, 13, 14)):
        return False
    digits = [int(c) for c in value]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def _token(text: str) -> str | None:
    """The identifier a labelled value starts with: 'NK312A01Q-N11', not '- 쿠팡상품번호'."""
    match = _TOKEN.match(text.strip())
    if match is None:
        return None
    token = match.group(0)
    return token if any(c.isdigit() for c in token) and not _PRICE_LIKE.match(token) else None


# '<site>-Code: 612345678', 'Otto-Nr.': a code named after the site is the site's own number;
# 'code' as other languages spell it too ('FINN-kode', 'Kod x', 'Tuote-koodi', 'código').
_SITE_WORDS = (
    r"(?:code|id|nr\.?|no\.?|number|nummer|numero|número|kode|kod|koodi|kood|kods|kodas|código"
    r"|codice|kód)"
)


def _label_end(text: str, lexicon: ExtractionLexicon, site: re.Pattern[str] | None) -> int | None:
    """Where the value starts after an identifier label at the start of ``text``, or None; a
    label may name the shop after it ('Kod x-kom: 1316720', 'Code Shopname : 612')."""
    match = lexicon.sku_label.match(text)
    if match is not None:
        named = site.match(text, match.end()) if site is not None else None
        return named.end() if named is not None and named.group("after") else match.end()
    own = site.match(text) if site is not None else None
    return own.end() if own is not None and not own.group("after") else None


def _site_label(url: str, logos: tuple[str, ...] = ()) -> re.Pattern[str] | None:
    """'<host>-Nr.', '<host> code:' and, for a name the page's logo prints ('B&H'), also
    '<name> #': a number the shop names after itself; or, right after a label, the name alone
    and a colon (group ``after``: 'Kod x-kom:')."""
    host = (urlsplit(url).hostname or "").removeprefix("www.").split(".")
    name = host[-2] if len(host) >= 2 else ""
    names = sorted({n for n in (name, *logos) if len(n) >= 3}, key=len, reverse=True)
    if not names:
        return None
    either = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"(?:{either})(?:[\s-]*{_SITE_WORDS}(?![^\W\d_])\s*[:：#]?|\s*#|(?P<after>\s*[:：]))\s*",
        re.I,
    )


LOGO_TEXT = 30
_LOGO_MARK = re.compile(r"logo|brand|home")


def root_link(base: str, href: str | None) -> bool:
    """Whether a link goes to this site's root page."""
    target = urlsplit(urljoin(base, href or ""))
    return target.netloc == urlsplit(base).netloc and target.path in ("", "/")


def logo_names(doc: Document) -> tuple[str, ...]:
    """What the site calls itself in its logo: the text of a link to the site's root page in
    the page header or marked as the logo ('<a href="/" class="logo">B&H</a>')."""
    names = []
    for element in doc.index.elements[:SCAN_LOGO]:
        if element.tag != "a" or not root_link(doc.url, element.get("href")):
            continue
        marks = " ".join(str(v) for v in element.attrib.values()).lower()
        in_header = any(a.tag == "header" for a in element.iterancestors())
        text = text_of(element, LOGO_TEXT + 1)
        if (in_header or _LOGO_MARK.search(marks)) and 2 <= len(text) <= LOGO_TEXT:
            names.append(text)
    return tuple(names[:3])


def _within_one_text(element: Any, token: str) -> str:
    """The token cut where an element ends: text joins '<span>ID: 8745</span><span>Added'
    into '8745Added', but an identifier never runs across two elements' text."""
    chunks = [" ".join(chunk.split()) for chunk in element.itertext()]
    if any(token in chunk for chunk in chunks):
        return token
    for size in range(len(token) - 1, 3, -1):
        if any(chunk.endswith(token[:size]) for chunk in chunks):
            return token[:size]
    return token


def _labelled(
    elements: list[Any], lexicon: ExtractionLexicon, url: str = "", logos: tuple[str, ...] = ()
) -> Iterable[str]:
    """Values after an identifier label, in the same text or the next cell (<dt>/<dd>)."""
    site = _site_label(url, logos)
    for element in elements:
        if element.tag not in _LABEL_TAGS:
            continue
        short = short_text(element, LABEL_TEXT)
        text = short or _leading_pair(element) or _line_start(element)
        if not text:
            continue
        text = text.lstrip(_OPENING)  # '(Cód. 55012345)': a label in brackets is still one
        end = _label_end(text, lexicon, site)
        if end is None:  # a label further along a line ('By <a>Brand</a> · Product ID: <span>')
            text = next((t for t in _inner_pairs(element) if _label_end(t, lexicon, site)), "")
            end = _label_end(text, lexicon, site) if text else None
        if end is None:
            continue
        rest = text[end:]
        if not rest:
            following = element.getnext()
            rest = (short_text(following, LABEL_TEXT) if following is not None else None) or ""
        token = _token(rest)
        if token:
            yield _within_one_text(element, token)
            yield from _also_spelled(rest, token, element)


# 'HP24FW-SW03 / 3456789': one label over two ids (a brand's style number and the shop's own),
# each a candidate; the one the URL spells then wins by agreement.
_ALTERNATIVE = re.compile(r"\s+/\s+")


def _also_spelled(rest: str, token: str, element: Any) -> Iterable[str]:
    after = rest.strip()[len(token) :]
    match = _ALTERNATIVE.match(after)
    second = _token(after[match.end() :]) if match else None
    if second:
        yield _within_one_text(element, second)


def _leading_pair(element: Any) -> str | None:
    """A label printed as a longer line's own first words and the element right after it:
    'Tuotekoodi: <span>871234</span> · Valmistajan koodi: …' reads 'Tuotekoodi: 871234'."""
    label = " ".join((element.text or "").split())
    first = next(iter(element), None)
    if not label or first is None or not isinstance(first.tag, str) or len(label) > LABEL_TEXT:
        return None
    value = short_text(first, LABEL_TEXT)
    return f"{label} {value}" if value else None


# What parts the items of a line: 'Stare: <b>Folosit</b> · Cod produs: <b>318842257</b>'.
_SEPARATOR = re.compile(r"(?:^|\s)[·•|](?:\s|$)|[;；]\s*")


def _inner_pairs(element: Any) -> Iterable[str]:
    """Labels printed further along a line, each after a separator, with the element right after
    it: 'Stare: <b>Folosit</b> · Cod produs: <b>318842257</b> · …' reads 'Cod produs: 318842257'
    (``_leading_pair`` reads only the line's first label)."""
    children = [child for child in element if isinstance(child.tag, str)]
    for before, child in pairwise(children):
        label = _SEPARATOR.split(" ".join((before.tail or "").split()))[-1]
        value = short_text(child, LABEL_TEXT) if label and len(label) <= LABEL_TEXT else None
        if value:
            yield f"{label} {value}"


def _line_start(element: Any) -> str | None:
    """The start of a longer line of its own text: 'Listing #4512 · Closes: Thu 10 Dec, 8:45 pm ·
    23 watchlisted' starts with a label and its value; only a label there is read."""
    if len(element):
        return None
    line = " ".join((element.text or "").split())
    return line[:LABEL_TEXT] if len(line) > LABEL_TEXT else None


def _url_part(value: str, url: str) -> bool:
    """Whether a product id ('data-pid="9782896496491"') is a whole part of the URL path
    ('/kukum/9782896496491.html'): an id the shop also addresses the page by is its own number,
    where one the URL does not carry may be internal."""
    parts = re.split(r"[^0-9a-z]+", urlsplit(url).path.lower())
    return len(value) >= 5 and any(c.isdigit() for c in value) and value.lower() in parts


def _url_values(url: str, lexicon: ExtractionLexicon) -> Iterable[str]:
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() in lexicon.sku_params and (token := _token(value)):
            yield token


def candidates(doc: Document, lexicon: ExtractionLexicon | None = None) -> list[tuple[str, str]]:
    """(where, value) for every identifier the page states, in order of trust."""
    lexicon = lexicon or bundled()
    found: list[tuple[str, str]] = []
    for element in doc.index.itemprops.get("sku", [])[:5]:
        value = element.get("content") or text_of(element, LABEL_TEXT + 1)
        if value and value.strip() and len(value.strip()) <= LABEL_TEXT:
            found.append(("itemprop", value.strip()))
    for name in ("data-sku", "data-product-sku"):
        if value := (doc.index.data.get(name) or "").strip():
            found.append(("data", value))
    for name in ("data-pid", "data-product-id"):
        if _url_part(value := (doc.index.data.get(name) or "").strip(), doc.url):
            found.append(("data", value))
    elements = product_elements(doc)
    found.extend(("label", v) for v in _labelled(elements, lexicon, doc.url, logo_names(doc)))
    found.extend(("class", v) for v in _class_marked(elements, lexicon))
    found.extend(("url", v) for v in _url_values(doc.url, lexicon))
    found.extend(("spelled", v) for v in _url_spelled_codes(doc))
    return found


# A box the shop's template names as the SKU field ('product attribute sku', 'sku_wrapper'), or
# a class naming the value ('value'), whatever its printed label says ('رقم الموديل', 'Modelo').
CLASS_CODE = 4  # a shorter value in such a box is a size or a count, not a code
_SKU_CLASS = re.compile(r"(?<![a-z])sku(?![a-z])")
_VALUE_CLASS = re.compile(r"(?<![a-z])value(?![a-z])")


def _class_marked(elements: list[Any], lexicon: ExtractionLexicon) -> Iterable[str]:
    """Values in boxes the template's class marks as the SKU field: the box's own text after any
    label, or its child marked 'value' ('<div class="product attribute sku"><strong>Model
    number</strong><div class="value">SJ-GV58G-SL</div>'): the code the shop files it under."""
    for element in elements:
        marks = (element.get("class") or "").lower()
        if not _SKU_CLASS.search(marks) or _one_of_several(element, marks):
            continue
        if len(element):
            value = next(
                (
                    child
                    for child in element.iterdescendants()
                    if _VALUE_CLASS.search(str(child.get("class") or "").lower())
                ),
                None,
            )
            text = short_text(value, LABEL_TEXT) if value is not None else None
        else:
            text = short_text(element, LABEL_TEXT)
            end = _label_end(text, lexicon, None) if text else None
            text = text[end:] if text and end is not None else text
        token = _token(text) if text else None
        key = identifier_key(token or "")
        if token and len(key) >= CLASS_CODE and key == identifier_key(text or ""):
            yield token


def _one_of_several(element: Any, marks: str) -> bool:
    """Whether a sibling shares the element's class: a variant picker's options ('sku-item':
    '43"', '55"'), not one field."""
    own = {token for token in marks.split() if _SKU_CLASS.search(token)}
    parent = element.getparent()
    return parent is not None and any(
        other is not element and own & set(str(other.get("class") or "").lower().split())
        for other in parent
    )


# A code the page prints with no label, whose leading part the URL path spells: at least this
# many characters and half the code.
URL_SHARED = 6
_CODE_MARK = re.compile(r"\d[/.-]\d")


def _url_spelled_codes(doc: Document) -> list[str]:
    """Unlabelled codes printed in the item's box whose leading part the URL path spells ('Crudo
    | 2753/245/712' on '…-p02753245.html'): the reference the shop shows, colour or size
    appended to the model number its URL carries. Only separated codes ('/', '.', '-' between
    digits) count, and none the heading prints (a model number in the title is not the SKU)."""
    elements = product_elements(doc)
    heading = next((e for e in elements if e.tag == "h1"), None)
    box = heading.getparent() if heading is not None else None
    while box is not None and box.tag != "body" and len(box) < 2:  # '<div><h1>…</h1></div>'
        box = box.getparent()
    if heading is None or box is None or box.tag == "body":
        return []
    path = identifier_key(urlsplit(doc.url).path)
    title = identifier_key(text_of(heading, 2_000))
    codes = []
    for element in elements:
        if element is heading or heading in element.iterancestors() or element.tag == "a":
            continue
        if box not in element.iterancestors() or len(element):
            continue
        text = short_text(element, LABEL_TEXT) or ""
        for match in _TOKEN.finditer(text):
            token = match.group(0)
            key = identifier_key(token)
            if not _CODE_MARK.search(token) or _PRICE_LIKE.match(token) or key in title:
                continue
            shared = next((n for n in range(len(key), 0, -1) if key[:n] in path), 0)
            if shared >= max(URL_SHARED, len(key) // 2):
                codes.append(token)
    return codes[:3]


def in_url_path(value: str, url: str) -> bool:
    """Whether the URL's path spells the identifier (product URLs often carry it)."""
    key = identifier_key(value)
    return len(key) >= 4 and key in identifier_key(urlsplit(url).path)


def printed(found: list[tuple[str, str]], value: str) -> bool:
    """Whether ``value`` is printed on the page under an identifier label (not only marked up
    or in the URL): the number the shop shows its buyers."""
    key = identifier_key(value)
    return any(where in ("label", "spelled") and identifier_key(v) == key for where, v in found)


def choose(found: list[tuple[str, str]], url: str) -> tuple[str, int] | None:
    """The value most places agree on (the URL path counts as one), and how many agree.

    A valid GTIN is dropped while another candidate exists: pages label barcodes separately,
    and a SKU that happens to pass the GS1 check is rarer than a barcode in the wrong place."""
    if any(not is_gtin(v) for _, v in found):
        found = [(w, v) for w, v in found if not is_gtin(v)]
    support: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for where, value in found:
        key = identifier_key(value)
        support.setdefault(key, set()).add(where)
        first.setdefault(key, value)
    if not support:
        return None
    scored = [
        (len(places) + in_url_path(first[key], url), -order, key)
        for order, (key, places) in enumerate(support.items())
    ]
    votes, _, key = max(scored)
    return first[key], votes
