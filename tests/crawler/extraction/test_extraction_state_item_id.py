"""A listing's own 'itemId' on the product object in embedded state is its sku, as 'goodsID' is
(crawler/extraction/state_product.py); an itemId deeper (a seller's, a related item's) is not."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://2shou.example/item?spm=feed.1&id=66120"


def sku(state: str) -> str | None:
    html = (
        f"<html><head><script>window.__INITIAL_DATA__ = {state};</script></head>"
        "<body><h1>二手相机</h1></body></html>"
    )
    return extract_listing(html, URL).sku


def test_a_listings_item_id_beside_its_title_is_its_sku() -> None:
    state = '{"itemDO":{"itemId":"771203384510","title":"二手相机","price":"1200"}}'
    assert sku(state) == "771203384510"


def test_an_item_id_deeper_than_the_product_is_not_its_sku() -> None:
    state = (
        '{"itemDO":{"title":"二手相机","price":"1200",'
        '"similar":{"itemId":"771203384999"},"sellerDO":{"itemId":"55"}}}'
    )
    assert sku(state) is None
