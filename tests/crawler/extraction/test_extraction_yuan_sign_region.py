"""元 is written for the New Taiwan and Hong Kong dollars as well as the yuan: the page's region
decides, and a bare amount takes the currency word printed right after it ('<b>356</b>元')."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.currency import LocaleHints, currency_in_text


def test_yuan_sign_on_a_taiwanese_page_is_twd() -> None:
    assert currency_in_text("356元", LocaleHints(tld="tw", lang="zh-Hant-TW")) == "TWD"
    assert currency_in_text("356元", LocaleHints(lang="zh-HK")) == "HKD"


def test_yuan_sign_on_a_mainland_or_unplaced_page_is_cny() -> None:
    assert currency_in_text("356元", LocaleHints(tld="cn", lang="zh-CN")) == "CNY"
    assert currency_in_text("356元", LocaleHints(lang="zh")) == "CNY"


def test_a_bare_price_takes_the_currency_word_after_it() -> None:
    html = (
        '<html lang="zh-Hant-TW"><head><title>書店</title></head><body>'
        '<h1>山城筆記</h1><p><strong class="price"><b>425</b></strong>元（含運）</p>'
        "</body></html>"
    )
    listing = extract_listing(html, "https://books.example.tw/p/88")
    assert (listing.price, listing.currency) == ("425.00", "TWD")


def test_a_word_after_a_bare_number_that_is_no_currency_adds_nothing() -> None:
    html = (
        '<html lang="en"><head><title>Shop</title></head><body>'
        '<h1>Garden hose</h1><div class="price">$24.50</div>'
        '<div class="rating"><b>4</b> stars</div></body></html>'
    )
    listing = extract_listing(html, "https://shop.example.com/p/2")
    assert (listing.price, listing.currency) == ("24.50", "USD")
