"""Currency words in scripts the reader did not know: the rupee in Sinhala ('රු', Sri Lanka's
only), Tamil ('ரூ') and Devanagari ('रु'), and the pound in Arabic ('جنيه', Egypt's unless the
page is Sudanese). A price printed only with one of them is still read, with its currency."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.currency import LocaleHints, currency_in_text


def listing(price: str, url: str, lang: str) -> tuple[str | None, str | None]:
    html = (
        f'<html lang="{lang}"><body><h1>Rice cooker 1.8 L</h1>'
        f'<div class="amount">{price}</div></body></html>'
    )
    found = extract_listing(html, url)
    return found.price, found.currency


def test_a_sinhala_rupee_price_is_read_in_lkr() -> None:
    assert listing("රු 24,500", "https://www.ads.example.com/si/ad/rice-cooker", "si") == (
        "24500.00",
        "LKR",
    )


def test_an_arabic_pound_price_is_egyptian_on_a_generic_domain() -> None:
    assert listing("3,299 جنيه", "https://www.shop.example.com/ar/rice-cooker", "ar")[1] == "EGP"


def test_an_arabic_pound_on_a_sudanese_page_is_the_sudanese_pound() -> None:
    assert listing("3,299 جنيه", "https://www.shop.example.sd/ar/rice-cooker", "ar")[1] == "SDG"


def test_tamil_and_devanagari_rupees_follow_the_country() -> None:
    assert currency_in_text("ரூ 1,200", LocaleHints(tld="lk", lang="ta")) == "LKR"
    assert currency_in_text("ரூ 1,200", LocaleHints(tld="in", lang="ta")) == "INR"
    assert currency_in_text("रु 1,200", LocaleHints(tld="np", lang="ne")) == "NPR"


def test_the_pound_word_inside_a_longer_word_names_no_currency() -> None:
    assert currency_in_text("جنيهات", LocaleHints(lang="ar")) is None
