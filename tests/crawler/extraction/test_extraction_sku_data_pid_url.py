"""A product id on the page's product box ('data-pid', 'data-product-id') is its sku where the
URL path carries it as a whole part: the shop addresses the page by it (identifiers.py)."""

from __future__ import annotations

from crawler.extraction import extract_listing


def sku(attr: str, url: str) -> str | None:
    html = (
        f"<html><body><main class='product-detail' {attr}><h1>Kukum</h1>"
        "<span class='price'>24,95 $</span></main></body></html>"
    )
    return extract_listing(html, url).sku


def test_a_data_pid_the_url_spells_is_the_sku() -> None:
    url = "https://books.example/fr-ca/kukum/9782896496491.html"
    assert sku('data-pid="9782896496491"', url) == "9782896496491"


def test_a_data_product_id_the_url_spells_is_the_sku() -> None:
    url = "https://shop.example/p/wool-scarf-4471203"
    assert sku('data-product-id="4471203"', url) == "4471203"


def test_a_data_pid_the_url_does_not_spell_is_no_sku() -> None:
    assert sku('data-pid="88120455"', "https://shop.example/p/wool-scarf") is None


def test_a_data_pid_only_inside_a_longer_url_number_is_no_sku() -> None:
    assert sku('data-pid="12045"', "https://shop.example/p/scarf-9912045") is None
