"""Page state keeps a price only some buyers pay (a membership's, a store card's) beside the
shown one, and flags the chosen variant with 'selected': true rather than naming its id."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def page(script: str, body: str = "<div>Loading</div>") -> str:
    head = "<head><title>Shop</title></head>"
    return f'<html lang="en">{head}<body>{body}<script>{script}</script></body></html>'


def price_of(script: str, body: str = "<div>Loading</div>") -> Decimal:
    found = extract_listing(page(script, body), "https://shop.example.com/p/1")
    return Decimal(found.price or "0")


def test_a_membership_price_in_state_is_not_the_price() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Desk lamp","currency":"EUR",'
        '"memberPrice":{"amount":17},"price":{"amount":19}}};'
    )
    assert price_of(script) == Decimal("19")


def test_a_store_card_discounted_price_in_state_is_not_the_price() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Cheese 500 g","currency":"EUR",'
        '"shownPrice":"8.45","cardDiscountedPrice":"7.45"}};'
    )
    assert price_of(script) == Decimal("8.45")


def test_a_plus_subscription_price_beside_variants_is_not_the_price() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Earbuds","currency":"GBP","variants":['
        '{"id":"a","price":{"amount":25}},{"id":"b","price":{"amount":25}}],'
        '"plusPrice":{"amount":21}}};'
    )
    assert price_of(script) == Decimal("25")


def test_the_variant_flagged_selected_gives_the_price() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Mug","currency":"EUR","variants":['
        '{"id":"red","price":9},{"id":"blue","price":12,"selected":true}]}};'
    )
    assert price_of(script) == Decimal("12")


def test_a_selected_false_flag_does_not_pick_a_variant() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Mug","currency":"EUR","price":9,"variants":['
        '{"id":"red","price":9,"selected":false},{"id":"blue","price":12,"selected":false}]}};'
    )
    assert price_of(script) == Decimal("9")


def test_a_sale_price_in_state_is_still_the_price() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Kettle","currency":"EUR",'
        '"salePrice":"24.99","regularPrice":"29.99"}};'
    )
    assert price_of(script) == Decimal("24.99")


def test_an_active_promotion_in_state_is_no_chosen_variant() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Mug","currency":"EUR","price":9,"promotions":['
        '{"id":"p1","price":7,"active":true}]}};'
    )
    assert price_of(script) == Decimal("9")
