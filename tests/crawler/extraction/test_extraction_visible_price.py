"""Prices as printed: split across elements, sale beside list price, locale thousands marks
(crawler/extraction/visible_price.py)."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing


def listing(body: str, lang: str, url: str = "https://shop.example/p/1") -> tuple[object, ...]:
    html = f'<html lang="{lang}"><body><h1>Kettle</h1>{body}</body></html>'
    got = extract_listing(html, url)
    return got.price, got.currency


@pytest.mark.parametrize(
    ("lang", "body", "price", "currency"),
    [
        ("fr-FR", '<span class="prix">12<sup>99</sup> €</span>', "12.99", "EUR"),
        ("de-DE", "<div><span>12</span><span>,</span><span>99</span> €</div>", "12.99", "EUR"),
        ("en-GB", '<p class="now"><span>£</span><span>7</span><sup>49</sup></p>', "7.49", "GBP"),
        ("pt-BR", '<span class="valor"><span>R$</span><span class="int">2.499</span>'
                  '<span class="cents">90</span></span>', "2499.90", "BRL"),
        ("fr-FR", '<span class="tarif">64€<sup>50</sup></span>', "64.50", "EUR"),
    ],
)  # fmt: skip
def test_price_split_across_elements(lang: str, body: str, price: str, currency: str) -> None:
    assert listing(body, lang) == (price, currency)


@pytest.mark.parametrize(
    ("lang", "body", "price"),
    [
        ("de-DE", "<span>1.299<sup>00</sup> €</span>", "1299.00"),
        ("pl-PL", "<span>1 299<sup>00</sup> zł</span>", "1299.00"),
        ("en-US", "<span>$1,299<sup>00</sup></span>", "1299.00"),
        ("es-AR", '<span class="monto">$ 129.999<span class="cents">50</span></span>', "129999.50"),
    ],
)
def test_thousands_separators_by_locale(lang: str, body: str, price: str) -> None:
    assert listing(body, lang)[0] == price


def test_printed_prices_in_yen_francs_and_won() -> None:
    assert listing("<span>¥12,800</span>", "ja-JP") == ("12800", "JPY")
    assert listing("<span>CHF 1'299.–</span>", "de-CH") == ("1299.00", "CHF")
    assert listing("<span>36,500원</span>", "ko-KR") == ("36500", "KRW")


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        ("de-DE", "<p>UVP 79,99 €</p><p>59,99 €</p>"),
        ("en-US", "<p>Was $79.99</p><p>$59.99</p>"),
        ("en-GB", "<p>RRP £79.99</p><p>£59.99</p>"),
        ("nl-NL", "<p>Van €79,99</p><p>€59,99</p>"),
        ("en-US", '<span class="origin-tag">$79.99</span><span>$59.99</span>'),
    ],
)
def test_sale_price_is_the_price_list_price_is_not(lang: str, body: str) -> None:
    assert listing(body, lang)[0] == "59.99"


def test_price_marked_number_without_a_sign_and_a_tax_note() -> None:
    assert listing('<span class="sale-price">45<sup>00</sup></span>', "nl-NL")[0] == "45.00"
    assert listing("<p><span>3,480</span>円（税込）</p>", "ja-JP") == ("3480", "JPY")
    # Attack on precision: a rating or a count under the title, unmarked, is still no price.
    assert listing("<span>4.7</span><span>1,204</span>", "en-US") == (None, None)


def test_list_price_word_printed_in_the_element_before() -> None:
    body = "<div><span>RRP</span><span>£79.99</span></div><div>£59.99</div>"
    assert listing(body, "en-GB")[0] == "59.99"
    assert listing("<p>Was: <span>$79.99</span></p><p>$59.99</p>", "en-US")[0] == "59.99"
    body = "<div><span>statt</span> <span>€ 79,99</span></div><span>€ 59,99</span>"
    assert listing(body, "de-AT")[0] == "59.99"
    # A struck price printed with its word before the sale price is no word for the sale price.
    body = "<div><span>Prix conseillé <del>89,00 €</del></span><span>69€<sup>90</sup></span></div>"
    assert listing(body, "fr-FR")[0] == "69.90"


def test_leu_and_forint_prices() -> None:
    assert listing('<p class="price-now">249<sup>90</sup> <span>Lei</span></p>', "ro-RO") == (
        "249.90",
        "RON",
    )
    assert listing("<span>12 990 Ft</span>", "hu-HU") == ("12990.00", "HUF")


def test_whole_units_and_fraction_in_sibling_elements() -> None:
    # Whole units marked "before the point" are not an earlier price, and the fraction with its
    # currency in the next element belongs to them; the fraction alone is never the price.
    body = (
        '<div class="cost"><s class="crossed">2.150,00 Kč</s>'
        '<span class="amount" data-part="beforePoint">1 999</span>'
        '<span class="amount-cents">,50 Kč</span></div>'
    )
    assert listing(body, "cs-CZ") == ("1999.50", "CZK")
    assert listing('<b class="p-price">,75 €</b>', "de-DE") == (None, None)


def test_price_only_card_or_wallet_holders_pay_is_not_the_price() -> None:
    body = (
        '<div class="box"><span class="p1">4 190 ₽</span><span>с картой банка</span>'
        '<span class="p2">4 390 ₽</span><del>5 000 ₽</del></div>'
    )
    assert listing(body, "ru-RU") == ("4390.00", "RUB")
    member = '<p class="pp">$18.00 <small>Member price</small></p><p class="pp">$21.00</p>'
    assert listing(member, "en-US") == ("21.00", "USD")


def test_currency_printed_in_its_own_element_beside_a_bare_amount() -> None:
    body = '<div class="now"><span class="cur">ر.س</span> <span class="amount">349.00</span></div>'
    assert listing(body, "ar-SA") == ("349.00", "SAR")
    after = '<p><span class="sum">85</span><span class="unit">грн</span></p>'
    assert listing(after, "uk-UA") == ("85.00", "UAH")


@pytest.mark.parametrize(
    ("lang", "url", "body", "price", "currency"),
    [
        ("en-ZA", "https://shop.example.co.za/p/1", '<span class="now">R 2,450</span>', "2450.00",
         "ZAR"),
        ("es-CL", "https://tienda.example/p/1", '<span class="precio">$ 24.990</span>', "24990",
         "CLP"),
        ("es-CO", "https://tienda.example/p/1", '<span class="precio">$ 189.900</span>',
         "189900.00", "COP"),
        ("tr-TR", "https://magaza.example/p/1", "<span>2.349,90 TL</span>", "2349.90", "TRY"),
        ("ar-AE", "https://souq.example/p/1", "<span>درهم 75.50</span>", "75.50", "AED"),
        ("ru-RU", "https://magazin.example/p/1", "<span>1 250 руб.</span>", "1250.00", "RUB"),
    ],
)  # fmt: skip
def test_rand_latin_american_pesos_lira_dirham_and_roubles(
    lang: str, url: str, body: str, price: str, currency: str
) -> None:
    assert listing(body, lang, url) == (price, currency)


@pytest.mark.parametrize(
    ("lang", "body", "price", "currency"),
    [
        ("en-US", '<div class="price"><span>$</span><span>89</span><span>95</span></div>',
         "89.95", "USD"),
        ("nl-NL", '<strong class="price-now">1.299,-</strong>', "1299.00", "EUR"),
        ("cs-CZ", '<span class="cena-price">8&nbsp;490,-</span>', "8490.00", "CZK"),
        ("en-PK", '<span class="price">Rs. 1,850</span>', "1850.00", "PKR"),
        ("en-IN", '<span class="price">Rs. 649</span>', "649.00", "INR"),
    ],
)  # fmt: skip
def test_unmarked_cents_dash_cents_and_rupees(
    lang: str, body: str, price: str, currency: str
) -> None:
    # Cents in a plain element of their own; '1.299,-' is whole units with no sign, so in the
    # page's country's currency; 'Rs.' is the rupee of the page's country.
    assert listing(body, lang) == (price, currency)


def test_a_price_with_no_sign_on_a_page_of_no_known_country_has_no_currency() -> None:
    assert listing('<span class="price">1.299,-</span>', "nl") == ("1299.00", None)


def test_mrp_printed_in_a_box_around_the_amount_is_the_list_price() -> None:
    body = (
        '<div><span class="c1">MRP:<span class="c2"><span>₹1,200</span></span></span>'
        '<span class="c3">₹840</span></div>'
    )
    assert listing(body, "en-IN") == ("840.00", "INR")


def test_a_price_labelled_as_the_sale_price_in_the_same_box_wins() -> None:
    box = (
        '<div class="panel"><dl class="p-price"><dt>价格</dt><dd>¥89.00</dd></dl>'
        '<dl class="p-promo"><dt>优惠价</dt><dd><em>¥</em><span>59.00</span></dd></dl></div>'
    )
    assert listing(box, "zh-CN") == ("59.00", "CNY")
    # ... but not a price in another box further down the page.
    apart = (
        '<div class="buy"><span class="price">$40.00</span></div>'
        '<div class="bundle"><p>Sale price</p><span class="price">$70.00</span></div>'
    )
    assert listing(apart, "en-US") == ("40.00", "USD")


def test_a_wallet_price_named_in_the_words_right_after_it_is_skipped() -> None:
    body = (
        '<p class="price-main">R$ 499,00</p>'
        '<p class="price-alt"><span>R$ 449,10</span> no Pix (10% off)</p>'
    )
    assert listing(body, "pt-BR") == ("499.00", "BRL")
    first = '<p class="pa"><span>R$ 449,10</span> no Pix</p><p class="pb">R$ 499,00</p>'
    assert listing(first, "pt-BR") == ("499.00", "BRL")


def test_a_total_printed_with_its_instalments_is_the_price() -> None:
    body = '<p class="installment-line">ou R$ 1.290,00 em 12x de R$ 107,50 sem juros</p>'
    assert listing(body, "pt-BR") == ("1290.00", "BRL")
    # Instalments alone are not a price.
    assert listing("<p>12x de R$ 107,50</p>", "pt-BR") == (None, None)


@pytest.mark.parametrize(
    ("lang", "body", "price", "currency"),
    [
        # the decimal mark in its own element, the currency after the cents, other words around
        ("de-AT", '<div class="preis"><span class="euro">249</span><span class="komma">,</span>'
                  '<span class="ct">50</span> <span>€</span> <small>inkl. USt.</small></div>',
         "249.50", "EUR"),
        # the Swedish whole-units mark ':-' with no sign: the page's language's currency
        ("sv", '<span class="price">12 490:-</span>', "12490.00", "SEK"),
        ("da", '<div class="price-box"><span class="now">899,-</span><span>inkl. moms</span></div>',
         "899.00", "DKK"),
    ],
)  # fmt: skip
def test_prices_printed_in_parts_or_as_whole_kronor(
    lang: str, body: str, price: str, currency: str
) -> None:
    assert listing(body, lang) == (price, currency)


def test_the_price_after_a_printed_deduction_is_what_the_buyer_pays() -> None:
    body = (
        '<div class="pricing"><p class="base">List <span class="amt">$1,240.00</span></p>'
        '<p class="instant">Instant rebate <span class="amt">-$240.00</span></p>'
        '<p class="net">You pay <span class="amt">$1,000.00</span></p></div>'
    )
    assert listing(body, "en-US") == ("1000.00", "USD")


def test_a_deduction_that_does_not_add_up_changes_nothing() -> None:
    body = (
        '<div class="pricing"><p><span class="amt">$80.00</span></p>'
        '<p class="off"><span class="amt">-$5.00</span></p>'
        '<p><span class="amt">$70.00</span></p></div>'
    )
    assert listing(body, "en-US") == ("80.00", "USD")


def test_a_subscription_price_labelled_in_its_box_is_not_the_price() -> None:
    body = (
        '<div class="offer"><div class="sub">With subscription: <span>€29.99</span></div>'
        '<div><span class="price">€31.90</span></div></div>'
    )
    assert listing(body, "en-IE") == ("31.90", "EUR")


def test_a_struck_list_price_read_with_its_word_lets_the_page_beat_stale_structured_data() -> None:
    head = (
        '<script type="application/ld+json">{"@type":"Product","name":"Kettle",'
        '"offers":{"price":"1299","priceCurrency":"DKK"}}</script>'
    )
    html = (
        f'<html lang="da"><head>{head}</head><body><h1>Kettle</h1>'
        '<div class="price-area"><span class="now">999,-</span>'
        '<span class="before">Førpris 1.299,-</span></div></body></html>'
    )
    assert extract_listing(html, "https://shop.example/p/2").price == "999.00"


def test_an_auctions_current_bid_is_not_the_price_and_listing_boxes_are_not_list_prices() -> None:
    # An auction page in an item box named 'auction-listing': the bid (with its own word) is
    # not what a buyer can pay now; the Buy Now price is, and the box's name does not make
    # every price in it a list price (then the postage in a table would be read instead).
    body = (
        '<div class="auction-listing"><section class="bids">'
        '<div class="bid-now"><em class="lbl">Starting bid</em><p class="amt">€40.00</p></div>'
        '<div class="bin"><em class="lbl">Buy it now</em><p class="amt">€95.00</p></div></section>'
        "<table><tr><td>Postage</td><td>€6.90</td></tr></table></div>"
    )
    assert listing(body, "en-IE") == ("95.00", "EUR")


def test_a_price_in_a_recommendation_rail_is_not_this_products() -> None:
    # The item's own price is printed only as its regular price (read as a list price): the
    # next price on the page is another product's, in a rail marked 'reco' or 'upsell'.
    for rail in ("reco-strip", "upsell", "pdp-reco"):
        body = (
            '<p class="pr regular">89,00 zł</p><p>Brak towaru</p>'
            f'<aside class="{rail}"><div class="tile"><b>Kubek</b>'
            '<span class="pr">24,99 zł</span></div></aside>'
        )
        assert listing(body, "pl-PL") == (None, None)


def test_the_selected_variants_data_price_beats_the_first_options() -> None:
    # A size picker whose options each carry their price: the chosen one is the offer.
    body = (
        '<div class="sizes"><a data-price="49.50">S</a><a data-price="49.50">M</a>'
        '<a data-price="54.00" aria-checked="true">XL</a><a data-price="54.00">XXL</a></div>'
    )
    assert listing(body, "en-IE") == ("54.00", "EUR")
    plain = '<div class="sizes"><a data-price="49.50">S</a><a data-price="54.00">XL</a></div>'
    assert listing(plain, "en-IE") == ("49.50", "EUR")


@pytest.mark.parametrize(
    ("lang", "body", "price"),
    [
        ("nl-NL", '<p class="range">vanaf € 49,95</p><p class="now">€ 54,95</p>', "54.95"),
        ("en-GB", '<p class="pr"><span>From</span> <b>£12.00</b></p><p class="pr">£15.00</p>',
         "15.00"),
        ("zh-CN", '<p class="pr">¥199起</p><p class="sel">已选: <b class="pr">¥239</b></p>',
         "239.00"),
        ("nl-NL", '<p class="range">vanaf € 49,95</p><p>Kies een maat</p>', "49.95"),
    ],
)  # fmt: skip
def test_a_ranges_starting_price_gives_way_to_the_variant_price_after_it(
    lang: str, body: str, price: str
) -> None:
    assert listing(body, lang)[0] == price


def test_a_members_price_with_its_note_gives_way_to_the_regular_price_beside_it() -> None:
    # The members' price carries a note with dates and a member word, no currency of its own;
    # the only other price is the regular one, which everyone else pays.
    body = (
        '<div class="buybox"><div class="deal"><span class="lbl">Klubbdeal</span> '
        '<span class="amount">349 kr</span><p>Gäller 3–9 mars för alla medlemmar</p></div>'
        '<div class="price-regular">Ordinarie pris <span class="amount">449 kr</span></div></div>'
    )
    assert listing(body, "sv-SE") == ("449.00", "SEK")
    # A struck-through price is a former one, not what a non-member pays: no price read.
    struck = body.replace('<span class="amount">449 kr</span>', "<s>449 kr</s>")
    assert listing(struck, "sv-SE") == (None, None)
    # A note naming members under the price when the page prints no other price: no price.
    alone = '<p class="pr">R$ 89,90</p><p class="note">À vista no Pix com 10% de desconto</p>'
    assert listing(alone, "pt-BR") == (None, None)


def test_a_short_label_before_the_next_price_is_not_a_note_on_this_one() -> None:
    # The member label after the first price's cell is the next cell's: only notes that are
    # no label of a following price are read as a note on the price before them.
    body = (
        '<dl><dt>Our price</dt><dd><b class="pr">$24.90</b></dd>'
        '<dt>Member price</dt><dd><b class="pr">$21.90</b></dd></dl>'
    )
    assert listing(body, "en-SG") == ("24.90", "SGD")
