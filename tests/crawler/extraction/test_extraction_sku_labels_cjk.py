"""Korean and Chinese product-code labels ('상품코드 :', '產品編號：'), and the code the page
prints under such a label beating an embedded-state id that only adds a prefix to it."""

from __future__ import annotations

from crawler.extraction import extract_listing


def sku(body: str, url: str, head: str = "") -> str | None:
    html = f"<html><head>{head}</head><body><h1>제품 / 產品</h1>{body}</body></html>"
    return extract_listing(html, url).sku


def test_korean_product_code_label_with_spaced_colon() -> None:
    body = '<div class="info">상품코드 : 0020331875 <span>|</span> 모델명 : WX-90</div>'
    assert sku(body, "https://mall.example.co.kr/goods/view?no=1") == "0020331875"


def test_korean_model_name_alone_is_not_the_sku() -> None:
    assert sku("<div>모델명 : WX-90</div>", "https://mall.example.co.kr/goods/view?no=1") is None


def test_chinese_product_number_label_in_traditional_and_simplified_script() -> None:
    url = "https://shop.example.hk/p/lotion"
    assert sku("<div>產品編號：508812</div>", url) == "508812"
    assert sku("<div>产品编号：508812</div>", url) == "508812"


def test_printed_code_beats_a_state_id_that_prefixes_it() -> None:
    state = (
        '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":'
        '{"product":{"code":"XP_508812","name":"Lotion","price":{"value":99.0}}}}}</script>'
    )
    assert sku("<div>產品編號：508812</div>", "https://shop.example.hk/p/lotion", state) == (
        "508812"
    )
