"""An active classified ad whose only way to buy is contacting the seller ('Show contact', 'Start
chat' in a side column) is in stock; a sold notice still wins, and a 'Contact us' link in the
footer or a chat button on another ad's card says nothing about this one."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://ads.example.ng/lagos/cars/corolla-2014-5512.html"


def availability(side: str, after: str = "", box: str = "") -> str | None:
    html = (
        '<html><body><main><div class="ad"><h1>Toyota Corolla 2014</h1>'
        f"<p>Accident free, first body.</p>{box}</div><aside class='side'>"
        f"<div class='ad-price'>₦ 9,850,000</div>{side}</aside>{after}</main>"
        "<footer><a href='/contact'>Contact us</a></footer></body></html>"
    )
    return extract_listing(html, URL).availability


def test_contact_and_chat_buttons_make_an_active_ad_in_stock() -> None:
    side = "<button>Show contact</button><button>Start chat</button>"
    assert availability(side) == "InStock"


def test_a_sold_notice_beats_a_contact_button() -> None:
    side = "<button>Start chat</button>"
    assert availability(side, box="<p>This item has been sold</p>") == "SoldOut"


def test_chat_buttons_on_other_ads_cards_do_not_count() -> None:
    after = (
        '<section class="similar-ads"><div class="card"><a>Honda Accord</a>'
        "<button>Start chat</button></div></section>"
    )
    assert availability("", after) is None


def test_a_disabled_contact_button_does_not_count() -> None:
    assert availability("<button disabled>Show contact</button>") is None
