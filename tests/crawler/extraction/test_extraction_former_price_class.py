"""A class naming a former price in Spanish, Portuguese, French or German ('precio-anterior',
'preco-antigo', 'prix-ancien', 'streichpreis') marks an old price, as 'old'/'was' do, so the
current price printed after it is the price; a class that only contains such letters in
another word ('interior') marks nothing."""

from __future__ import annotations

from crawler.extraction import extract_listing


def price(box: str, lang: str = "es-UY") -> str | None:
    html = (
        f'<html lang="{lang}"><head><title>Tienda</title></head><body><h1>Yerba 1 kg</h1>'
        f"{box}</body></html>"
    )
    return extract_listing(html, "https://tienda.example.com.uy/p/yerba").price


def test_a_precio_anterior_class_marks_the_old_price() -> None:
    box = '<div><span class="precio-anterior">$ 319</span><span class="precio">$ 279</span></div>'
    assert price(box) == "279.00"


def test_german_and_french_former_price_classes() -> None:
    de = '<div><span class="streichpreis">39,99 €</span><span class="preis">29,99 €</span></div>'
    fr = '<div><span class="prix-ancien">39,99 €</span><span class="prix">29,99 €</span></div>'
    assert price(de, "de") == "29.99"
    assert price(fr, "fr") == "29.99"


def test_a_word_merely_containing_the_letters_marks_nothing() -> None:
    box = '<div><span class="precio-interior">$ 319</span><span class="precio">$ 279</span></div>'
    assert price(box) == "319.00"
