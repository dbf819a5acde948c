"""Availability from what a shopper reads when structured data is silent: stock phrases in the
marketplace languages and the state of the buy button (crawler/extraction/stock.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import load

URL = "https://shop.example/item/88"


def availability(body: str, lang: str = "en", head: str = "") -> str | None:
    html = f'<html lang="{lang}"><head>{head}</head><body><h1>Teapot</h1>{body}</body></html>'
    return extract_listing(html, URL).availability


@pytest.mark.parametrize(
    ("lang", "phrase", "state"),
    [
        ("en", "In stock, ships tomorrow", "InStock"),
        ("de", "Auf Lager", "InStock"),
        ("fr", "En stock", "InStock"),
        ("es", "Disponible", "InStock"),
        ("it", "Esaurito", "SoldOut"),
        ("pt", "Em estoque", "InStock"),
        ("nl", "Op voorraad", "InStock"),
        ("pl", "Brak w magazynie", "OutOfStock"),
        ("zh", "缺货", "OutOfStock"),
        ("zh", "有货", "InStock"),
        ("ja", "在庫あり", "InStock"),
        ("ja", "在庫切れ", "OutOfStock"),
        ("ko", "품절", "SoldOut"),
    ],
)
def test_stock_phrase_in_each_marketplace_language(lang: str, phrase: str, state: str) -> None:
    assert availability(f'<span class="lbl-7">{phrase}</span>', lang) == state


def test_negated_word_is_not_read_as_its_positive_part() -> None:
    # "niedostępny" (unavailable) contains "dostępny" (available); "indisponible" "disponible".
    assert availability("<p>Produkt niedostępny</p>", "pl") == "OutOfStock"
    assert availability("<p>Article indisponible</p>", "fr") == "OutOfStock"


@pytest.mark.parametrize(
    ("button", "state"),
    [
        ('<button type="button">Add to basket</button>', "InStock"),
        ('<button type="button" disabled>Add to basket</button>', "OutOfStock"),
        ('<a class="btn btn--disabled" href="#">Zum Warenkorb hinzufügen</a>'
         '<a class="btn is-disabled" href="#">In den Warenkorb</a>', "OutOfStock"),
        ('<input type="submit" value="Ajouter au panier">', "InStock"),
        ('<button aria-disabled="true">Dodaj do koszyka</button>', "OutOfStock"),
        ('<button class="cta">Notify me</button>', "OutOfStock"),
        ('<button>カートに入れる</button>', "InStock"),
    ],
)  # fmt: skip
def test_buy_button_state_when_no_phrase(button: str, state: str) -> None:
    assert availability(button) == state


def test_other_products_sold_out_badges_do_not_count() -> None:
    # Attack on precision: a carousel of other products, each "Sold out", beside this one.
    page = (
        '<button type="submit">Add to cart</button>'
        '<div class="related-products"><div class="tile">Mug <em>Sold out</em></div></div>'
        "<footer><p>Out of stock items ship when restocked</p></footer>"
    )
    assert availability(page) == "InStock"
    rail = '<button>Add to cart</button><div class="reco"><p class="tile">Sold out</p></div>'
    assert availability(rail) == "InStock"


def test_sold_out_size_option_does_not_mark_the_product() -> None:
    page = "<select><option>S - sold out</option><option>M</option></select>"
    page += "<button>Buy now</button>"
    assert availability(page) == "InStock"


def test_structured_data_wins_and_silence_stays_unknown() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Teapot", "offers": '
        '{"price": "20", "priceCurrency": "EUR", "availability": "https://schema.org/PreOrder"}}'
        "</script>"
    )
    assert availability("<p>Auf Lager</p>", "de") == "InStock"
    assert availability("<p>Auf Lager</p>", "de", head) == "PreOrder"
    assert availability("<p>Handmade in Portugal.</p>") is None


def test_broken_lexicon_file_is_named_with_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "extraction.yaml"
    bad.write_text("version: 1\navailability: [{phrases: {en: [x]}}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"\.yaml: availability\.0\.state: Field required"):
        load(bad)


def test_romanian_and_turkish_stock_words() -> None:
    assert availability("<p>Produs în stoc</p>", "ro") == "InStock"
    assert availability("<p>Tükendi</p>", "tr") == "SoldOut"
    assert availability("<button>Sepete ekle</button>", "tr") == "InStock"


@pytest.mark.parametrize(
    ("lang", "body", "state"),
    [
        ("ru", "<div><h2>Товар закончился</h2><p>Ждём поставку</p></div>", "OutOfStock"),
        ("ru", '<div class="lbl">Нет в наличии</div>', "OutOfStock"),
        ("uk", "<p>Немає в наявності</p>", "OutOfStock"),
        ("sv", "<span>Slutsåld</span>", "SoldOut"),
        ("id", "<span>Stok habis</span>", "SoldOut"),
        ("ar", "<span>غير متوفر حالياً</span>", "OutOfStock"),
        ("ar", "<span>متوفر</span>", "InStock"),
        ("pl", "<h4>Ogłoszenie nieaktualne</h4>", "OutOfStock"),
        ("en", "<p>This listing has ended.</p>", "OutOfStock"),
    ],
)  # fmt: skip
def test_stock_phrases_in_russian_swedish_indonesian_arabic_and_ended_ads(
    lang: str, body: str, state: str
) -> None:
    assert availability(body, lang) == state


@pytest.mark.parametrize(
    ("lang", "button", "state"),
    [
        ("ru", "<button>Добавить в корзину</button>", "InStock"),
        ("ru", "<button>Сообщить о поступлении</button>", "OutOfStock"),
        ("sv", '<a class="btn" href="/kassa">Lägg i varukorgen</a>', "InStock"),
        ("id", "<button>+ Keranjang</button><button>Beli Sekarang</button>", "InStock"),
        ("ar", "<button>أضف إلى السلة</button>", "InStock"),
        ("es-CL", '<button class="btn">Agregar al Carro</button>', "InStock"),
        ("vi", "<button disabled>Thêm vào giỏ hàng</button>", "OutOfStock"),
    ],
)  # fmt: skip
def test_buy_and_notify_captions_in_more_languages(lang: str, button: str, state: str) -> None:
    assert availability(button, lang) == state


def test_a_word_about_something_else_ending_is_not_stock() -> None:
    # "The promotion has ended" (Russian) and a header cart link say nothing about the stock.
    assert availability("<p>Акция закончилась</p>", "ru") is None
    assert availability('<a href="/cart">Keranjang</a>', "id") is None


LD_IN_STOCK = (
    '<script type="application/ld+json">{"@type": "Product", "name": "Teapot", "offers": '
    '{"price": "20", "priceCurrency": "EUR", "availability": "https://schema.org/InStock"}}'
    "</script>"
)


def test_the_pages_sold_out_button_outranks_structured_in_stock() -> None:
    page = '<button class="btn cta" disabled type="button">Currently unavailable</button>'
    assert availability(page, head=LD_IN_STOCK) == "OutOfStock"
    assert availability("<button>Notify me</button>", head=LD_IN_STOCK) == "OutOfStock"


def test_swatches_and_buttons_waiting_for_a_size_leave_structured_in_stock() -> None:
    # A size swatch marked sold out, and a buy button disabled until a size is chosen, are not
    # the product being unavailable; nor is a sold-out caption beside an enabled buy button.
    swatch = '<button class="size">XL - sold out</button><button disabled>Add to bag</button>'
    assert availability(swatch, head=LD_IN_STOCK) == "InStock"
    both = "<button>Sold out</button><button>Buy now</button>"
    assert availability(both, head=LD_IN_STOCK) == "InStock"


@pytest.mark.parametrize(
    ("lang", "body", "state"),
    [
        ("cs", "<p>Skladem u dodavatele</p>", "InStock"),
        ("cs", "<p>Není skladem</p>", "OutOfStock"),
        ("cs", '<a class="cta" href="/kosik">Do košíku</a>', "InStock"),
        ("vi", "<span>Hết hàng</span>", "SoldOut"),
        ("vi", "<button>Chọn mua</button>", "InStock"),
        ("nl", "<button>In mijn winkelwagen</button>", "InStock"),
        ("pt-BR", "<button>Adicionar à sacola</button>", "InStock"),
    ],
)  # fmt: skip
def test_stock_words_and_captions_in_czech_vietnamese_dutch_and_portuguese(
    lang: str, body: str, state: str
) -> None:
    assert availability(body, lang) == state


def test_an_element_styled_as_a_button_is_read_as_one() -> None:
    # A <div class="... pdp-button"> or role=button is the buy button; a 'buttons' row is not.
    assert availability('<div class="pdp-cta pdp-button"><span>Add to bag</span></div>') == (
        "InStock"
    )
    assert availability('<span role="button">Buy now</span>') == "InStock"
    assert availability('<div class="share-buttons">Buy now, pay later</div>') is None


def test_a_notice_just_above_the_title_in_the_items_box_counts() -> None:
    # A closed ad says so above its title, inside the item's box; the site header above it
    # is not read.
    closed = (
        '<div class="ad-view"><div class="notice"><h2>Объявление снято с публикации</h2></div>'
        "<h1>Самокат городской</h1><span>3 200 ₽</span></div>"
    )
    html = f'<html lang="ru"><body>{closed}</body></html>'
    assert extract_listing(html, URL).availability == "OutOfStock"
    banner = '<div class="promo"><p>Sold out last week, now back!</p></div>'
    page = f'<html lang="en"><body>{banner}<h1>Teapot</h1><p>£20</p></body></html>'
    assert extract_listing(page, URL).availability is None


def test_a_notify_me_caption_that_goes_on_outranks_structured_in_stock() -> None:
    notify = '<button type="button">Prévenez-moi quand il revient</button>'
    assert availability(notify, "fr", head=LD_IN_STOCK) == "OutOfStock"
    link = '<a href="#alert">Email me when this is back</a>'
    assert availability(link, head=LD_IN_STOCK) == "OutOfStock"


@pytest.mark.parametrize(
    ("lang", "body", "state"),
    [
        ("el", '<p class="diathesimotita">Εξαντλήθηκε προσωρινά</p>', "SoldOut"),
        ("el", "<p>Το προϊόν είναι μη διαθέσιμο</p>", "OutOfStock"),
        ("el", "<p>Άμεσα διαθέσιμο από την αποθήκη</p>", "InStock"),
        ("he", "<p>המוצר לא במלאי כרגע</p>", "OutOfStock"),
        ("he", "<p>במלאי, נשלח תוך יומיים</p>", "InStock"),
        ("th", "<p>ขออภัย สินค้าหมดแล้ว</p>", "SoldOut"),
        ("th", "<p>ไม่มีสินค้าในคลัง</p>", "OutOfStock"),
        ("th", "<p>มีสินค้าพร้อมส่ง</p>", "InStock"),
        ("fi", "<p>Tuote on tilapäisesti loppu</p>", "OutOfStock"),
        ("fi", "<p>Ennakkotilattavissa, julkaisu maaliskuussa</p>", "PreOrder"),
        ("fi", "<p>Varastossa 12 kpl</p>", "InStock"),
        ("bg", "<p>Няма наличност в момента</p>", "OutOfStock"),
        ("bg", "<p>Последни 3 бр. на склад</p>", "LimitedAvailability"),
        ("nb", "<p>Ikke på lager i nettbutikk</p>", "OutOfStock"),
        ("sv", "<p>Förboka nu - släpps i april</p>", "PreOrder"),
    ],
)  # fmt: skip
def test_stock_phrases_in_greek_hebrew_thai_finnish_bulgarian_and_nordic(
    lang: str, body: str, state: str
) -> None:
    assert availability(body, lang) == state


@pytest.mark.parametrize(
    ("lang", "button", "state"),
    [
        ("el", "<button>Προσθήκη στο καλάθι</button>", "InStock"),
        ("el", "<button>Ειδοποίησέ με</button>", "OutOfStock"),
        ("he", "<button>הוסף לסל</button>", "InStock"),
        ("th", "<button disabled>หยิบใส่ตะกร้า</button>", "OutOfStock"),
        ("th", "<button>ซื้อเลย</button>", "InStock"),
        ("fi", "<button>Lisää ostoskoriin</button>", "InStock"),
        ("bg", "<button>Купи сега</button>", "InStock"),
        ("pt-BR", "<button>Comprar</button>", "InStock"),
        ("es", '<a class="btn">Comprar</a>', "InStock"),
    ],
)  # fmt: skip
def test_buy_and_notify_captions_in_greek_hebrew_thai_finnish_bulgarian(
    lang: str, button: str, state: str
) -> None:
    assert availability(button, lang) == state


def test_a_thai_phrase_is_found_inside_running_thai_text() -> None:
    """Thai does not separate words: 'สินค้าหมด' inside a longer run is still the phrase."""
    assert availability("<p>ขออภัยค่ะสินค้าหมดชั่วคราว</p>", "th") == "SoldOut"


def test_a_box_marked_avail_is_read_before_an_unselected_options_word() -> None:
    body = (
        '<ul><li class="opt">S</li><li class="opt off">XL Sold out</li></ul>'
        '<div class="avail-msg">In stock, ships tomorrow</div><button>Add to cart</button>'
    )
    assert availability(body) == "InStock"


def test_one_sold_out_option_in_a_picker_box_is_not_the_product() -> None:
    # The box around a size picker reads 'Colour Red Blue (일시품절) Green': that is one option,
    # and the enabled buy button says the product itself can be bought.
    body = (
        '<div class="opts"><label>Colour</label><select><option>Red</option>'
        "<option disabled>Blue (일시품절)</option><option>Green</option></select></div>"
        '<button class="buy">구매하기</button>'
    )
    assert availability(body, "ko") == "InStock"
    # a stock line of its own beside the picker is still read
    alone = body + '<p class="note">일시품절</p>'
    assert availability(alone, "ko") == "SoldOut"


@pytest.mark.parametrize(
    ("lang", "body", "state"),
    [
        ("ar", '<div class="qty-warn">بقيت 2 قطعة فقط في المخزون</div>', "LimitedAvailability"),
        ("ar", '<button class="cta">أضف إلى الحقيبة</button>', "InStock"),
        ("zh-TW", '<button class="b" disabled>暫時缺貨，補貨中</button>', "OutOfStock"),
        ("zh-TW", '<a class="b">貨到通知</a>', "OutOfStock"),
    ],
)  # fmt: skip
def test_arabic_low_stock_and_bag_button_and_chinese_restocking_words(
    lang: str, body: str, state: str
) -> None:
    assert availability(body, lang) == state


@pytest.mark.parametrize(
    ("lang", "button"),
    [
        ("zh", "加入购物袋"),
        ("id", "Tambah ke Tas"),
        ("hu", "Kosárba"),
        ("hi", "कार्ट में जोड़ें"),
        ("sv", "Lägg i varukorg"),
        ("es", "Añadir a la bolsa"),
        ("hr", "Dodaj u košaricu"),
    ],
)
def test_add_to_bag_buttons_in_more_languages(lang: str, button: str) -> None:
    assert availability(f'<button class="cta">{button}</button>', lang) == "InStock"
    assert availability(f'<button class="cta" disabled>{button}</button>', lang) == "OutOfStock"


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [("zh", "仅剩3件"), ("zh", "僅剩 12 件"), ("id", "Tinggal 2 lagi!"), ("ja", "残り1点")],
)
def test_only_a_few_left_with_the_number_inside_the_phrase(lang: str, phrase: str) -> None:
    assert availability(f'<p class="lbl-7">{phrase}</p>', lang) == "LimitedAvailability"
