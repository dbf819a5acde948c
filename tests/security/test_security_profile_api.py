"""Hostile JSON on API list pages: a clear ApiPageError or a skipped record, never a crash."""

from __future__ import annotations

import json

import pytest

from config.profile import ApiList
from crawler.extraction.api_list import (
    MAX_DEPTH,
    MAX_JSON_BYTES,
    MAX_RECORDS,
    ApiPageError,
    read_api_page,
)

URL = "https://shop.example/products.json?page=1"
API = ApiList(items="products", link="/products/{handle}", page_param="page")


def read(body: bytes | str, api: ApiList = API) -> object:
    data = body.encode() if isinstance(body, str) else body
    return read_api_page(data, URL, api)


def test_json_bomb_over_the_size_limit_is_refused_unparsed() -> None:
    huge = b'{"products": [' + b'{"handle": "x"},' * (MAX_JSON_BYTES // 16) + b"{}]}"
    with pytest.raises(ApiPageError, match=r"over the \d+-byte limit"):
        read(huge)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 100_000])
def test_deeply_nested_json_is_refused_without_recursion_error(depth: int) -> None:
    with pytest.raises(ApiPageError, match="nests deeper than"):
        read('{"products": ' + "[" * depth + "]" * depth + "}")


def test_deeply_nested_page_state_is_refused() -> None:
    api = ApiList(state="window.runParams", items="items", link="/item/{id}.html")
    nested = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    page = f'<html><script>window.runParams = {{"items": {nested}}};</script></html>'
    with pytest.raises(ApiPageError, match="nests deeper than"):
        read(page, api)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"products": "all of them"}', "holds str, not a list"),
        ('{"products": {"handle": "x"}}', "holds dict, not a list"),
        ('{"items": []}', "holds nothing, not a list"),
        ("[1, 2, 3]", "holds nothing, not a list"),
        ("<html>a login page</html>", "not JSON"),
        ("", "not JSON"),
    ],
)
def test_wrong_types_name_the_path_and_what_was_there(body: str, says: str) -> None:
    with pytest.raises(ApiPageError, match=says):
        read(body)


def test_wrong_typed_records_are_skipped_and_counted() -> None:
    records = [
        {"handle": "good-1"},
        {"handle": ["list"]},
        {"handle": True},
        {"handle": None},
        {"handle": ""},
        {"handle": "x" * 5000},
        "string record",
        42,
        None,
    ]
    page = read(json.dumps({"products": records}))
    assert page.links == ("https://shop.example/products/good-1",)  # type: ignore[attr-defined]
    assert page.skipped == len(records) - 1  # type: ignore[attr-defined]


def test_javascript_and_data_links_from_a_record_are_not_followed() -> None:
    api = ApiList(items=".", link="{permalink}")
    body = json.dumps(
        [
            {"permalink": "javascript:alert(document.cookie)"},
            {"permalink": "data:text/html,<script>alert(1)</script>"},
            {"permalink": "file:///etc/passwd"},
            {"permalink": "https://shop.example/product/ok/"},
        ]
    )
    page = read(body, api)
    assert page.links == ("https://shop.example/product/ok/",)  # type: ignore[attr-defined]
    assert page.skipped == 3  # type: ignore[attr-defined]


def test_record_flood_is_cut_at_the_limit() -> None:
    body = json.dumps({"products": [{"handle": f"p-{n}"} for n in range(MAX_RECORDS + 500)]})
    page = read(body)
    assert len(page.links) == MAX_RECORDS  # type: ignore[attr-defined]


def test_next_page_of_wrong_type_or_absurd_page_number_ends_paging() -> None:
    api = ApiList(items="products", link="/p/{handle}", next_page="links.next")
    body = json.dumps({"products": [{"handle": "a"}], "links": {"next": {"href": "/x"}}})
    assert read(body, api).next_page is None  # type: ignore[attr-defined]
    absurd = read_api_page(b'{"products": [{"handle": "a"}]}', URL.replace("1", "9" * 50), API)
    assert absurd.next_page is not None and "page=2" in absurd.next_page
