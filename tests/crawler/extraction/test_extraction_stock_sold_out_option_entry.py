"""One entry of an option list saying sold out ('그린 (품절)' beside colours with no stock word)
is that option's state, not the item's; a list whose entries all say sold out, or a labelled
'Availability: Out of stock' line in a spec list, still is the item's."""

from __future__ import annotations

from crawler.extraction.document import parse_document
from crawler.extraction.stock import availability


def state(body: str, lang: str = "en") -> str | None:
    html = f'<html lang="{lang}"><body>{body}</body></html>'
    return availability(parse_document(html, "https://shop.example.com/p/7"))


def test_one_sold_out_colour_in_a_list_is_not_the_item() -> None:
    body = (
        '<main><div class="goods"><h1>무선 전기 주전자</h1><div class="opts">'
        "<ul><li>블랙</li><li>화이트</li><li>민트 (품절)</li></ul></div>"
        "<button>장바구니 담기</button></div></main>"
    )
    assert state(body, "ko") == "InStock"


def test_one_sold_out_size_entry_with_marked_class_is_not_the_item() -> None:
    body = (
        '<main><div class="item"><h1>T恤 纯棉</h1><ul class="sku-list">'
        '<li>S</li><li>M</li><li class="soldout">XL<span class="tx_soldout">缺货</span></li>'
        "</ul><button>立即购买</button></div></main>"
    )
    assert state(body, "zh") == "InStock"


def test_every_entry_sold_out_still_reads_sold_out() -> None:
    body = (
        '<main><div class="goods"><h1>Kettle</h1>'
        "<ul><li>Black – sold out</li><li>White – sold out</li></ul></div></main>"
    )
    assert state(body) == "SoldOut"


def test_labelled_stock_line_in_a_spec_list_is_the_items() -> None:
    body = (
        '<main><div class="goods"><h1>Kettle</h1>'
        "<ul><li>Brand: Acme</li><li>Availability: Out of stock</li></ul></div></main>"
    )
    assert state(body) == "OutOfStock"
