"""Availability as a shopper reads it when structured data does not state it: a stock phrase
("Auf Lager", "缺货", "품절") near the product, else the buy button (present and enabled: in
stock; disabled, or a notify-me button instead: out of stock). Vocabulary: lexicon.py."""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING, Any

from crawler.extraction.document import text_of
from crawler.extraction.lexicon import ExtractionLexicon, bundled
from crawler.extraction.stock_options import lists_options, one_options_word

if TYPE_CHECKING:
    from crawler.extraction.document import Document

SCAN_ELEMENTS = 3_000
SHORT_TEXT = 60
# A label, a stock line or a button holds a few elements; larger boxes are not read as one.
SHORT_NODES = 24
# Boxes about other products, or page chrome, whose stock words say nothing about this one;
# 'reco' is the short mark recommendation rails use ('reco-wrap'), as up-/cross-sell rails are;
# a 'rail' ('Rail_rail__x', 'shop-rail'), 'lane' ('lane_root__x') or 'feed' ('feeds-item--x',
# not 'feedback') is a strip of other products' cards.
ELSEWHERE = re.compile(
    r"recommend|related|similar|sponsor|also|carousel|review|footer|minicart|newsletter|breadcrumb"
    r"|(?<![a-z])recos?(?![a-z])|up-?sell|cross-?sell|(?<![a-z])(?:rail|lane|feed)s?(?![a-z])"
)
# ... but the footer of the item's own box ('item-view-footer', 'product-footer') is the item's.
_OWN_FOOTER = re.compile(r"(?<![a-z])(?:item|product|ad|listing|offer)[\w-]*footer")
_MARKED = re.compile(r"stock|avail|inventory|delivery|oos|soldout|sold-out")
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "option", "select", "svg",
                           "header", "footer", "nav", "aside"})  # fmt: skip
_BUTTON_TAGS = frozenset({"button", "a", "input"})
_CHROME = frozenset({"header", "footer", "nav"})
# A <div class="pdp-add-to-bag pdp-button"> or role=button is a button too ('buttons' is not).
_BUTTON_MARK = re.compile(r"(?<![a-z])(?:btn|button)(?![a-z])")
# 'btn-disabled', or a button switched 'off' ('btn_cart_off', 'button--off'; not 'off-canvas').
_DISABLED_CLASS = re.compile(r"disable|(?<![a-z])off(?![\w-])")


def _id_class(element: Any) -> str:
    return f"{element.get('id', '')} {element.get('class', '')}".lower()


def elsewhere(marks: str) -> bool:
    """Whether an id/class names another product's box or page chrome."""
    return bool(ELSEWHERE.search(_OWN_FOOTER.sub(" ", marks)))


def is_button(element: Any) -> bool:
    """A button, link or submit input, or an element marked as a button by role or class."""
    if element.tag in _BUTTON_TAGS:
        return True
    return (element.get("role") or "").lower() == "button" or bool(
        _BUTTON_MARK.search((element.get("class") or "").lower())
    )


_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _rail(element: Any, lexicon: ExtractionLexicon) -> bool:
    """A box headed as a rail of other products ('<section><h2>Vous aimerez aussi</h2>...')."""
    head = next((child for child in element if isinstance(child.tag, str)), None)
    if head is None or head.tag not in _HEADINGS:
        return False
    text = short_text(head)
    return text is not None and bool(lexicon.rail_heading.search(text))


def _holds_heading(doc: Document) -> set[Any]:
    """The <aside>s holding the page's <h1>: a side column that carries the product's title
    ('<aside class="product-info"><h1>…') is the item's buy box, not a sidebar."""
    heading = next((e for e in doc.index.elements if e.tag == "h1"), None)
    if heading is None:
        return set()
    return {a for a in heading.iterancestors() if a.tag == "aside"}


def product_elements(
    doc: Document, limit: int = SCAN_ELEMENTS, lexicon: ExtractionLexicon | None = None
) -> list[Any]:
    """Body elements outside other products' boxes (by class, or headed as a rail) and page
    chrome, in document order."""
    lexicon = lexicon or bundled()
    found, skipped = [], set()
    own = _holds_heading(doc)
    for element in doc.index.elements[: limit * 4]:
        parent = element.getparent()
        if (
            parent in skipped
            or (element.tag in _SKIPPED_TAGS and element not in own)
            or elsewhere(_id_class(element))
            or _rail(element, lexicon)
        ):
            skipped.add(element)
            continue
        found.append(element)
        if len(found) >= limit:
            break
    return found


def short_text(element: Any, limit: int = SHORT_TEXT) -> str | None:
    """The visible text of a small element (a few nodes, ``limit`` characters), else None;
    bounded so that scanning thousands of deeply nested elements stays linear."""
    if len(list(islice(element.iter(), SHORT_NODES + 1))) > SHORT_NODES:
        return None
    text = text_of(element, limit + 1)
    return text if text and len(text) <= limit else None


def button_caption(element: Any) -> str:
    """A button's caption; an icon-only one ('+', '🛒') is captioned by its accessible name."""
    if element.tag == "input":
        return element.get("value") or element.get("aria-label") or ""
    text = short_text(element)
    if text and _WORDLESS.fullmatch(text):
        return element.get("aria-label") or element.get("title") or text
    return text or element.get("aria-label") or ""


_WORDLESS = re.compile(r"[\W_]*")


def is_disabled(element: Any) -> bool:
    return (
        element.get("disabled") is not None
        or (element.get("aria-disabled") or "").lower() == "true"
        or bool(_DISABLED_CLASS.search(element.get("class") or ""))
    )


def from_buttons(elements: list[Any], lexicon: ExtractionLexicon) -> str | None:
    """A notify-me/sold-out button or a disabled buy button: out; an enabled buy button: in,
    even beside a restock-alert button ('재입고 알림' next to '장바구니 담기'), which shops show
    for options or future stock."""
    buy_enabled = unavailable = False
    for element in elements:
        if not is_button(element):
            continue
        if element.tag == "input" and (element.get("type") or "").lower() not in (
            "submit", "button"
        ):  # fmt: skip
            continue
        caption = button_caption(element)
        if not caption or len(caption) > SHORT_TEXT * 2:
            continue
        if lexicon.not_buyable.search(caption):
            unavailable = True
        elif lexicon.buy.search(caption) or lexicon.buy_alone.match(caption):
            if is_disabled(element):
                unavailable = True
            else:
                buy_enabled = True
    return "InStock" if buy_enabled else "OutOfStock" if unavailable else None


def availability(doc: Document, lexicon: ExtractionLexicon | None = None) -> str | None:
    """schema.org availability from the visible page, or None when it gives no sign."""
    lexicon = lexicon or bundled()
    elements = product_elements(doc)
    return (
        stock_line(elements, lexicon)
        or from_buttons(elements, lexicon)
        or _preorder_button(elements, lexicon)
        or _contact_button(doc, lexicon)
    )


def _contact_button(doc: Document, lexicon: ExtractionLexicon) -> str | None:
    """'InStock' where the only way offered to buy is an enabled contact-seller button ('Show
    contact', 'Start chat'), in the item's box or its side column (an <aside> seller box), not
    in page chrome or another ad's card: an active classified ad nothing marks sold is buyable."""
    for element in doc.index.elements[:SCAN_ELEMENTS]:
        if not is_button(element) or is_disabled(element):
            continue
        caption = button_caption(element)
        if not 0 < len(caption) <= SHORT_TEXT or not lexicon.contact.search(caption):
            continue
        if not any(a.tag in _CHROME or elsewhere(_id_class(a)) for a in element.iterancestors()):
            return "InStock"
    return None


def stock_line(elements: list[Any], lexicon: ExtractionLexicon) -> str | None:
    """The state a stock line in the item's box states, lines marked as stock boxes first; in
    a stock list, the online line's state, never a single store's."""
    heading = _item_box_start(elements)
    online, stores = channel_lines(elements[heading:], lexicon)
    if online is not None:
        return online
    texts = []
    for element in elements[heading:]:
        if element.tag in _BUTTON_TAGS or element in stores:
            continue
        text = short_text(element)
        if text and not lists_options(element) and not one_options_word(element, lexicon):
            texts.append((bool(_MARKED.search(_id_class(element))), text))
    for marked_only in (True, False):
        for marked, text in texts:
            if marked or not marked_only:
                state = lexicon.stock_state(text)
                if state is not None:
                    return state
    return _leading_state(elements[heading:], lexicon)


LONG_LINE = 240
# Where a line's first clause ends: a spaced dash, or a sentence mark ('In stock – 14 available
# at …', 'Preventa. Lanzamiento el …'); a colon ends a label, not a clause.
_CLAUSE_END = re.compile(r"\s[-–—]\s|[.!;·|](?:\s|$)")
_ICON = re.compile(r"icon")


def _leading_state(elements: list[Any], lexicon: ExtractionLexicon) -> str | None:
    """The state a longer line opens with ('In stock – 14 available at Leeds. Ready in 1
    minute.', 'Preventa – Lanzamiento el 22/01'): its first clause starts with a stock phrase.
    Read after every short line, lines marked as stock boxes first, since a long line that only
    mentions stock ('Available in three colours…') is weaker evidence."""
    clauses = []
    for element in elements:
        if element.tag in _BUTTON_TAGS or lists_options(element):
            continue
        clause = _lead_clause(element)
        if clause and not one_options_word(element, lexicon):
            clauses.append((bool(_MARKED.search(_id_class(element))), clause))
    for marked_only in (True, False):
        for marked, clause in clauses:
            if marked or not marked_only:
                state = lexicon.stock_state(clause)
                if state is not None and any(
                    own == state and pattern.match(clause) for own, pattern in lexicon.stock
                ):
                    return state
    return None


def _lead_clause(element: Any) -> str | None:
    """The first clause of a line too long for ``short_text`` (a few nodes, ``LONG_LINE``
    characters), an icon's ligature text before it dropped ('<i class="material-icons">event
    </i> Preventa – …')."""
    if len(list(islice(element.iter(), SHORT_NODES + 1))) > SHORT_NODES:
        return None
    text = text_of(element, LONG_LINE + 1)
    if not text or len(text) <= SHORT_TEXT or len(text) > LONG_LINE:
        return None
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if (
        first is not None
        and not (element.text or "").strip()
        and (first.tag == "i" or _ICON.search((first.get("class") or "").lower()))
    ):
        icon = text_of(first, SHORT_TEXT)
        text = text[len(icon) :].lstrip() if icon and text.startswith(icon) else text
    return _CLAUSE_END.split(text, maxsplit=1)[0].strip()


_LABELLED = re.compile(r"^([^:：]{1,40})[:：]\s*(.+)$")
# '>10 st', '4 stk', '12+': how many a stock line says there are
_COUNT = re.compile(
    r"^[<>≥+]?\s*(\d+)\s*\+?\s*(?:st|stk|pcs|pc|szt|ks|kpl|шт|units?)?\.?(?!\w)", re.I
)


_LINE_TAGS = frozenset({"li", "div", "p", "tr", "dd", "dt", "ul", "ol", "table", "br"})


def _label_value(element: Any) -> tuple[str, str] | None:
    """A line's label and value ('Göteborg: 4 st'); a box holding several lines is none."""
    if any(d.tag in _LINE_TAGS for d in element.iterdescendants()):
        return None
    text = short_text(element, LONG_LINE)
    match = _LABELLED.match(text) if text else None
    return (match.group(1).strip(), match.group(2)) if match else None


def channel_lines(elements: list[Any], lexicon: ExtractionLexicon) -> tuple[str | None, set[Any]]:
    """A stock list's online line ('Webblager: >10 st') and its state, and the single stores'
    lines beside it ('Sundsvall: Beställningsvara'): one store's stock is not what a buyer
    can order, so those lines are not read as the item's."""
    state, stores = None, set()
    for element in elements:
        pair = _label_value(element)
        parent = element.getparent()
        if pair is None or parent is None or not lexicon.online_label.match(pair[0]):
            continue
        for sibling in parent:
            if sibling is not element and sibling.tag == element.tag and _label_value(sibling):
                stores.add(sibling)
        if state is None:
            count = _COUNT.match(pair[1])
            state = lexicon.stock_state(pair[1]) or (
                None if count is None else "InStock" if int(count.group(1)) else "OutOfStock"
            )
    return state, stores


def _item_box_start(elements: list[Any]) -> int:
    """Where the item's own box starts: the first element of the <h1>'s parent box, since a
    notice printed just above the title ('Объявление снято с публикации') is about this item;
    the <h1> itself where the body is its box, the page start where there is no <h1>."""
    heading = next((i for i, e in enumerate(elements) if e.tag == "h1"), None)
    if heading is None:
        return 0
    parent = elements[heading].getparent()
    if parent is None or parent.tag == "body":
        return heading
    return next((i for i, e in enumerate(elements[:heading]) if e.getparent() is parent), heading)


def buttons_say_unavailable(doc: Document, lexicon: ExtractionLexicon | None = None) -> bool:
    """Whether the page's own button says the product cannot be bought: a button whose whole
    caption is a sold-out or notify-me phrase ('Sold Out', 'Notify me') or starts with a
    notify-me one ("M'alerter du retour en stock"), and no enabled buy button. Stronger than a
    stale structured 'InStock'; a size swatch ('M - sold out') or a buy button disabled until a
    size is chosen does not count."""
    lexicon = lexicon or bundled()
    unavailable = False
    for element in product_elements(doc):
        if not is_button(element):
            continue
        caption = " ".join(button_caption(element).split()).strip(" .!:")
        if not caption or len(caption) > SHORT_TEXT:
            continue
        match = lexicon.not_buyable.search(caption)
        if (
            match is not None and match.group(0).lower() == caption.lower()
        ) or lexicon.notify.match(caption):
            unavailable = True
        elif lexicon.buy.search(caption) and not is_disabled(element):
            return False
    return unavailable


_CANNOT_BUY = frozenset({"OutOfStock", "SoldOut", "Discontinued"})


def heading_box(doc: Document) -> tuple[Any, list[Any]]:
    """The <h1>'s box and its elements outside other products' boxes, or (None, []) where the
    heading is missing or sits straight in <body>: the item's own lines, not a rail's."""
    elements = product_elements(doc)
    heading = next((e for e in elements if e.tag == "h1"), None)
    box = heading.getparent() if heading is not None else None
    if box is None or box.tag == "body":
        return None, []
    return box, [e for e in elements if e is box or box in e.iterancestors()]


def stock_line_says_unavailable(doc: Document, lexicon: ExtractionLexicon | None = None) -> bool:
    """Whether the item's own stock line says it cannot be bought ('Produto esgotado', 'Niet
    meer leverbaar') and no buy button is enabled: what the buyer sees outranks a stale
    structured 'InStock'. Only the h1's own box is read (a rail's 'Available' is another
    product's); an enabled buy button means the line may be about another variant."""
    lexicon = lexicon or bundled()
    box, own = heading_box(doc)
    if box is None or stock_line(own, lexicon) not in _CANNOT_BUY:
        return False
    # Another line in the box saying it can be had ('Im Markt: sofort verfügbar': in store)
    # means the sold-out line is about one channel or variant only.
    for element in own:
        if element.tag in _BUTTON_TAGS or lists_options(element):
            continue
        text = short_text(element)
        state = lexicon.stock_state(text) if text else None
        if state is not None and state not in _CANNOT_BUY:
            return False
    return not any(
        is_button(e) and lexicon.buy.search(button_caption(e)) and not is_disabled(e) for e in own
    )


_LATER = frozenset({"PreOrder", "BackOrder"})


def own_line_says_later(doc: Document, lexicon: ExtractionLexicon | None = None) -> str | None:
    """'PreOrder' or 'BackOrder' where the item's own stock line says it ships later ('예약판매',
    'Forventet på lager: 14-12'), else None: what the buyer reads outranks a structured 'InStock'
    left by a feed that knows only in or out. The <h1>'s box is read where there is one (a
    rail's 'Pre-order' is another product's), else the page outside other products' boxes."""
    lexicon = lexicon or bundled()
    elements = product_elements(doc)
    heading = next((e for e in elements if e.tag == "h1"), None)
    box = heading.getparent() if heading is not None else None
    if box is not None and box.tag != "body":
        elements = [e for e in elements if e is box or box in e.iterancestors()]
    state = stock_line(elements, lexicon)
    return state if state in _LATER else _preorder_button(elements, lexicon)


def _preorder_button(elements: list[Any], lexicon: ExtractionLexicon) -> str | None:
    """'PreOrder' where the item's own enabled button is captioned only as a pre-order
    ('Förbeställ', 'Pre-order now', 'Vorbestellen'): the buyer can only order it ahead."""
    for element in elements:
        caption = button_caption(element) if is_button(element) and not is_disabled(element) else ""
        if 0 < len(caption) <= SHORT_TEXT // 2 and lexicon.stock_state(caption) == "PreOrder":
            return "PreOrder"
    return None
