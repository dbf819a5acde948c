"""A disguised distinctive mark flags on its own; words, other brands and context explain it.

Every listing here has no seller and no price: the disguise is the only evidence. Marks and
titles are new examples, not taken from the bench sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from detector.engine import Detector
from model import Asset, AssetKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from model import Finding, Listing


def _mark(id_: str, name: str, classes: tuple[str, ...]) -> Asset:
    return Asset(id=id_, owner=f"{name} Ltd", kind=AssetKind.WORD_MARK, name=name, classes=classes)


QUVARO = _mark("Q", "QUVARO", ("9",))  # coined, six letters
ZEVO = _mark("Z", "ZEVO", ("25",))  # coined, short
QUVIRO = _mark("QI", "QUVIRO", ("12",))  # another owner's mark a letter away
PHILIPA = _mark("P", "PHILIPA", ("11",))  # a letter away from a famous brand
MAGNOLIA = _mark("M", "MAGNOLIA", ("3",))  # an ordinary word
LENOVA = _mark("L", "LENOVA", ("21",))  # a letter from a famous brand and from a name
ASSETS = (QUVARO, ZEVO, QUVIRO, PHILIPA, MAGNOLIA, LENOVA)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(list(ASSETS))


def flagged(detector: Detector, listing: Listing) -> dict[str, Finding]:
    return {f.asset_id: f for f in detector.detect(listing) if f.flagged}


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Quvаro desk lamp", "homoglyph"),  # Cyrillic а, on goods outside class 9
        ("Qυvаrο bluetooth speaker", "mixed_scripts"),  # Greek υ, Cyrillic а, Greek ο
        ("QUV4R0 earbuds - Piano Black", "digits"),  # leetspeak, and a colour named after goods
        ("Quvtaro power bank", "misspelling"),  # letter inserted
        ("Qvaro power bank", "misspelling"),  # letter omitted
        ("Quavro smartwatch", "misspelling"),  # letters swapped
        ("QUVVVARO headphones", "misspelling"),  # a letter held down (two extra)
        ("Q u v a r o headphones", "spacing"),
        ("Qu.va.ro headphones", "spacing"),
        ("Zedvo hoodie", "misspelling"),  # short mark, letter inserted
        ("Zeov sneakers", "misspelling"),  # short mark, letters swapped
        ("ZEEVVO socks", "misspelling"),  # short mark, letters held down
    ],
)
def test_disguise_alone_flags_without_seller_or_price(
    detector: Detector, make_listing: Callable[..., Listing], title: str, kind: str
) -> None:
    found = flagged(detector, make_listing(title, seller=None, price=None))
    expected = QUVARO if title.lower().startswith("q") else ZEVO
    assert set(found) == {expected.id}
    [mark] = [s for s in next(iter(found.values())).signals if s.kind == "word_mark"]
    assert kind in mark.evidence["disguises"]
    assert "evidence of intent to evade" in mark.detail


def test_disguise_on_unrelated_goods_is_not_weakened(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    """'Magnоlia' (Cyrillic о) on a novel is no use of the word: the disguise counts in full."""
    found = flagged(detector, make_listing("Magnоlia novel paperback", seller=None, price=None))
    assert set(found) == {MAGNOLIA.id}
    assert "class_mismatch" in [s.kind for s in found[MAGNOLIA.id].signals]


@pytest.mark.parametrize(
    "title",
    [
        "Philips desk lamp 40W",  # a famous brand, not a misspelt PHILIPA
        "PHILIPS ceiling light",
        "Lenovo laptop sleeve",
        "Lenora summer dress",  # a name, not a misspelt LENOVA
        "Quviro e-bike battery",  # another owner's registered mark, written as registered
        "Three magnolias at dawn",  # the plural of the word a mark is made of
        "Zero waste kit",  # "zero" is a word, not ZEVO with a letter changed
        "Zevos",  # a plural is no slip inside the mark
        "Replacement strap for Quavro smartwatch",  # compatibility wording explains a typo
        "Charger compatible with Qvaro power bank",
    ],
)
def test_explained_forms_do_not_flag(
    detector: Detector, make_listing: Callable[..., Listing], title: str
) -> None:
    assert flagged(detector, make_listing(title, seller=None, price=None)) == {}


def test_compatibility_does_not_explain_lookalike_letters(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    """Nobody types a Cyrillic 'а' into the brand their accessory fits."""
    listing = make_listing("Replacement strap for Quvаro smartwatch", seller=None, price=None)
    assert set(flagged(detector, listing)) == {QUVARO.id}
