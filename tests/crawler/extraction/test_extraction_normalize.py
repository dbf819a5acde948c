"""Sanity checks that decide whether a candidate value counts: prices, currencies, codes, URLs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawler.extraction.currency import LocaleHints, currency_in_text, to_currency
from crawler.extraction.normalize import (
    clean_brand,
    clean_description,
    clean_text,
    format_price,
    image_candidates,
    seller_id_from_url,
    to_availability,
    to_gtin,
    to_images,
    to_price,
)

NO_HINTS = LocaleHints()


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("19.99", Decimal("19.99")),
        ("1,299.00", Decimal("1299.00")),
        ("1.299,00 €", Decimal("1299.00")),
        ("US $12.34", Decimal("12.34")),
        (Decimal("849.5"), Decimal("849.5")),
        (1299, Decimal(1299)),
        (0.1, Decimal("0.1")),
        ("0", None),
        ("0.00", None),
        ("Call for price", None),
        ("NaN", None),
        (True, None),
        (None, None),
        ("9" * 30, None),
    ],
)
def test_price_must_be_a_positive_decimal(raw: object, amount: Decimal | None) -> None:
    assert to_price(raw) == amount


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("849.5"), "USD", "849.50"),
        (Decimal(1299), None, "1299.00"),
        (Decimal("3980"), "JPY", "3980"),
        (Decimal("12.345"), "USD", "12.345"),
        (Decimal("1E+3"), "EUR", "1000.00"),
    ],
)
def test_price_format_keeps_cents_and_never_rounds(
    amount: Decimal, currency: str | None, text: str
) -> None:
    assert format_price(amount, currency) == text


@pytest.mark.parametrize(
    ("text", "hints", "code"),
    [
        ("US $12.34", NO_HINTS, "USD"),
        ("$5", NO_HINTS, "USD"),
        ("$5", LocaleHints(lang="en-CA"), "CAD"),
        ("€ 3,00", NO_HINTS, "EUR"),
        ("£24.50", NO_HINTS, "GBP"),
        ("RMB 99", NO_HINTS, "CNY"),
        ("99元", NO_HINTS, "CNY"),
        ("¥399", LocaleHints(tld="cn"), "CNY"),
        ("¥399", LocaleHints(lang="zh-CN"), "CNY"),
        ("¥3,980", LocaleHints(tld="jp"), "JPY"),
        ("￥3,980", LocaleHints(lang="ja"), "JPY"),
        ("¥3,980", LocaleHints(charset="shift_jis"), "JPY"),
        ("¥3,980", NO_HINTS, None),
        ("12 kr", LocaleHints(tld="se"), "SEK"),
        ("12 kr", NO_HINTS, None),
        ("FREE 12", NO_HINTS, None),
    ],
)
def test_currency_from_printed_price(text: str, hints: LocaleHints, code: str | None) -> None:
    assert currency_in_text(text, hints) == code


def test_declared_currency_must_be_iso_4217() -> None:
    assert to_currency("usd", NO_HINTS) == "USD"
    assert to_currency("€", NO_HINTS) == "EUR"
    assert to_currency("XXQ", NO_HINTS) is None
    assert to_currency("US Dollars please", NO_HINTS) is None
    assert to_currency(840, NO_HINTS) is None


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("https://schema.org/InStock", "InStock"),
        ("http://schema.org/OutOfStock", "OutOfStock"),
        ("schema:PreOrder", "PreOrder"),
        ("IN_STOCK", "InStock"),
        ("in stock", "InStock"),
        ("oos", "OutOfStock"),
        ("Currently unavailable.", "OutOfStock"),
        ("Sold out", "SoldOut"),
        ("Only 3 left in stock - order soon.", "LimitedAvailability"),
        ("有货", "InStock"),
        ("在庫切れ", "OutOfStock"),
        (True, "InStock"),
        (False, "OutOfStock"),
        ("Blue", None),
        ("", None),
    ],
)
def test_availability_is_a_schema_org_name(raw: object, name: str | None) -> None:
    assert to_availability(raw) == name


def test_gtin_lengths() -> None:
    assert to_gtin("4006381333931") == "4006381333931"
    assert to_gtin("0-12345-67890-5") == "012345678905"
    assert to_gtin("isbn:9780306406157") == "9780306406157"
    assert to_gtin("n/a") is None
    assert to_gtin("12345") is None


def test_text_cleanup_drops_controls_and_bidi_overrides() -> None:
    assert clean_text("\u202eAcme\u202c\x07  Bag\n") == "Acme Bag"
    assert clean_text("Tom &amp; Jerry", unescape=True) == "Tom & Jerry"
    assert clean_text("Tom &amp; Jerry") == "Tom &amp; Jerry"
    assert clean_text("   ") is None
    assert clean_text("x" * 5000, 10) == "x" * 10


def test_zero_width_disguise_survives_cleanup_so_the_stored_title_still_shows_it() -> None:
    """Issue 15 cause 5: the evidence of evasion must not be cleaned away before storing."""
    assert clean_text("Quv\u200baro ear\u200dbuds\ufeff") == "Quv\u200baro ear\u200dbuds\ufeff"
    assert clean_text("Quv\u2066aro\u2069 earbuds") == "Quvaro earbuds"  # isolates: display only
    assert clean_text("Quvaro\u2028earbuds") == "Quvaro earbuds"  # a line separator is a space


def test_description_markup_becomes_text() -> None:
    assert clean_description("<p>One</p><ul><li>Two</li></ul>") == "One Two"
    assert clean_description("5 < 6 and 7 > 3") == "5 < 6 and 7 > 3"


def test_brand_noise() -> None:
    assert clean_brand("Visit the Acme Store") == "Acme"
    assert clean_brand("Brand: Acme") == "Acme"
    assert clean_brand("品牌: 艾克美") == "艾克美"
    assert clean_brand("by Acme") == "Acme"


def test_images_absolute_deduplicated_http_only() -> None:
    base = "https://shop.example/p/1"
    urls = [
        "/a.jpg",
        "a.jpg",
        "/a.jpg",
        "javascript:alert(1)",
        "data:image/png;base64,AA",
        "//cdn.example/b.jpg",
    ]
    assert to_images(urls, base) == [
        "https://shop.example/a.jpg",
        "https://shop.example/p/a.jpg",
        "https://cdn.example/b.jpg",
    ]


def test_image_attribute_forms() -> None:
    assert image_candidates('{"s.jpg":[100,100],"l.jpg":[800,600]}') == ["l.jpg"]
    assert image_candidates("small.jpg 480w, large.jpg 1200w") == ["large.jpg"]
    assert image_candidates("a.jpg 1x, b.jpg 2x") == ["b.jpg"]
    assert image_candidates("{not json") == []


def test_seller_id_from_url() -> None:
    assert seller_id_from_url("https://m.example/sp?ie=UTF8&seller=A2XYZ") == "A2XYZ"
    assert seller_id_from_url("https://m.example/str/acme-outlet?x=1") == "acme-outlet"
    assert seller_id_from_url("https://m.example/about") is None
    assert seller_id_from_url(None) is None


def test_word_signs_stand_alone_and_shared_ones_follow_the_country() -> None:
    ru, za = LocaleHints(lang="ru"), LocaleHints(tld="za")
    assert currency_in_text("рубашка 500", ru) is None  # 'руб' inside "shirt" is no rouble
    assert currency_in_text("500 руб.", ru) == "RUB"
    assert currency_in_text("RAM 16", za) is None
    assert currency_in_text("R 99", za) == "ZAR"
    assert currency_in_text("R 99", LocaleHints(tld="de")) is None  # the rand only in ZA
    assert currency_in_text("درهم 40", LocaleHints(tld="ma")) == "MAD"
    assert currency_in_text("درهم 40", NO_HINTS) == "AED"
    assert currency_in_text("ريال 40", LocaleHints(lang="ar-QA")) == "QAR"
    assert currency_in_text("99元包邮", LocaleHints(lang="zh")) == "CNY"
