"""A resale item whose own box says 'This item has sold' beside a disabled button is SoldOut,
not the 'in stock' OpenGraph left behind, nor a plain OutOfStock; a seller's '3,981 sold' count
or 'This item is sold by' names no state, and a notify-me button alone still reads OutOfStock."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://resale.example.com/products/seller-vintage-work-jacket/"
OG_IN = '<meta property="product:availability" content="in stock">'


def availability(box: str) -> str | None:
    html = (
        f"<html><head>{OG_IN}</head><body><main><div class='details'>"
        "<h1>Vintage work jacket brown</h1><p class='price'>£68.00</p>"
        f"{box}<div class='seller'><a href='/seller/'>seller</a><p>3,981 sold · Active today</p>"
        "</div></div></main></body></html>"
    )
    return extract_listing(html, URL).availability


def test_own_sold_line_beats_stale_opengraph_in_stock() -> None:
    box = (
        '<button type="button" disabled>Sold</button>'
        "<p>This item has sold. Ask the seller if they have something similar.</p>"
    )
    assert availability(box) == "SoldOut"


def test_a_sellers_sold_count_leaves_an_enabled_item_in_stock() -> None:
    assert availability("<button>Buy now</button>") == "InStock"


def test_sold_by_names_the_seller_not_a_state() -> None:
    box = "<p>This item is sold by a verified seller.</p><button>Buy now</button>"
    assert availability(box) == "InStock"


def test_a_notify_me_button_alone_still_reads_out_of_stock() -> None:
    assert availability("<button>Notify me</button>") == "OutOfStock"


def test_a_shops_sold_out_line_beside_stale_opengraph_stays_out_of_stock() -> None:
    # a shop's 'Sold out' may come back: only a one-off item's sold notice is SoldOut here
    assert availability("<button disabled>Add to cart</button><p>Sold out</p>") == "OutOfStock"


def test_a_sold_notice_outside_the_items_box_says_nothing() -> None:
    html = (
        f"<html><head>{OG_IN}</head><body><main><div class='details'><h1>Work jacket</h1>"
        "<p>£68.00</p><button>Buy now</button></div><section class='more'>"
        "<p>This item has sold</p></section></main></body></html>"
    )
    assert extract_listing(html, URL).availability == "InStock"
