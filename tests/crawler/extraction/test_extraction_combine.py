"""Precedence, sanity checks and hostile input through the public extract_listing()."""

from __future__ import annotations

import logging

import pytest

from config.profile import FieldSelectors
from crawler.extraction import MAX_PAGE_BYTES, ExtractedListing, extract_listing
from crawler.extraction.combine import combine
from crawler.extraction.document import parse_document

URL = "https://shop.example/p/1"
KEYS = ["url", "title", "description", "brand", "price", "currency", "availability",
        "sku", "gtin", "mpn", "images", "seller"]  # fmt: skip


def html(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_documented_shape() -> None:
    got = extract_listing("", URL).to_dict()
    assert list(got) == KEYS
    assert got == {**dict.fromkeys(KEYS), "url": URL, "images": []}


def test_precedence_jsonld_over_og_over_visible() -> None:
    head = (
        ld('{"@type":"Product","name":"From JSON-LD"}')
        + '<meta property="og:title" content="From OG">'
        '<meta property="og:description" content="OG desc">'
        + '<meta property="product:brand" content="OG Brand">'
    )
    listing = extract_listing(html(head, '<div itemprop="sku">VIS-1</div>'), URL)
    assert (listing.title, listing.description, listing.brand, listing.sku) == (
        "From JSON-LD",
        "OG desc",
        "OG Brand",
        "VIS-1",
    )
    assert listing.sources["title"] == "jsonld"
    assert listing.sources["sku"] == "visible"
    # the title is the exception: the page's own product heading is what the buyer reads
    listing = extract_listing(html(head, "<h1>From H1</h1>"), URL)
    assert (listing.title, listing.sources["title"]) == ("From H1", "visible")


def test_profile_selectors_come_after_state_and_before_visible() -> None:
    page = html(
        '<script>window.__STATE__ = {"product": {"name": "State name", "price": 5}};</script>',
        '<h1>H1 name</h1><span id="b">Profile Brand</span><span id="n">Profile name</span>',
    )
    listing = extract_listing(page, URL, FieldSelectors(title="#n::text", brand="#b::text"))
    assert (listing.title, listing.brand) == ("State name", "Profile Brand")


def test_invalid_values_fall_through_to_the_next_source() -> None:
    page = html(
        ld(
            '{"@type":"Product","name":"Cam","gtin13":"n/a","offers":{"price":"0","priceCurrency":"ZZZ",'
            '"availability":"maybe"}}'
        )
        + '<meta property="product:price:amount" content="Call us">'
        + '<meta property="og:availability" content="in stock">',
        "<h1>Cam</h1>"
        '<span class="price">€49.00</span><meta itemprop="gtin13" content="4006381333931">',
    )
    got = extract_listing(page, URL)
    assert (got.price, got.currency, got.availability, got.gtin) == (
        "49.00",
        "EUR",
        "InStock",
        "4006381333931",
    )
    assert got.sources["price"] == "visible"


def test_currency_comes_with_the_price_it_belongs_to() -> None:
    page = html(
        '<meta property="og:price:currency" content="GBP">'
        '<meta name="twitter:label1" content="Price">'
        '<meta name="twitter:data1" content="US $10.00">'
    )
    got = extract_listing(page, URL)
    assert (got.price, got.currency) == ("10.00", "GBP")  # declared wins over the printed sign
    got = extract_listing(html(ld('{"@type":"Product","name":"x","offers":{"price":"3"}}'),
                               '<span class="price">£3.00</span>'), URL)  # fmt: skip
    assert (got.price, got.currency) == ("3.00", "GBP")


def test_yen_follows_page_language_and_domain() -> None:
    body = "<h1>Umbrella</h1><span class='price'>¥3,980</span>"
    assert extract_listing(html(body=body), "https://shop.example/x").currency is None
    assert extract_listing(html(body=body), "https://shop.example.jp/x").currency == "JPY"
    assert extract_listing(html(body=body), "https://shop.example.jp/x").price == "3980"
    assert extract_listing(html(body=body), "https://shop.example.cn/x").currency == "CNY"
    zh = f'<html lang="zh-CN"><body>{body}</body></html>'
    assert extract_listing(zh, "https://shop.example/x").currency == "CNY"


def test_wrong_encodings() -> None:
    page = '<html><head><meta charset="gbk"></head><body><h1>真皮钱包</h1></body></html>'
    assert extract_listing(page.encode("gbk"), URL).title == "真皮钱包"
    latin = "<html><body><h1>Café crème</h1></body></html>".encode("cp1252")
    assert extract_listing(latin, URL).title == "Café crème"
    assert extract_listing(latin, URL, encoding="latin-1").title == "Café crème"
    utf8_lie = '<meta charset="iso-8859-1"><h1>Caf\u00e9</h1>'.encode()
    assert extract_listing(utf8_lie, URL, encoding="utf-8").title == "Café"
    assert extract_listing(b"\xff\xfe\x00\x00garbage\x00\x81\x8d", URL).url == URL


@pytest.mark.parametrize(
    "page",
    [
        b"",
        "",
        "   ",
        "<",
        "<html><body><h1>Unclosed <b><i><div",
        "\x00\x01\x02<h1>nul</h1>",
        "<div>" * 5000 + "deep" + "</div>" * 10,
        '<script type="application/ld+json">' + "[" * 5000 + "</script>",
        '<script>window.x = {"a":' * 2000 + "</script>",
        b"\x1f\x8b\x08\x00 not really gzip",
    ],
)
def test_hostile_pages_never_crash(page: str | bytes) -> None:
    got = extract_listing(page, URL)
    assert isinstance(got, ExtractedListing)
    assert list(got.to_dict()) == KEYS


def test_huge_page_is_capped(caplog: pytest.LogCaptureFixture) -> None:
    head = html(ld('{"@type":"Product","name":"Big","offers":{"price":"2"}}'))
    filler = "<p>" + "x" * 1000 + "</p>"
    page = (head + filler * (MAX_PAGE_BYTES // len(filler) + 50)).encode()
    with caplog.at_level(logging.WARNING):
        got = extract_listing(page + b"<h1>after the cap</h1>", URL)
    assert (got.title, got.price) == ("Big", "2.00")
    assert "only the start is parsed" in caplog.text


def test_extractor_failure_is_logged_not_fatal(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from crawler.extraction import combine as combine_module

    def explode(doc: object) -> dict[str, object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(combine_module.jsonld, "extract", explode)
    with caplog.at_level(logging.WARNING):
        got = extract_listing(html(body="<h1>Still here</h1>"), URL)
    assert got.title == "Still here"
    assert "jsonld extractor failed" in caplog.text


def test_combine_takes_first_valid_value_per_field() -> None:
    doc = parse_document("<html></html>", URL)
    got = combine(
        [
            ("a", {"title": "  ", "price": "free", "images": ["javascript:x"]}),
            ("b", {"title": "B title", "price": "7", "currency": "usd", "images": ["/b.jpg"]}),
            (
                "c",
                {"title": "C title", "price": "9", "seller": {"name": "Seller C", "url": "/s/c"}},
            ),
        ],
        doc,
    )
    assert (got.title, got.price, got.currency) == ("B title", "7.00", "USD")
    assert got.images == ("https://shop.example/b.jpg",)
    assert got.seller is not None and got.seller.url == "https://shop.example/s/c"
    assert got.sources == {
        "title": "b",
        "price": "b",
        "currency": "b",
        "images": "b",
        "seller": "c",
    }


def test_an_offer_range_gives_way_to_the_price_the_page_prints_within_it() -> None:
    # AggregateOffer's lowPrice is the cheapest of several sellers; the page sells at 74.50.
    offers = (
        '{"@type":"Product","name":"Desk lamp","offers":{"@type":"AggregateOffer",'
        '"lowPrice":"69.00","highPrice":"89.00","offerCount":3,"priceCurrency":"EUR"}}'
    )
    page = html(ld(offers), '<h1>Desk lamp</h1><span class="price">74,50 €</span>')
    got = extract_listing(page.replace("<html>", '<html lang="de">'), URL)
    assert (got.price, got.currency, got.sources["price"]) == ("74.50", "EUR", "visible")
    outside = html(ld(offers), '<h1>Desk lamp</h1><span class="price">120,00 €</span>')
    assert extract_listing(outside, URL).price == "69.00"  # not a price within the range


def test_a_structured_price_the_page_prints_as_its_list_price_gives_way() -> None:
    # JSON-LD carries the list price the page shows struck through; the page sells at 59.90.
    offer = (
        '{"@type":"Product","name":"Desk lamp","offers":{"price":"79.90","priceCurrency":"GBP"}}'
    )
    body = '<h1>Desk lamp</h1><span class="now">£59.90</span><span class="was">Was £79.90</span>'
    got = extract_listing(html(ld(offer), body), URL)
    assert (got.price, got.currency, got.sources["price"]) == ("59.90", "GBP", "visible")
    # A structured price the page prints, but not as an old one, still wins.
    other = (
        '<h1>Desk lamp</h1><span class="now">£59.90</span><span class="was">Was £99.00</span>'
        "<p>Bundle with bulb: £79.90</p>"
    )
    assert extract_listing(html(ld(offer), other), URL).price == "79.90"


def test_a_structured_price_the_page_prints_as_a_pix_price_gives_way() -> None:
    # JSON-LD states the cash (Pix) price; the page marks it as such and prints the price
    # everyone pays, by card, as its regular one.
    offer = (
        '{"@type":"Product","name":"Desk lamp","offers":{"price":"170.91","priceCurrency":"BRL"}}'
    )
    body = (
        '<h1>Desk lamp</h1><div class="buy"><b class="pr">R$ 170,91</b>'
        "<p>à vista no Pix (10% off)</p>"
        '<p class="regular-price">R$ 189,90</p><p>em até 6x de R$ 31,65</p></div>'
    )
    got = extract_listing(html(ld(offer), body), URL)
    assert (got.price, got.currency, got.sources["price"]) == ("189.90", "BRL", "visible")


def test_a_structured_price_the_page_prints_nowhere_gives_way_to_the_printed_one() -> None:
    # JSON-LD left at yesterday's 2 450 kr; the page prints 2 690,- after the title, and its
    # old price, and never 2 450: the buyer pays 2 690.
    offer = '{"@type":"Product","name":"Bordlampe","offers":{"price":"2450","priceCurrency":"DKK"}}'
    body = (
        '<h1>Bordlampe</h1><div class="pris"><span class="price-before">Før 2 990,-</span>'
        '<span class="price-now">2 690,-</span></div><p>Fragt 49,-</p>'
    )
    page = html(ld(offer), body).replace("<html>", '<html lang="da">')
    got = extract_listing(page, "https://shop.example.dk/p/1")
    assert (got.price, got.currency, got.sources["price"]) == ("2690.00", "DKK", "visible")
    # printed anywhere on the page, split or with thousands marks, it keeps its place
    for spelled in ("2.450,00 kr", "2<span>450</span>", "2 450,-"):
        shown = page.replace("Fragt 49,-", f"I butik: {spelled}")
        assert extract_listing(shown, "https://shop.example.dk/p/1").price == "2450.00"
    # with no title to read a price after, the structured price stands
    shell = page.replace("<h1>Bordlampe</h1>", "")
    assert extract_listing(shell, "https://shop.example.dk/p/1").price == "2450.00"
    # so it does where the page's reader found only a number in an unmarked cell (postage)
    postage = html(ld(offer), "<h1>Bordlampe</h1><table><tr><td>Fragt</td><td>kr. 49</td></tr>")
    assert extract_listing(postage, "https://shop.example.dk/p/1").price == "2450.00"


def test_an_og_title_copying_the_search_title_gives_way_to_the_heading() -> None:
    # og:title repeats the <title> written for search engines, site name included; the <h1>
    # names the product.
    seo = "Shop Blue Linen Shirts for Women at Best Price | Kleidly.in"
    head = f'<title>{seo}</title><meta property="og:title" content="{seo}">'
    page = html(head, "<h1>Relaxed Linen Shirt</h1>")
    got = extract_listing(page, "https://www.kleidly.in/p/1")
    assert (got.title, got.sources["title"]) == ("Relaxed Linen Shirt", "visible")
    # an og:title of its own (not the <title>) still comes first
    own = head.replace(f'content="{seo}"', 'content="Relaxed Linen Shirt, Blue"')
    assert extract_listing(html(own, "<h1>Linen</h1>"), "https://www.kleidly.in/p/1").title == (
        "Relaxed Linen Shirt, Blue"
    )
    # with nothing else naming the product, the search title less the site's name is used
    alone = extract_listing(html(head, ""), "https://www.kleidly.in/p/1")
    assert alone.title == "Shop Blue Linen Shirts for Women at Best Price"
