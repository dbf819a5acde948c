"""A 'feed' of other listings' cards ('feeds-item--x3', 'feed-card') is other products' box: its
prices are not the item's, while a 'feedback' box is the item's own."""

from __future__ import annotations

from crawler.extraction import extract_listing


def price_of(body: str) -> str | None:
    html = f'<html lang="zh-CN"><head><title>闲置</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://2hand.example.cn/item/9").price


def test_a_feed_cards_price_after_the_title_is_not_the_price() -> None:
    body = (
        "<h1>二手 山地自行车 27速</h1><p>九成新，可自提</p>"
        '<div class="feeds-item--x3"><div>头盔 全新</div>'
        '<div class="feeds-price--q1">¥<span>88</span></div></div>'
    )
    assert price_of(body) is None


def test_a_price_in_a_feedback_box_is_still_read() -> None:
    body = (
        "<h1>二手 山地自行车 27速</h1>"
        '<div class="product-feedback"><span class="price">¥1280</span></div>'
    )
    assert price_of(body) == "1280.00"
