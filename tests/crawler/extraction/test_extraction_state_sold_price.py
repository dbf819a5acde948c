"""Page state's 'soldPrice' is what the item sells for (a second-hand marketplace's asking
price), not an 'old' price: it is the price, over a recommendation card's price the page
prints after the title."""

from __future__ import annotations

import json

from crawler.extraction import extract_listing


def listing(item: dict[str, object]) -> tuple[str | None, str | None]:
    state = json.dumps({"itemDO": item, "sellerDO": {"nick": "ah-lin"}}, ensure_ascii=False)
    html = (
        '<html lang="zh-CN"><head><title>闲置</title></head><body>'
        '<div class="p--a1"><span class="s--b2">¥</span><span class="n--c3">860</span></div>'
        "<h1>二手 索尼 降噪耳机 九成新</h1>"
        '<div class="card--d4"><div class="t">耳机收纳包</div>'
        '<div class="price--e5">¥<span>45</span></div></div>'
        f"<script>window.__APP_DATA__ = {state};</script></body></html>"
    )
    found = extract_listing(html, "https://2hand.example.cn/item/5")
    return found.price, found.sources.get("price")


def test_a_sold_price_in_state_is_the_price() -> None:
    item = {"itemId": "5", "title": "二手 索尼 降噪耳机 九成新", "soldPrice": "860"}
    assert listing(item) == ("860.00", "embedded_state")


def test_an_old_price_in_state_is_still_not_the_price() -> None:
    item = {"itemId": "5", "title": "二手 索尼 降噪耳机 九成新", "oldPrice": "1200", "price": "860"}
    assert listing(item) == ("860.00", "embedded_state")
