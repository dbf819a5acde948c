"""Whether a printed price is one only some buyers pay: a card, wallet (Pix), member, coupon,
basket or subscription word in the small box that holds the price alone, in the words printed
right after it, or in the note under it ('Gäller 1–31 dec för Family-medlemmar'); an amount
printed right after instalment words ('4 interest-free payments of $9.50') is one instalment."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crawler.extraction.currency import has_currency_mark
from crawler.extraction.document import text_of

if TYPE_CHECKING:
    from crawler.extraction.lexicon import ExtractionLexicon

CONDITION_TEXT = 40
NOTE_TEXT = 100  # a note under a price ('À vista no PIX com 15% de desconto')
CONDITION_LEVELS = 3
_NUMBER = re.compile(r"\d[\d.,'\s]*")


def conditional(node: Any, lexicon: ExtractionLexicon) -> bool:
    """A price only some buyers pay: a card, wallet, member or basket word in its own element, in
    the small box that holds this one price alone, or in the words printed right after it
    ('1 260 ₽ с Кошельком')."""
    texts = [
        (node.tail or "")[:CONDITION_TEXT],  # '<span>R$ 1.979,10</span> no Pix'
        text_of(node, CONDITION_TEXT * 3),  # 'R$ 1.139,99 no Pix (5% de desconto)': its own words
    ]
    parent = node.getparent()
    if node.getprevious() is None and parent is not None:  # 'Mit Spar-Abo: <span>44,64 €</span>'
        before = (parent.text or "").strip()  # (a sibling's label is that sibling's own)
        # a label closed by a colon names the price after it even where it prints the discount
        # it gives ('Sepette 1.000 TL indirim: <b>41.999 TL</b>')
        if len(before) <= CONDITION_TEXT and (
            before.endswith(":") or not any(c.isdigit() for c in before)
        ):
            texts.append(before)
    previous = node.getprevious()
    if (
        previous is not None
        and previous.getprevious() is None
        and not (previous.tail or "").strip()
    ):
        # '<span class=label>Ar Mans Rimi karti</span><span>6</span><sup>29</sup>': a short
        # wordy element opening the box right before the price is its label, even in a box of
        # several amounts ('1 260 ₽ <span>с Кошельком</span> 1 299 ₽': that one is the first's)
        label = text_of(previous, CONDITION_TEXT + 1)
        if len(label) <= CONDITION_TEXT and not any(c.isdigit() for c in label):
            texts.append(label)
    lead = previous.tail if previous is not None else parent.text if parent is not None else ""
    if lexicon.instalment.search((lead or "")[-CONDITION_TEXT * 2 :]):
        return True  # 'or 4 interest-free payments of <b>$9.50</b>': an instalment
    following = node.getnext()
    if following is not None:
        after = text_of(following, CONDITION_TEXT + 1)
        if len(after) <= CONDITION_TEXT and not any(c.isdigit() for c in after):
            texts.append(after)
    box = node
    for _ in range(CONDITION_LEVELS):
        text = text_of(box, CONDITION_TEXT * 3)
        if len(_NUMBER.findall(text)) > 1:
            break
        texts.append(text)
        box = box.getparent()
        if box is None:
            break
    return any(lexicon.names_condition(t) for t in [*texts, *_notes_after(node)])


def _notes_after(node: Any) -> list[str]:
    """The note printed right after a price, or after the small box that holds it alone
    ('<span>1 995:-</span><p>Gäller 1–31 dec för Family-medlemmar</p>'): a line that names no
    currency is no price of its own, so its words (dates and percentages aside) are this one's."""
    notes = []
    box = node
    for _ in range(CONDITION_LEVELS):
        following = box.getnext()
        if following is not None and not _labels_next(following):
            note = text_of(following, NOTE_TEXT + 1)
            if len(note) <= NOTE_TEXT and not has_currency_mark(note):
                notes.append(note)
        box = box.getparent()
        if box is None or len(_NUMBER.findall(text_of(box, CONDITION_TEXT * 3))) > 1:
            break
    return notes


def _labels_next(element: Any) -> bool:
    """Whether a short wordy element is the label of the price printed right after it
    ('<dt>Coupon Price</dt><dd>S$21.90</dd>'), not a note on the one before."""
    text = text_of(element, CONDITION_TEXT + 1)
    after = element.getnext()
    return (
        len(text) <= CONDITION_TEXT
        and not any(c.isdigit() for c in text)
        and after is not None
        and has_currency_mark(text_of(after, NOTE_TEXT))
    )
