"""Marks respelt the way they sound, missing their last letter, or marked with combining
accents: each is a disguise that flags on its own; the words, stems and part listings they
resemble do not."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from detector.engine import Detector
from detector.settings import DetectionSettings
from model import Asset, AssetKind, Seller

if TYPE_CHECKING:
    from collections.abc import Callable

    from model import Finding, Listing


def _mark(id_: str, name: str) -> Asset:
    return Asset(id=id_, owner=f"{name} Ltd", kind=AssetKind.WORD_MARK, name=name, classes=("9",))


KALDEX = _mark("K", "KALDEX")  # x at the end, respelt "ks"
BREEZIO = _mark("B", "BREEZIO")  # ee, respelt "i"
MOOVANA = _mark("M", "MOOVANA")  # oo, respelt "u"
NEXOVIRAN = _mark("N", "NEXOVIRAN")  # long: a stem of it is still no disguise
VELKRIL = _mark("V", "VELKRIL")  # an i and an l, which look alike, at its end
CONDORIA = _mark("C", "CONDORIA")  # its cut end is a dictionary word
FEETS = _mark("F", "FEETS")  # a sound-alike of it is a dictionary word
ASSETS = (KALDEX, BREEZIO, MOOVANA, NEXOVIRAN, VELKRIL, CONDORIA, FEETS)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(list(ASSETS))


def flagged(detector: Detector, listing: Listing) -> dict[str, Finding]:
    return {f.asset_id: f for f in detector.detect(listing) if f.flagged}


@pytest.mark.parametrize(
    ("title", "asset", "kind"),
    [
        ("Kaldeks K7 wireless earbuds", KALDEX, "misspelling"),
        ("Brizio smart speaker", BREEZIO, "misspelling"),
        ("Muvana fitness tracker", MOOVANA, "misspelling"),
        ("Nexovira 5G router", NEXOVIRAN, "misspelling"),
        ("Velkri gaming mouse", VELKRIL, "misspelling"),
        ("Kal\u0302dex K7 wireless earbuds", KALDEX, "accents"),
        ("Kalde\u0331x K7 wireless earbuds", KALDEX, "accents"),
    ],
)
def test_respelt_cut_or_accented_mark_flags_without_seller_or_price(
    detector: Detector,
    make_listing: Callable[..., Listing],
    title: str,
    asset: Asset,
    kind: str,
) -> None:
    found = flagged(detector, make_listing(title, seller=None, price=None))
    assert set(found) == {asset.id}
    [mark] = [s for s in found[asset.id].signals if s.kind == "word_mark"]
    assert kind in mark.evidence["disguises"]


def test_a_combining_accent_is_named_for_the_reviewer(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    found = flagged(detector, make_listing("Kal\u0302dex K7", seller=None, price=None))
    [mark] = [s for s in found[KALDEX.id].signals if s.kind == "word_mark"]
    assert "with a combining circumflex accent on 'l'." in mark.detail


@pytest.mark.parametrize(
    "title",
    [
        "Kaldex K7 wireless earbuds",  # the mark as registered, by the owner's store
        "Condor feather print poster",  # CONDORIA cut short is a word
        "Nexovi 5G router",  # a stem: another firm's name or a model line as often as not
        "Case fits all phones",  # FEETS said another way is a word
        "Nexo power bank",  # too little of NEXOVIRAN left to be read as it
    ],
)
def test_words_names_and_parts_listings_do_not_flag(
    detector: Detector, make_listing: Callable[..., Listing], title: str
) -> None:
    assert flagged(detector, make_listing(title)) == {}


ONKARO = Asset(
    id="O",
    owner="Onkaro Ltd",
    kind=AssetKind.WORD_MARK,
    name="ONKARO",
    classes=("9",),
    authorized_sellers=("Onkaro Store",),
    price_floor=Decimal("300"),
)


@pytest.mark.parametrize(
    ("title", "flags"),
    [
        ("Onkaro TV-55 power board", True),  # the mark on a cheap listing by a stranger
        ("Replacement power board for Onkaro TV-55", False),  # a part made to fit it
        ("Spare motherboard for Onkaro TV-55", False),
        ("LCD screen for Onkaro TV-55", False),
        ("Ersatzteile für Onkaro TV-55", False),
        ("Power board for Onkaro TV-55 with Onkaro logo", True),  # the brand on the part itself
    ],
)
def test_a_spare_part_named_for_the_product_it_fits_is_compatibility(
    make_listing: Callable[..., Listing], title: str, flags: bool
) -> None:
    listing = make_listing(title, seller=Seller(id="s-9", name="partsbay"), price=Decimal("9"))
    assert bool(flagged(Detector([ONKARO]), listing)) is flags


def test_a_brand_of_the_watched_category_named_in_settings_is_no_disguise(
    make_listing: Callable[..., Listing],
) -> None:
    """ZORVEK is registered; Zorvak is a real firm selling the same goods, one letter away."""
    zorvek = _mark("Z", "ZORVEK")
    listing = make_listing("Zorvak X2 smartphone", seller=Seller(id="s", name="s"), price=None)
    assert set(flagged(Detector([zorvek]), listing)) == {"Z"}
    told = Detector([zorvek], DetectionSettings(other_brands=("Blue Hill", "Zor-Vak")))
    assert flagged(told, listing) == {}
    respelt = make_listing("Zorveks X2 smartphone", seller=None, price=None)
    assert set(flagged(told, respelt)) == {"Z"}  # the registered mark's own disguises still count
