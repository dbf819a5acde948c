"""A barcode the shop addresses the page by ('?ean=978…', a bookshop's ISBN-13) is its id where
no other identifier is found; a labelled shop number still beats it."""

from __future__ import annotations

from crawler.extraction import extract_listing


def sku(body: str, url: str) -> str | None:
    html = f"<html><body><main><h1>A novel</h1>{body}</main></body></html>"
    return extract_listing(html, url).sku


def test_an_isbn_in_the_query_is_the_id_when_nothing_else_is() -> None:
    url = "https://books.example.com/w/a-novel/5512?ean=9780306406157"
    assert sku("<p>Hardcover · 512 pages</p>", url) == "9780306406157"


def test_a_labelled_item_number_beats_a_barcode_in_the_query() -> None:
    url = "https://books.example.com/w/a-novel/5512?ean=9780306406157"
    assert sku("<p>Item #: BK-55120</p>", url) == "BK-55120"
