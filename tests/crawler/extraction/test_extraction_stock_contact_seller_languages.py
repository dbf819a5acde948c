"""An active classified ad whose way to buy is a contact button captioned in Sinhala, Tamil,
Bengali, Hindi or Arabic ('අංකය පෙන්වන්න': show number, 'චැට් කරන්න': chat) is buyable, as
an English 'Show contact' one is; the same caption in page chrome or a similar ad's card is not."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing

URL = "https://ads.example.lk/si/ad/galaxy-a55-used-for-sale-colombo-412"


def availability(side: str, after: str = "") -> str | None:
    html = (
        '<html><body><header><a href="/chat">චැට් කරන්න</a></header><main>'
        '<div class="ad"><h1>Galaxy A55 (භාවිත)</h1><p>Good condition.</p></div>'
        f"<div class='meta'><div class='amount'>රු 92,500</div>{side}</div>{after}</main>"
        "</body></html>"
    )
    return extract_listing(html, URL).availability


@pytest.mark.parametrize(
    "caption",
    [
        "📞 077 XXX XXXX <span>අංකය පෙන්වන්න</span>",
        "චැට් කරන්න",
        "எண்ணைக் காட்டு",
        "নম্বর দেখুন",
        "विक्रेता से संपर्क करें",
        "إظهار الرقم",
    ],
)
def test_contact_buttons_in_more_languages_make_an_active_ad_in_stock(caption: str) -> None:
    assert availability(f"<button>{caption}</button>") == "InStock"


def test_a_contact_link_in_the_header_alone_says_nothing() -> None:
    assert availability("") is None


def test_a_chat_button_on_a_similar_ads_card_says_nothing() -> None:
    after = (
        '<section class="similar-ads"><h2>සමාන දැන්වීම්</h2><div class="card">'
        "<a>Galaxy A35</a><button>චැට් කරන්න</button></div></section>"
    )
    assert availability("", after) is None
