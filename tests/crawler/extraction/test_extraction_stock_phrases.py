"""Stock phrases read whole: a sold-out word inside a few-left phrase is that phrase's ('Almost
sold out', 'sắp hết hàng'), and preorder and limited-stock wording in more languages
(crawler/extraction/lexicon.py, config/lexicons/extraction.yaml)."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled

URL = "https://shop.example/item/91"


def availability(body: str, lang: str = "en") -> str | None:
    html = f'<html lang="{lang}"><body><h1>Lamp</h1>{body}</body></html>'
    return extract_listing(html, URL).availability


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("en", "Almost sold out · just 2 left"),
        ("en", "Nearly sold out"),
        ("vi", "Sắp hết hàng"),
        ("ko", "품절임박"),
        ("zh", "即将售罄"),
        ("fr", "Bientôt épuisé"),
        ("th", "สินค้ามีจำนวนจำกัด"),
    ],
)
def test_a_few_left_phrase_holding_a_sold_out_word_is_limited_stock(lang: str, phrase: str) -> None:
    assert availability(f'<div class="stock">{phrase}</div>', lang) == "LimitedAvailability"


def test_a_sold_out_word_on_its_own_is_still_sold_out() -> None:
    assert availability('<div class="stock">Sold out</div>', "en") == "SoldOut"
    assert availability('<div class="stock">Hết hàng</div>', "vi") == "SoldOut"
    # one state's phrase inside a longer one of the same state changes nothing
    assert bundled().stock_state("Not available · currently unavailable") == "OutOfStock"


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [("vi", "ĐẶT TRƯỚC – giao hàng từ 20/03"), ("ru", "Предзаказ"), ("tr", "Ön sipariş")],
)
def test_preorder_wording_in_more_languages(lang: str, phrase: str) -> None:
    assert availability(f"<p>{phrase}</p>", lang) == "PreOrder"


def test_a_thai_add_to_basket_button_means_in_stock() -> None:
    assert availability("<button>เพิ่มลงตะกร้า</button>", "th") == "InStock"


def test_a_promotion_counting_down_days_is_not_limited_stock() -> None:
    # 'nog maar 3 dagen' (only 3 days left) is about the offer, not the stock
    assert availability("<p>Actie: nog maar 3 dagen</p><button>In winkelwagen</button>", "nl") == (
        "InStock"
    )
