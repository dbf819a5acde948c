"""A restock-alert button beside an enabled buy button ('재입고 알림' next to '장바구니 담기') does
not make the item out of stock: shops show it for options or future stock (stock.py
from_buttons); a notify-me button alone, or a disabled buy button alone, still does."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://grocery.example/goods/7712034"


def availability(box: str, after: str = "") -> str | None:
    html = (
        "<html><body><main><section><h1>베이컨 슬라이스 500g</h1>"
        f"<span class='price'>15,920원</span>{box}</section></main>{after}</body></html>"
    )
    return extract_listing(html, URL).availability


def test_a_restock_alert_before_an_enabled_cart_button_is_in_stock() -> None:
    box = "<button type='button'>재입고 알림</button><button type='button'>장바구니 담기</button>"
    assert availability(box) == "InStock"


def test_a_notify_me_button_alone_is_out_of_stock() -> None:
    assert availability("<button type='button'>Notify me</button>") == "OutOfStock"


def test_a_disabled_cart_button_alone_is_out_of_stock() -> None:
    assert availability("<button disabled>장바구니 담기</button>") == "OutOfStock"


def test_a_sold_out_item_in_a_bought_together_rail_is_not_the_items() -> None:
    rail = (
        "<div><h3>이 상품과 함께 구매한 상품</h3><ul><li><a><span>우유 900mL</span>"
        "<span class='sold'>품절</span></a></li></ul></div>"
    )
    box = "<button type='button'>장바구니 담기</button>"
    assert availability(box, rail) == "InStock"
