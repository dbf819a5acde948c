"""Seller allowlist, price-floor and class-relevance rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pytest

from detector.categories import bundled_category_map
from detector.rules import (
    SellerStatus,
    below_price_floor_signal,
    class_mismatch_signal,
    seller_status,
    unauthorized_seller_signal,
)
from detector.settings import DetectionSettings
from model import Asset, AssetKind, Listing, Seller

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
    id="A", owner="o", kind=AssetKind.WORD_MARK, name="Meadow", classes=("09", "11", "x")
)


def test_class_mismatch_signal_names_category_and_classes(
    make_listing: Callable[..., Listing],
) -> None:
    listing = make_listing("Meadow", category="  Sports   Shoes ")
    signal = class_mismatch_signal(MARK_9_11, listing, bundled_category_map(), SETTINGS)
    assert signal is not None
    assert (signal.kind, signal.score) == ("class_mismatch", 0.0)
    assert signal.detail == (
        "Listing category 'Sports Shoes' (Nice classes 25, 28) is outside the classes 9, 11"
        " the mark MEADOW is registered for; likely an unrelated use of the word (weakens a"
        " plain match only)."
    )
    assert signal.evidence["listing_classes"] == ["25", "28"]
    assert signal.evidence["asset_classes"] == ["9", "11"]
    assert signal.evidence["category_words"] == ["shoes", "sports"]


@pytest.mark.parametrize(
    ("classes", "category", "title"),
    [
        (("9", "11"), "Lighting", "Meadow novel"),  # overlapping classes; the category wins
        (("9",), None, "Meadow X100 pro"),  # no category, no known goods in the title
        (("9",), "Misc", "Meadow X100 pro"),  # unknown category word, same title
        (("9", "16"), None, "Meadow novel"),  # the title's goods overlap the classes
        (("9",), None, "Case for Meadow novel"),  # the novel is what the case fits
        ((), "books", "Meadow novel"),  # asset without classes
        ((), None, "Meadow novel"),
        (("02-04",), "books", "Meadow novel"),  # not a Nice class (a Locarno class)
    ],
)
def test_no_class_mismatch_signal(
    make_listing: Callable[..., Listing],
    classes: tuple[str, ...],
    category: str | None,
    title: str,
) -> None:
    asset = dataclasses.replace(MARK_9_11, classes=classes)
    listing = make_listing(title, category=category)
    assert class_mismatch_signal(asset, listing, bundled_category_map(), SETTINGS) is None


@pytest.mark.parametrize("name", ["Lumora", "ZELTRIX", "Kavori Labs"])
def test_a_coined_mark_gets_no_class_mismatch(
    make_listing: Callable[..., Listing], name: str
) -> None:
    """A coined name on other goods is still the brand ("Lumora novel"); only a word such as
    "Meadow" can be used for its own sense on goods the mark is not registered for."""
    asset = dataclasses.replace(MARK_9_11, name=name)
    listing = make_listing(f"{name} novel", category="books")
    assert class_mismatch_signal(asset, listing, bundled_category_map(), SETTINGS) is None


SAFFRON = Asset(id="S", owner="o", kind=AssetKind.WORD_MARK, name="Saffron", classes=("3",))


@pytest.mark.parametrize("category", [None, "", "Misc", "Unterhaltung"])
def test_goods_in_the_title_count_when_the_category_says_nothing(
    make_listing: Callable[..., Listing], category: str | None
) -> None:
    listing = make_listing("Saffron rice seasoning mix", category=category)
    signal = class_mismatch_signal(SAFFRON, listing, bundled_category_map(), SETTINGS)
    assert signal is not None
    assert (signal.kind, signal.score) == ("class_mismatch", 0.0)
    assert signal.detail == (
        "Listing has no known category; its title names the goods 'rice', 'seasoning mix'"
        " (Nice class 30), outside the classes 3 the mark SAFFRON is registered for; likely an"
        " unrelated use of the word (weakens a plain match only)."
    )
    assert signal.evidence == {
        "source": "title",
        "title": "Saffron rice seasoning mix",
        "title_words": ["rice", "seasoning mix"],
        "listing_classes": ["30"],
        "asset_classes": ["3"],
        "factor": SETTINGS.class_mismatch_factor,
    }


def test_a_known_category_wins_over_the_title(make_listing: Callable[..., Listing]) -> None:
    cats = bundled_category_map()
    related = make_listing("Saffron rice seasoning mix", category="Beauty > Skincare")
    assert class_mismatch_signal(SAFFRON, related, cats, SETTINGS) is None
    unrelated = make_listing("Saffron lipstick", category="Grocery > Spices")
    signal = class_mismatch_signal(SAFFRON, unrelated, cats, SETTINGS)
    assert signal is not None
    assert signal.evidence["source"] == "category"
    assert signal.evidence["category_words"] == ["spices"]
    assert "title_words" not in signal.evidence


CHINESE_MARK = Asset(id="Z", owner="o", kind=AssetKind.WORD_MARK, name="凯沃", classes=("9",))


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("凯沃 有机绿茶 100包", ["绿茶"]),
        ("【凯沃】陶瓷马克杯 送礼", ["马克杯"]),
        ("凯沃同款 纯棉床单 包邮", ["床单"]),
        ("适用于凯沃耳机的收纳盒", ["收纳盒"]),  # a box for earbuds is a box
    ],
)
def test_chinese_titles(make_listing: Callable[..., Listing], title: str, words: list[str]) -> None:
    signal = class_mismatch_signal(
        CHINESE_MARK, make_listing(title), bundled_category_map(), SETTINGS
    )
    assert signal is not None
    assert signal.evidence["title_words"] == words


@pytest.mark.parametrize(
    "title", ["凯沃蓝牙耳机 黑色", "适用于凯沃耳机的充电线", "兼容凯沃手机的数据线"]
)
def test_chinese_titles_of_the_marks_goods_or_accessories(
    make_listing: Callable[..., Listing], title: str
) -> None:
    listing = make_listing(title)
    assert class_mismatch_signal(CHINESE_MARK, listing, bundled_category_map(), SETTINGS) is None


HONEY_BEAR = Asset(id="H", owner="o", kind=AssetKind.WORD_MARK, name="HONEY BEAR", classes=("9",))


def test_mark_spans_keep_the_mark_out_of_the_goods(make_listing: Callable[..., Listing]) -> None:
    """A disguised mark is not found by its registered spelling; its matched span is."""
    listing = make_listing("Honey-Bare X100 pro")
    cats = bundled_category_map()
    guessed = class_mismatch_signal(HONEY_BEAR, listing, cats, SETTINGS)
    assert guessed is not None and guessed.evidence["title_words"] == ["honey"]
    assert class_mismatch_signal(HONEY_BEAR, listing, cats, SETTINGS, mark_spans=[(0, 10)]) is None
    # the registered spelling is skipped even without spans
    plain = make_listing("Honey Bear X100 pro")
    assert class_mismatch_signal(HONEY_BEAR, plain, cats, SETTINGS) is None


def test_hostile_title_is_cut_in_detail_and_evidence(
    make_listing: Callable[..., Listing],
) -> None:
    goods = " ".join(["rice", "tea", "honey", "flour", "sugar", "pasta", "noodles"])
    listing = make_listing(f"Saffron {goods} " + "x" * 100_000)
    signal = class_mismatch_signal(SAFFRON, listing, bundled_category_map(), SETTINGS)
    assert signal is not None
    assert signal.detail.count("'") == 10  # five words shown
    assert " and more (Nice class 30)" in signal.detail
    assert len(signal.detail) < 300
    assert len(signal.evidence["title"]) <= 500
    assert len(signal.evidence["title_words"]) == 7


def test_hostile_category_is_cut_in_detail_and_evidence(
    make_listing: Callable[..., Listing],
) -> None:
    listing = make_listing("Meadow", category="books " + "x" * 100_000)
    signal = class_mismatch_signal(MARK_9_11, listing, bundled_category_map(), SETTINGS)
    assert signal is not None
    assert len(signal.detail) < 300
    assert len(signal.evidence["category"]) <= 500
