"""Page state that states no availability key but flags the product sold ('isSold': true,
'isSoldOut': false) gives its availability, and the product's own bare 'id'/'no' is its sku
where the URL path carries that number as a whole part (crawler/extraction/state_product.py)."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.model import ExtractedListing


def listing(
    state: str, url: str = "https://classifieds.example/p/oak-desk-88120457/"
) -> ExtractedListing:
    html = (
        '<html><head><script id="__NEXT_DATA__" type="application/json">'
        f"{state}</script></head><body><h1>Oak desk</h1></body></html>"
    )
    return extract_listing(html, url)


def test_a_listing_flagged_sold_is_sold_out() -> None:
    state = '{"props":{"listing":{"id":"88120457","title":"Oak desk","price":"90","isSold":true}}}'
    assert listing(state).availability == "SoldOut"


def test_a_product_flagged_not_sold_out_is_in_stock() -> None:
    state = '{"product":{"no":4410921,"name":"Oak desk","salePrice":90,"isSoldOut":false}}'
    assert listing(state).availability == "InStock"


def test_an_availability_key_outranks_a_sold_flag() -> None:
    state = '{"product":{"name":"Oak desk","price":90,"available":false,"isSoldOut":false}}'
    assert listing(state).availability == "OutOfStock"


def test_a_sold_flag_on_a_related_item_is_not_the_products() -> None:
    state = (
        '{"product":{"name":"Oak desk","price":90,'
        '"similarItems":[{"name":"Pine desk","isSold":true}]}}'
    )
    assert listing(state).availability is None


def test_the_products_own_id_the_url_spells_is_its_sku() -> None:
    state = '{"props":{"listing":{"id":"88120457","title":"Oak desk","price":"90"}}}'
    assert listing(state).sku == "88120457"


def test_a_product_number_the_url_spells_is_its_sku() -> None:
    state = '{"product":{"no":4410921,"name":"Oak desk","salePrice":90}}'
    assert listing(state, "https://shop.example/goods/4410921").sku == "4410921"


def test_an_id_the_url_does_not_spell_is_no_sku() -> None:
    state = '{"product":{"id":"99120001","name":"Oak desk","price":90}}'
    assert listing(state, "https://shop.example/goods/oak-desk").sku is None


def test_an_id_only_part_of_a_longer_url_number_is_no_sku() -> None:
    state = '{"product":{"id":"12045","name":"Oak desk","price":90}}'
    assert listing(state, "https://shop.example/goods/9912045").sku is None


def test_a_hash_id_the_url_spells_is_no_sku() -> None:
    state = '{"product":{"id":"64a1b2c3d4e5","name":"Oak desk","price":90}}'
    assert listing(state, "https://shop.example/item/64a1b2c3d4e5").sku is None
