"""Nuxt 2's state written as a JS function call ('window.__NUXT__=(function(a,b){return {…}}
(…))', keys unquoted, repeated values passed as arguments) is read like JSON state
(crawler/extraction/js_literal.py, embedded_state.py)."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing
from crawler.extraction.js_literal import function_states

NUXT = (
    'window.__NUXT__=(function(a,b,c){return {layout:"default",data:[{product:{sku:"BK-2291",'
    "name:\"Garden Chair\",price:{value:49.5,currency:b},availability:a,tags:[c,'it\\'s'],"
    'note:void 0}}]}}("InStock","EUR",true));'
)


def test_a_function_call_state_binds_its_arguments() -> None:
    [(name, value)] = function_states(NUXT)
    product = value["data"][0]["product"]
    assert name == "window.__NUXT__"
    assert product["price"] == {"value": Decimal("49.5"), "currency": "EUR"}
    assert product["availability"] == "InStock"
    assert product["tags"] == [True, "it's"]
    assert product["note"] is None


def test_the_product_in_a_function_call_state_is_extracted() -> None:
    html = f"<html><head><script>{NUXT}</script></head><body><p>Garden</p></body></html>"
    listing = extract_listing(html, "https://garden.example/p/chair")
    assert listing.sku == "BK-2291"
    assert listing.sources.get("sku") == "embedded_state"


def test_a_function_defined_but_not_called_is_no_state() -> None:
    assert function_states('var f = function(a){return {sku:"X1",name:a}};') == []
    assert function_states("window.__NUXT__=(function(a){return {sku:a,}}") == []
