"""A name inside an attribute's or a party's object in page state ('color': {'name': 'Navy'},
'seller': {'name': ...}) is that attribute's, never the product's title."""

from __future__ import annotations

from typing import Any

from crawler.extraction.state_product import find_product, product_fields


def state_title(data: Any) -> object:
    found = find_product(data)
    assert found is not None
    return product_fields(found, minor_units=False).get("title")


def test_a_colour_objects_name_is_not_the_title() -> None:
    data = {"item": {"code": "77X", "brand": "ACME", "microCategory": "Coat",
                     "priceInfo": {"fullPrice": 300, "currency": "EUR"},
                     "color": {"code": "14", "name": "Navy"}}}  # fmt: skip
    assert state_title(data) is None


def test_a_sellers_and_a_sizes_name_are_not_the_title() -> None:
    data = {"listing": {"price": 25, "seller": {"name": "Best Deals Ltd"},
                        "selectedSize": {"title": "XL"}}}  # fmt: skip
    assert state_title(data) is None


def test_the_products_own_name_beside_a_colour_object_is_the_title() -> None:
    data = {"product": {"name": "Wool Coat", "price": 300, "color": {"name": "Navy"}}}
    assert state_title(data) == "Wool Coat"


def test_a_name_in_a_nested_product_object_is_still_read() -> None:
    data = {"page": {"price": 300, "product": {"name": "Wool Coat"}}}
    assert state_title(data) == "Wool Coat"
