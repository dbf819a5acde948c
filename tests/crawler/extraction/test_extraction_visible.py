"""Profile selectors and visible-page heuristics, the two fallbacks after structured data."""

from __future__ import annotations

import pytest

from config.profile import FieldSelectors
from crawler.extraction import ProfileSelectorError, selectors, visible
from crawler.extraction.document import parse_document
from crawler.extraction.visible_parts import strip_site

URL = "https://shop.example/p/1"


def page(body: str, head: str = "") -> object:
    return parse_document(f"<html><head>{head}</head><body>{body}</body></html>", URL)


def test_selectors_css_text_attr_element_and_xpath() -> None:
    doc = page(
        '<h1 id="t"> Mug </h1><span class="p"><b>$</b>9<i>.</i>50</span>'
        '<img id="m" data-src="/m.jpg" src="data:image/gif;base64,R0lG">'
        '<div id="s"><a href="/seller?seller=S9">Mugs R Us</a></div><td>MPN-1</td>'
    )
    found = selectors.extract(
        doc,
        FieldSelectors(
            title="#t::text",
            price=".p",
            images="#m",
            mpn="xpath://td/text()",
            seller_name="#s a::text",
            seller_url="#s a::attr(href)",
        ),
    )
    assert (found["title"], found["price"], found["mpn"]) == ("Mug", "$9.50", "MPN-1")
    assert found["images"] == ["/m.jpg"]
    assert found["seller"] == {"name": "Mugs R Us", "url": "/seller?seller=S9"}


def test_invalid_selector_names_the_field() -> None:
    # Profiles refuse these at load (tests/security); built unchecked, extraction still says so.
    with pytest.raises(ProfileSelectorError, match=r"listing\.fields\.price"):
        selectors.extract(page(""), FieldSelectors.model_construct(price="xpath://div[@"))
    with pytest.raises(ProfileSelectorError, match=r"listing\.fields\.title"):
        selectors.extract(page(""), FieldSelectors.model_construct(title="div[[["))


def test_visible_price_near_title_skips_old_and_other_products() -> None:
    found = visible.extract(
        page(
            '<div class="related"><span class="price">$1.00</span></div>'
            "<h1>Vase</h1><span>4.8 (37)</span>"
            '<div class="price-box">'
            '<span class="was-price">£30.00</span> <span class="now">£24.50</span></div>'
            '<div class="similar-items"><span class="price">£2.00</span></div>'
        )
    )
    assert (found["title"], found["price"]) == ("Vase", "£24.50")


def test_visible_split_price_and_strike() -> None:
    found = visible.extract(
        page(
            "<h1>Bottle</h1><del>$40.00</del>"
            '<span class="a-price">'
            "<span>$</span><span>24<span>.</span></span><span>95</span></span>"
        )
    )
    assert found["price"] == "$24.95"


def test_visible_price_needs_a_currency_and_one_amount() -> None:
    assert visible.extract(page("<h1>Bottle</h1><span>24.95</span>"))["price"] is None
    assert visible.extract(page("<h1>Bottle</h1><p>$10 - $20</p>"))["price"] is None


def test_visible_itemprop_and_data_attributes() -> None:
    found = visible.extract(
        page(
            '<h1>x</h1><span itemprop="price" content="5.00">5,00</span><div data-sku="SK-1"></div>'
        )
    )
    assert (found["price"], found["sku"]) == ("5.00", "SK-1")
    found = visible.extract(
        page('<h1>x</h1><button data-price="12.5" data-currency="EUR">Buy</button>')
    )
    assert (found["price"], found["currency"]) == ("12.5", "EUR")


def test_visible_title_short_cjk_heading_counts_empty_one_does_not() -> None:
    assert visible.extract(page("<h1>手机</h1>"))["title"] == "手机"
    assert visible.extract(page("<h1> ★ </h1>", "<title>Phone | Shop</title>"))["title"] == "Phone"


def test_visible_title_named_by_the_headings_title_attribute_leaves_its_subtitle() -> None:
    heading = '<h1 title="河流的记忆">河流的记忆 <span class="sub">（一部长江的自然史）</span></h1>'
    assert visible.extract(page(heading))["title"] == "河流的记忆"
    # an attribute the text does not start with (a tooltip) is not the name
    tip = '<h1 title="Click to zoom">Oak Desk 120 cm</h1>'
    assert visible.extract(page(tip))["title"] == "Oak Desk 120 cm"


def test_visible_title_falls_back_to_title_minus_site() -> None:
    found = visible.extract(page("<p>no heading</p>", "<title>Blue Vase - Red | Shop</title>"))
    assert found["title"] == "Blue Vase - Red"
    assert strip_site("Amazon.example: Acme Bottle : Sports", ["amazon"]) == "Acme Bottle : Sports"
    assert strip_site("Shop", ["shop"]) == "Shop"


def test_visible_title_a_heading_naming_only_the_brand_gives_way_to_the_tab_title() -> None:
    # The parser closes the <h1> before the <p> with the product's name inside it.
    body = '<h1><a class="designer-name">Okra Studio</a><p>Linen wrap dress</p></h1>'
    head = "<title>Okra Studio Linen wrap dress | Shop</title>"
    assert visible.extract(page(body, head))["title"] == "Okra Studio Linen wrap dress"
    # A heading that is more than the brand stays, as does a brand heading no tab title extends.
    full = '<h1><span class="brand">Okra Studio</span> Linen wrap dress</h1>'
    assert visible.extract(page(full, head))["title"] == "Okra Studio Linen wrap dress"
    other = "<title>Sale | Shop</title>"
    assert visible.extract(page(body, other))["title"] == "Okra Studio"


def test_visible_title_with_no_h1_the_heading_the_tab_title_spells() -> None:
    body = '<h2 class="goods-name">Sonora Ceramic Teapot 1.2L</h2><h3>Reviews</h3>'
    head = "<title>【Sonora】 Ceramic Teapot 1.2L - Shop</title>"
    assert visible.extract(page(body, head))["title"] == "Sonora Ceramic Teapot 1.2L"
    # A heading that is a small part of the tab title is a section, not the name.
    section = "<h2>Ceramic</h2>"
    assert visible.extract(page(section, head))["title"] == "【Sonora】 Ceramic Teapot 1.2L"


def test_visible_lazy_images_in_gallery_only() -> None:
    found = visible.extract(
        page(
            '<header><img src="/logo.png"></header>'
            '<div class="gallery"><img src="/ph.gif" data-original="/1.jpg">'
            '<img srcset="/2s.jpg 300w, /2l.jpg 900w"><img src="/3.jpg" width="16" height="16">'
            '<img class="icon-zoom" src="/z.jpg"></div><div>'
            '<img src="/loose.jpg"></div>'
        )
    )
    assert found["images"] == ["/1.jpg", "/2l.jpg"]


def test_visible_seller_box_and_script_text_ignored() -> None:
    found = visible.extract(
        page(
            "<h1>Wallet &lt;b&gt;<script>evil()</script></h1>"
            '<div id="seller-info">Sold by: Leather Co</div>'
            '<div class="stock">Out of stock</div>'
        )
    )
    assert found["title"] == "Wallet <b>"
    assert found["seller"] == {"name": "Leather Co", "id": None, "url": None}
    assert found["availability"] == "OutOfStock"
