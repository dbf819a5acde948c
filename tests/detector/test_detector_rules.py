"""Seller allowlist and price-floor rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pytest

from detector.categories import bundled_category_map
from detector.model import Asset, AssetKind, Listing, Seller
from detector.rules import (
    SellerStatus,
    below_price_floor_signal,
    class_mismatch_signal,
    seller_status,
    unauthorized_seller_signal,
)
from detector.settings import DetectionSettings

SETTINGS = DetectionSettings()


@pytest.mark.parametrize(
    ("seller", "status"),
    [
        (Seller(id="nf-store-01"), SellerStatus.AUTHORIZED),
        (Seller(name="NOVAFLEX  official"), SellerStatus.AUTHORIZED),
        (Seller(name="Ｎｏｖａｆｌｅｘ Official"), SellerStatus.AUTHORIZED),  # width only
        (Seller(id="x1", name="Novaflex Official"), SellerStatus.AUTHORIZED),
        (Seller(id="x1", name="Cheap Shoes 4U"), SellerStatus.UNAUTHORIZED),
        (Seller(name="N0vaflex Official"), SellerStatus.UNAUTHORIZED),  # lookalike, not folded
        (Seller(name="Növaflex Official"), SellerStatus.UNAUTHORIZED),
        (Seller(), SellerStatus.UNKNOWN),
        (None, SellerStatus.UNKNOWN),
    ],
)
def test_seller_status(novaflex: Asset, seller: Seller | None, status: SellerStatus) -> None:
    assert seller_status(novaflex, seller) is status


def test_no_allowlist_means_no_seller_signal(lumora: Asset) -> None:
    assert seller_status(lumora, Seller(name="anyone")) is SellerStatus.UNKNOWN
    assert unauthorized_seller_signal(lumora, Seller(name="anyone")) is None


def test_unauthorized_seller_signal(novaflex: Asset) -> None:
    signal = unauthorized_seller_signal(novaflex, Seller(id="s9", name="Cheap Shoes 4U"))
    assert signal is not None
    assert (signal.kind, signal.score) == ("unauthorized_seller", 1.0)
    assert signal.detail == (
        "Seller 'Cheap Shoes 4U' (id s9) is not one of the 2 authorized sellers of NOVAFLEX."
    )
    assert signal.evidence["authorized_sellers"] == ["Novaflex Official", "nf-store-01"]
    assert unauthorized_seller_signal(novaflex, Seller(name="Novaflex Official")) is None


def price(make_listing: Callable[..., Listing], amount: str, currency: str = "EUR") -> Listing:
    return make_listing("x", price=Decimal(amount), currency=currency)


def test_price_below_floor(novaflex: Asset, make_listing: Callable[..., Listing]) -> None:
    signal = below_price_floor_signal(novaflex, price(make_listing, "40.00"), SETTINGS)
    assert signal is not None
    assert signal.kind == "below_price_floor"
    assert signal.score == 0.75  # 50 % under the floor
    assert signal.evidence == {
        "price": "40.00",
        "currency": "EUR",
        "floor": "80.00",
        "ratio": "1.0",
        "limit": "80.000",
        "shortfall": 0.5,
    }
    assert "50% below the floor" in signal.detail


@pytest.mark.parametrize("amount", ["80.00", "80.01", "500"])
def test_price_at_or_above_floor_gives_nothing(
    novaflex: Asset, make_listing: Callable[..., Listing], amount: str
) -> None:
    assert below_price_floor_signal(novaflex, price(make_listing, amount), SETTINGS) is None


def test_lower_price_scores_higher(novaflex: Asset, make_listing: Callable[..., Listing]) -> None:
    scores = []
    for amount in ["79", "60", "30", "1", "0"]:
        signal = below_price_floor_signal(novaflex, price(make_listing, amount), SETTINGS)
        assert signal is not None
        scores.append(signal.score)
    assert scores == sorted(scores)
    assert scores[-1] == 1.0


def test_ratio_moves_the_limit(novaflex: Asset, make_listing: Callable[..., Listing]) -> None:
    half = DetectionSettings(price_floor_ratio=0.5)
    assert below_price_floor_signal(novaflex, price(make_listing, "50"), half) is None
    assert below_price_floor_signal(novaflex, price(make_listing, "39"), half) is not None


@pytest.mark.parametrize(
    ("currency", "expected"), [("eur", True), (" EUR ", True), ("USD", False), (None, False)]
)
def test_currency_must_match(
    novaflex: Asset, make_listing: Callable[..., Listing], currency: str | None, expected: bool
) -> None:
    listing = make_listing("x", price=Decimal("10"), currency=currency)
    assert (below_price_floor_signal(novaflex, listing, SETTINGS) is not None) is expected


def test_missing_price_or_floor_gives_nothing(
    novaflex: Asset, lumora: Asset, make_listing: Callable[..., Listing]
) -> None:
    assert below_price_floor_signal(novaflex, make_listing("x", price=None), SETTINGS) is None
    assert below_price_floor_signal(lumora, price(make_listing, "1"), SETTINGS) is None
    no_currency = dataclasses.replace(novaflex, currency=None)
    assert below_price_floor_signal(no_currency, price(make_listing, "1"), SETTINGS) is None


MARK_9_11 = Asset(
    id="A", owner="o", kind=AssetKind.WORD_MARK, name="Lumora", classes=("09", "11", "x")
)


def test_class_mismatch_signal_names_category_and_classes(
    make_listing: Callable[..., Listing],
) -> None:
    listing = make_listing("Lumora", category="  Sports   Shoes ")
    signal = class_mismatch_signal(MARK_9_11, listing, bundled_category_map(), SETTINGS)
    assert signal is not None
    assert (signal.kind, signal.score) == ("class_mismatch", 0.0)
    assert signal.detail == (
        "Listing category 'Sports Shoes' (Nice classes 25, 28) is outside the classes 9, 11"
        " the mark LUMORA is registered for; likely an unrelated use of the word."
    )
    assert signal.evidence["listing_classes"] == ["25", "28"]
    assert signal.evidence["asset_classes"] == ["9", "11"]
    assert signal.evidence["category_words"] == ["shoes", "sports"]


@pytest.mark.parametrize(
    ("classes", "category"),
    [
        (("9", "11"), "Lighting"),  # overlapping classes
        (("9",), None),  # no category: never guessed from the title
        (("9",), "Misc"),  # unknown category word
        ((), "books"),  # asset without classes
        (("02-04",), "books"),  # not a Nice class (a Locarno class)
    ],
)
def test_no_class_mismatch_signal(
    make_listing: Callable[..., Listing], classes: tuple[str, ...], category: str | None
) -> None:
    asset = dataclasses.replace(MARK_9_11, classes=classes)
    listing = make_listing("Lumora novel", category=category)
    assert class_mismatch_signal(asset, listing, bundled_category_map(), SETTINGS) is None


def test_hostile_category_is_cut_in_detail_and_evidence(
    make_listing: Callable[..., Listing],
) -> None:
    listing = make_listing("Lumora", category="books " + "x" * 100_000)
    signal = class_mismatch_signal(MARK_9_11, listing, bundled_category_map(), SETTINGS)
    assert signal is not None
    assert len(signal.detail) < 300
    assert len(signal.evidence["category"]) <= 500
