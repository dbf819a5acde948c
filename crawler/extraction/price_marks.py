"""How a printed price is marked as a former one rather than the price paid now: struck through
by tag (<s>, <del>), by class name ('line-through', 'price--old', 'was-price') or by inline
style ('text-decoration: line-through'), or labelled 'was'/'UVP'/'MRP' in or right before it.
Class names are read as words, so a bold ('font-bold') or gold price is not an old one."""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING, Any

from crawler.extraction.currency import has_currency_mark
from crawler.extraction.document import chosen_option, text_of
from crawler.extraction.price_conditions import CONDITION_LEVELS

if TYPE_CHECKING:
    from crawler.extraction.lexicon import ExtractionLexicon

LIST_WORD = 30  # "UVP", "statt", "Was:" printed in the element before a price

# 'currentPriceBeforePoint': the whole units, before the decimal point, not an earlier price.
_POINT_PART = re.compile(
    r"(?:before|after)[-_ ]?(?:the[-_ ]?)?(?:decimal[-_ ]?)?(?:point|comma|dot)"
)
# Struck through by style: the 'line-through' utility class (Tailwind, Bootstrap's
# 'text-decoration-line-through') or an inline 'text-decoration: line-through'; a state variant
# ('hover:line-through') strikes nothing as printed.
_LINE_THROUGH = (
    r"(?<![\w:])(?:text-decoration-)?line-?through|text-decoration[-\w]*\s*:[^;]*line-through|"
    r"crossed"
)
# 'old' as a word of a class name ('price--old', 'oldPrice', 'price_old'), never inside one
# ('font-bold', 'text-gold', 'placeholder').
_OLD_WORD = r"(?<![a-z])old|(?<=price)old"
# 'regular' as a word of a class name ('price--regular', 'regularPrice', 'priceRegular',
# 'paragraphRegularPrice'), not a typeface weight run into a type scale's name
# ('texts_bodyMRegular').
_REGULAR_WORD = r"(?<![a-z])regular|regular(?=[-_]*price)|(?<=price)regular"
# 'list' is a list price's mark, 'listing' the item's own box ('marketplace-listing') and a
# BEM block's name before its element ('product-list__current-price') no mark of the price.
# 'previous'/'former' in the class names of Spanish, Portuguese, French and German shops
# ('precio-anterior', 'preco-antigo', 'prix-ancien', 'streichpreis', 'preis-vorher').
_FORMER_WORD = r"anterior|antigo|ancien|streich|vorher"
_OLD_PRICE = re.compile(
    rf"was|{_OLD_WORD}|list(?!ing|__)|strike|compare|{_REGULAR_WORD}|origin|msrp|before|save|saving|"
    rf"previous|striked|reference|uvp|{_FORMER_WORD}|{_LINE_THROUGH}"
)
_OLD_TAGS = frozenset({"s", "del", "strike"})
# A price struck through or marked as a former one; a 'regular' price is not such a one.
_STRUCK = re.compile(
    rf"strike|{_OLD_WORD}|was(?![a-z])|previous|before|original|{_FORMER_WORD}|{_LINE_THROUGH}"
)


def attrs(element: Any) -> str:
    """An element's attribute names and values as one lower-case text, without the
    before/after-the-decimal-point names that mark a price's parts, not a former price."""
    text = " ".join(
        f"{k} {v}" for k, v in element.attrib.items() if not str(v).lstrip().startswith(("{", "["))
    ).lower()  # a JSON blob ('data-product={"price": {"before": ...}}') is data, not a mark
    return _POINT_PART.sub(" ", text)


def printed_before(node: Any) -> str:
    """The text right before an element: its previous sibling's, else its parent's own, climbing
    while an element is the first, textless child ('MRP:<span><span>₹799</span></span>')."""
    for _ in range(CONDITION_LEVELS):
        previous = node.getprevious()
        if previous is not None:
            return f"{text_of(previous, LIST_WORD)} {previous.tail or ''}".strip()
        parent = node.getparent()
        if parent is None:
            return ""
        if (parent.text or "").strip():
            return str(parent.text).strip()
        node = parent
    return ""


def word_before(node: Any, pattern: re.Pattern[str]) -> bool:
    """Whether the short wordy text printed right before ``node`` starts with ``pattern``."""
    before = printed_before(node)
    return (
        len(before) <= LIST_WORD
        and not any(c.isdigit() for c in before)
        and bool(pattern.match(before))
    )


def word_after(node: Any, pattern: re.Pattern[str]) -> bool:
    """Whether the short wordy element printed right after ``node`` starts with ``pattern``: a
    label set after its price ('<span>$ 4.990</span> <span>Precio Oferta</span>')."""
    following = node.getnext()
    if following is None or (node.tail or "").strip():
        return False
    label = text_of(following, LIST_WORD + 1)
    return (
        len(label) <= LIST_WORD
        and not any(c.isdigit() for c in label)
        and bool(pattern.match(label))
    )


_ITEM_LISTS = frozenset({"ul", "ol"})


def _old_marked(element: Any) -> bool:
    """Whether an element's attributes mark an old price. On a <ul> or <ol> 'list' names the
    list of items itself ('sku-select__list' of sizes, each with its price), no list price."""
    marks = attrs(element)
    if element.tag in _ITEM_LISTS:
        marks = marks.replace("list", " ")
    return bool(_OLD_PRICE.search(marks))


def is_old(node: Any, lexicon: ExtractionLexicon, text: str) -> bool:
    """A struck-through/'was'/'UVP'/'MRP' price (the word in it or just before it), an Omnibus
    lowest-price-of-30-days one, or one containing such a price."""
    if lexicon.list_price.match(text) or word_before(node, lexicon.list_price):
        return True
    if lexicon.lowest_price.search(text) or _omnibus_label(node, lexicon):
        return True  # 'Najniższa cena z 30 dni: <span>2 399,00 zł</span>' (the Omnibus line)
    if any(el.tag in _OLD_TAGS or _old_marked(el) for el in node.iter()):
        return True
    ancestors = list(node.iterancestors())[:3]
    return any(
        el.tag in _OLD_TAGS or (_old_marked(el) and not _strikes_another(el, node))
        for el in ancestors
    )


OMNIBUS_LABEL = 120


def _omnibus_label(node: Any, lexicon: ExtractionLexicon) -> bool:
    """Whether the text right before ``node`` is an Omnibus label ('Niedrigster Preis der letzten
    30 Tage:') rather than a whole Omnibus line with its own amount, after which a price is the
    current one."""
    previous = node.getprevious()
    if previous is not None:
        label = f"{text_of(previous, OMNIBUS_LABEL)} {previous.tail or ''}"
    else:
        parent = node.getparent()
        label = (parent.text or "") if parent is not None else ""
    return bool(lexicon.lowest_price.search(label)) and not has_currency_mark(label)


def _strikes_another(box: Any, node: Any) -> bool:
    """Whether a box marked as old ('price original') strikes through another price of its own
    ('<span>14,99 €</span> <del>22,99 €</del>'): then the mark is that one's, not ``node``'s."""
    inside = set(node.iter())
    return any(
        el not in inside and (el.tag in _OLD_TAGS or re.search(_LINE_THROUGH, attrs(el)))
        for el in box.iterdescendants()
    )


def struck(node: Any) -> bool:
    """Whether a list price is struck through or marked as a former one, not a 'regular' price
    printed beside a conditional one."""
    near = [node, *node.iterdescendants(), *islice(node.iterancestors(), CONDITION_LEVELS)]
    return any(el.tag in _OLD_TAGS or _STRUCK.search(attrs(el)) for el in near)


OPTION_LEVELS = 3  # a variant option's price sits a level or two inside the option
_CHOICE_INPUTS = frozenset({"radio", "checkbox"})
_ARIA_CHOSEN = ("aria-checked", "aria-selected")


def unchosen_option(node: Any) -> bool:
    """Whether a price is printed in a variant option that is not the chosen one while another
    option of the same choice is ('60 ml 79,99 €' beside the checked '100 ml 112,00 €'): that
    price is another variant's. With no option chosen, no option's price is set aside."""
    for box in islice(node.iterancestors(), OPTION_LEVELS):
        if box.tag == "option":
            others = [*box.itersiblings("option"), *box.itersiblings("option", preceding=True)]
            return box.get("selected") is None and any(
                o.get("selected") is not None for o in others
            )
        for attr in _ARIA_CHOSEN:
            if box.get(attr) == "false":
                siblings = [*box.itersiblings(), *box.itersiblings(preceding=True)]
                return any(s.get(attr) == "true" for s in siblings)
        inputs = [i for i in box.iter("input") if (i.get("type") or "").lower() in _CHOICE_INPUTS]
        if len(inputs) > 1:
            return False
        if inputs:
            return _unchecked_in_checked_group(inputs[0])
        if box.tag == "li" and not chosen_option(box):
            # '<li class="active">42 ¥739</li>' among its sizes' items: the others are not chosen
            others = [*box.itersiblings("li"), *box.itersiblings("li", preceding=True)]
            if sum(chosen_option(o) for o in others) == 1:
                return True
    return False


def _unchecked_in_checked_group(choice: Any) -> bool:
    """An unchecked radio or checkbox whose group (the inputs of its name) has a checked one."""
    name = choice.get("name")
    if choice.get("checked") is not None or not name:
        return False
    root = choice.getroottree().getroot()
    return any(
        other.get("checked") is not None
        for other in root.iter("input")
        if other.get("name") == name
    )
