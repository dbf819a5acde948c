"""A Persian product-code label ('کد کالا: DKP-…') names the shop's own number, so the code the
page prints, display prefix and all, is the sku over a structured one without it (lexicon)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://shop.example/product/dkp-55120934/گوشی"
JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org/","@type":"Product",'
    '"name":"گوشی موبایل","sku":"55120934","offers":{"@type":"Offer","price":"1000",'
    '"priceCurrency":"IRR"}}</script>'
)


def sku(line: str) -> str | None:
    html = (
        f"<html><head>{JSONLD}</head><body><main><div class='pdp'><h1>گوشی موبایل</h1>"
        f"{line}</div></main></body></html>"
    )
    return extract_listing(html, URL).sku


def test_a_persian_labelled_code_is_the_sku() -> None:
    assert sku("<p>کد کالا: DKP-55120934</p>") == "DKP-55120934"


def test_without_the_label_the_structured_sku_stands() -> None:
    assert sku("<p>DKP-55120934</p>") == "55120934"
