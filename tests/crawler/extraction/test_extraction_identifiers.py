"""SKU from the page's own identifiers, chosen by agreement (crawler/extraction/identifiers.py)."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.identifiers import is_gtin


def sku(body: str, url: str = "https://shop.example/item/1", head: str = "") -> str | None:
    html = f"<html><head>{head}</head><body><h1>Desk fan</h1>{body}</body></html>"
    return extract_listing(html, url).sku


def test_labelled_value_in_a_definition_list_and_in_text() -> None:
    assert sku("<dl><dt>Art.-Nr.</dt><dd>DF-3300</dd></dl>") == "DF-3300"
    assert sku("<ul><li>Item #: 55-1234 (ask us)</li></ul>") == "55-1234"
    assert sku("<table><tr><th>货号</th><td>XF2024-09</td></tr></table>") == "XF2024-09"
    assert sku("<p>Réf. : 77ZB</p>") == "77ZB"


def test_url_parameter_and_itemprop() -> None:
    assert sku("", "https://shop.example/p/desk-fan?sku=FAN-09&ref=home") == "FAN-09"
    assert sku('<span itemprop="sku">Q-100</span>') == "Q-100"


def test_agreement_beats_the_structured_variant_sku() -> None:
    # JSON-LD states one size's code; the page's label and the URL agree on the article number.
    head = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Desk fan", '
        '"offers": {"price": "30", "priceCurrency": "EUR", "sku": "DF7-0042-XL"}}</script>'
    )
    body = "<dl><dt>Artikelnummer</dt><dd>DF7-0042</dd></dl>"
    assert sku(body, "https://shop.example/desk-fan-df7-0042.html", head) == "DF7-0042"
    # With nothing on the page to disagree, the structured value stands.
    assert sku("<p>Item number: DF7-0042-XL</p>", head=head) == "DF7-0042-XL"


def test_gtin_looking_number_not_taken_where_a_sku_is_labelled_elsewhere() -> None:
    assert is_gtin("4006381333931") and not is_gtin("4006381333932")
    body = "<ul><li>Item number: 4006381333931</li><li>SKU: KB-77</li></ul>"
    assert sku(body) == "KB-77"


def test_page_wide_numbers_and_prices_are_not_skus() -> None:
    # Attack on precision: phone numbers, order counts, prices, a price under a SKU label.
    noise = (
        '<span class="price">$19.99</span><p>Hotline 0800 123 456</p><p>1204 sold</p>'
        "<footer>Company no. 09876543</footer><p>SKU: 19.99</p>"
    )
    assert sku(noise + "<p>Bestellnummer: BX-4410</p>") == "BX-4410"
    assert sku(noise) is None


def test_shop_named_label_counts_a_manufacturers_number_does_not() -> None:
    body = "<ul><li>Hersteller-Artikelnummer: HX-9</li><li>Shopname-Artikelnummer: 55120</li></ul>"
    assert sku(body) == "55120"
    assert sku("<p>Manufacturer item number: MX-31</p>") is None
    assert sku("<p>Art.-Nr. 7719 | Hersteller-Art.-Nr. PQ-20 | Farbe: schwarz</p>") == "7719"


def test_labels_in_russian_chinese_and_spanish_and_a_value_in_the_next_cell() -> None:
    row = (
        "<table><tr><th><span>Артикул</span></th>"
        '<td><button type="button">55021877</button></td></tr></table>'
    )
    assert sku(row) == "55021877"
    assert sku("<table><tr><td>商品编码</td><td>880012</td></tr></table>") == "880012"
    assert sku("<p>Código del producto: <b>AX-4410</b></p>") == "AX-4410"


def test_an_identifier_stops_where_its_element_ends() -> None:
    # Inline siblings run together in the text ("ID: 30417Views: 9"); the value does not.
    footer = "<div><span>ID: 30417</span><span>Views: 9</span></div>"
    assert sku(footer) == "30417"


def test_an_ads_id_counts_a_sellers_or_orders_id_does_not() -> None:
    assert sku("<p>Listing ID: 99120034</p>") == "99120034"
    assert sku("<p>Seller ID: 4410022</p><p>Order ID: 7719</p>") is None


def test_a_code_named_after_the_site_is_the_sites_own_number() -> None:
    page = "<div><span>Kupiko-Code: </span><span>71200456</span></div>"
    assert sku(page, "https://www.kupiko.example/anzeige/kinderwagen") == "71200456"
    assert sku(page, "https://www.other.example/anzeige/kinderwagen") is None


def test_labels_in_czech_and_vietnamese_and_a_catalogue_number() -> None:
    assert sku("<div><span>Kód: HX900a</span> <span>Kód výrobce: 88-HX</span></div>") == "HX900a"
    assert sku("<table><tr><td>Mã sản phẩm</td><td>7781203</td></tr></table>") == "7781203"
    assert sku("<p>Cat. no. 455/9012</p>") == "455/9012"
    assert sku("<p>Cód. artículo: 5512098</p>") == "5512098"


def test_a_label_in_a_subheading_and_a_numero_sign_on_an_ad() -> None:
    # Identifier rows printed as <h2>/<h3>, one label split by a '#' in its own element.
    page = "<h3>Model <span>#</span>TX-40</h3><h3>Store SKU <span>#</span>2002918374</h3>"
    assert sku(page) == "2002918374"
    assert sku('<div class="ad-view-footer"><span>№ 2203445566</span></div>') == "2203445566"
    assert sku("<p>№ заказа: ждёт оплаты</p>") is None


def test_the_page_footer_is_not_read_the_items_own_footer_is() -> None:
    assert sku('<div class="site-footer"><p>SKU: FOOT-123</p></div>') is None
    assert sku('<div class="header-footer"><p>SKU: FOOT-123</p></div>') is None
    assert sku('<div class="product-footer"><p>SKU: FAN-4410</p></div>') == "FAN-4410"


def test_labels_in_greek_hebrew_thai_finnish_bulgarian_and_nordic() -> None:
    assert sku("<p>Κωδικός προϊόντος: 4410921</p>") == "4410921"
    assert sku('<p>מק"ט: 778812</p>') == "778812"
    assert sku("<div>รหัสสินค้า: 5512093</div>") == "5512093"
    assert sku("<span>Tuotenumero: 330918</span>") == "330918"
    assert sku("<div>Код на продукта: BX91KQ2</div>") == "BX91KQ2"
    assert sku("<p>Varenummer: 1198234</p>") == "1198234"
    assert sku("<li>Art.nr: 440129</li>") == "440129"
    assert sku("<li>Bestell-Nr.: 88213-4</li>") == "88213-4"


def test_a_label_in_brackets_is_still_a_label() -> None:
    assert sku("<p>(Ref. 77120034)</p>") == "77120034"
    assert sku("<span>[Item code: QZ-4410]</span>") == "QZ-4410"


def test_a_label_leading_a_longer_line_takes_the_element_after_it() -> None:
    body = (
        "<div>Product code: <b>PX-20931</b> · Manufacturer code: ZZ9-PLURAL"
        " · EAN 5901234123457</div>"
    )
    assert sku(body) == "PX-20931"
    # a line that starts with something else is no label
    assert (
        sku("<div>Ships in <b>3</b> days from our warehouse in the north of the country</div>")
        is None
    )


def test_french_article_number_labels() -> None:
    assert sku('<div class="codes">Nº d\'article <span>118-0442-9</span></div>') == "118-0442-9"
    assert sku("<p>Numéro d’article : 4410-77</p>") == "4410-77"


def test_a_label_starting_a_long_line_of_its_own_text() -> None:
    # 'Listing #…' leads a line too long to read whole; the value right after the label is
    # read, and the line's other numbers are not.
    line = "Listing #7700218834 · Ends: Sun 3 Jan, 6:10 pm · 41 watching · 2 questions"
    assert sku(f'<div class="meta">{line}</div>') == "7700218834"
    # a long line that does not start with a label gives nothing
    assert sku(f"<p>Ends Sun 3 Jan · {line}</p>") is None


def test_one_label_over_two_ids_takes_the_one_the_url_spells() -> None:
    # A brand's style number and the shop's own goods number under one label: the URL names
    # the shop's; with no URL to agree, the first stays.
    line = "<li><span>품번</span> <span>KL-23SS-T7 / 8812034</span></li>"
    assert sku(f"<ul>{line}</ul>", "https://shop.example/goods/8812034") == "8812034"
    assert sku(f"<ul>{line}</ul>", "https://shop.example/goods/view") == "KL-23SS-T7"
    # a bar between two labels is not two ids of one label
    pair = "<p>Item #: 55-1234 | Model #: 8812034</p>"
    assert sku(pair, "https://shop.example/goods/8812034") == "55-1234"


def test_the_id_the_page_prints_under_a_label_beats_a_structured_url_key() -> None:
    # The page state's 'sku' is the key in the URL; the page prints its product code under a
    # label: that is the number the shop shows buyers.
    state = (
        '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"product":'
        '{"sku":"QW7E2R9T","name":"Desk fan","price":40,"currency":"EUR"}}}}</script>'
    )
    url = "https://shop.example/desk-fan/QW7E2R9T/p/"
    printed = "<p class='code'>Product code: DF-40-WHT</p>"
    assert sku(printed + state, url) == "DF-40-WHT"
    # two structured sources agreeing on another value outvote one printed label
    ld = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Desk fan", '
        '"sku": "QW7E2R9T", "offers": {"price": "40", "priceCurrency": "EUR"}}</script>'
    )
    assert sku(printed + state, url, head=ld) == "QW7E2R9T"


def test_a_number_named_after_the_logos_shop_name_is_the_shops_own() -> None:
    # The logo links home and prints 'K&S'; 'K&S # ...' is the shop's number, beside the
    # maker's 'Mfr #' and a structured internal id that the URL also spells.
    head = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Desk fan", '
        '"sku": "771204-REG", "offers": {"price": "49", "priceCurrency": "USD"}}</script>'
    )
    body = (
        '<p class="ids">K&amp;S <span>#</span><span>KSDF49</span> · Mfr <span>#</span>'
        "<span>DF-49A</span></p>"
    )
    logo = '<header><a href="/" class="site-logo">K&amp;S</a></header>'
    url = "https://www.ksoutfitters.example/c/product/771204-REG/desk_fan.html"
    html = f"<html><head>{head}</head><body>{logo}<h1>Desk fan</h1>{body}</body></html>"
    assert extract_listing(html, url).sku == "KSDF49"
    # a link home to another site, or one outside the header and unmarked, names no shop
    other = html.replace('href="/"', 'href="https://partner.example/"')
    assert extract_listing(other, url).sku == "771204-REG"


def test_labels_in_italian_hungarian_croatian_dutch_and_spaced_nordic() -> None:
    assert sku("<p>Rif. TX-77120</p>") == "TX-77120"
    assert sku("<p>Cikkszám: 3301-88</p>") == "3301-88"
    assert sku("<span>Šifra artikla:</span> <span>KZ4410</span>") == "KZ4410"
    assert sku("<p>Art. nr. 7712-09</p>") == "7712-09"
    assert sku("<p>Artikelnr. 88.41.220</p>") == "88.41.220"


def test_one_mark_throughout_spells_an_article_number_not_a_price() -> None:
    # '302.718.64' is not a price: a price's thousands marks differ from its decimal mark.
    assert sku("<dl><dt>Artikelnummer</dt><dd>302.718.64</dd></dl>") == "302.718.64"
    assert sku("<p>Varenummer: 120.455.18</p>") == "120.455.18"
    assert sku("<dl><dt>Artikelnummer</dt><dd>302.64</dd></dl>") is None
