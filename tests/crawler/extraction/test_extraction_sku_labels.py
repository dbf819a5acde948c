"""Identifier labels that name the shop after them ('Kod <shop>:'), more label vocabulary, and a
product's own 'code' in embedded state (crawler/extraction/identifiers.py, state_product.py)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://www.lampa-sklep.example/p/lampa-biurkowa"


def sku(body: str, url: str = URL, head: str = "") -> str | None:
    html = f"<html><head>{head}</head><body><h1>Lampa biurkowa</h1>{body}</body></html>"
    return extract_listing(html, url).sku


def test_a_label_naming_the_shop_after_it_is_the_shops_number() -> None:
    body = "<div><span>Kod lampa-sklep: 8841207</span> <span>Kod producenta: LB-40W</span></div>"
    assert sku(body) == "8841207"
    assert sku("<p>Référence lampa-sklep : 88-412</p>") == "88-412"


def test_a_shop_name_and_colon_alone_is_no_label() -> None:
    assert sku("<p>lampa-sklep: 8841207 zadowolonych klientów</p>") is None


def test_a_discount_or_manufacturer_code_is_not_the_sku() -> None:
    assert sku("<p>Kod rabatowy: LATO25</p>") is None
    assert sku("<p>Kod producenta: LB-40W</p>") is None


def test_an_item_number_abbreviated_i_n() -> None:
    assert sku("<p>I/N: 0345561 | Model: DL-40</p>", "https://hardware.example/p/desk-lamp") == (
        "0345561"
    )


def _state(product: str) -> str:
    return (
        '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":'
        f'{{"product":{product}}}}}}}</script>'
    )


def test_a_products_own_code_in_embedded_state_is_its_sku() -> None:
    product = '{"code":"0345561","name":"Desk lamp","price":{"value":49.0,"currencyIso":"AUD"}}'
    assert sku("", "https://hardware.example/p/desk-lamp", _state(product)) == "0345561"


def test_a_code_deeper_in_the_product_or_without_digits_is_not_its_sku() -> None:
    product = (
        '{"name":"Desk lamp","code":"desk-lamp","price":{"value":49.0},'
        '"category":{"code":"LIGHT-01"}}'
    )
    assert sku("", "https://hardware.example/p/desk-lamp", _state(product)) is None


def test_item_number_labels_in_japanese_and_turkish() -> None:
    assert sku("<p>品番：38201774</p>", "https://zakka.example.jp/item/38201774") == "38201774"
    assert sku("<div>Ürün No: 77120458</div>", "https://magaza.example.com.tr/p/77120458") == (
        "77120458"
    )


def test_a_manufacturer_item_number_in_japanese_is_not_the_sku() -> None:
    assert sku("<p>メーカー品番：AB-1200</p>", "https://zakka.example.jp/item/x") is None
