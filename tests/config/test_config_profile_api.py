"""Profiles: the ``api`` block for JSON list pages, and profiles from the data folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from config.errors import ConfigError
from config.json_path import MISSING, fill_template, parse_path, resolve
from config.profile import PROFILES_DIR, available_profiles, load_profile

if TYPE_CHECKING:
    from pathlib import Path

HEAD = "name: shop\nbase_url: https://shop.example\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["shopify", "woocommerce", "aliexpress", "taobao"])
def test_bundled_shop_structure_profiles_load(name: str) -> None:
    profile = load_profile(name)
    pages = ([profile.search] if profile.search else []) + list(profile.sections)
    assert profile.name == name and pages
    assert all((page.api is None) != (page.listing_links is None) for page in pages)


def test_json_paths_and_templates() -> None:
    data = {"products": [{"handle": "a-1", "id": 7}], "0": "zero"}
    assert resolve(data, parse_path("products.0.handle")) == "a-1"
    assert resolve(data, parse_path("0")) == "zero"  # a digit key still finds a dict key
    assert resolve(data, parse_path(".")) is data
    assert resolve(data, parse_path("products.5.handle")) is MISSING
    assert resolve(data, parse_path("products.0.handle.deeper")) is MISSING
    assert fill_template("/products/{handle}?v={id}", data["products"][0]) == "/products/a-1?v=7"
    assert fill_template("/products/{missing}", {}) is None
    assert fill_template("/p/{flag}", {"flag": True}) is None  # not a string or number


@pytest.mark.parametrize(
    ("api", "message"),
    [
        ("{items: products, link: '/p/{handle}', next_page: next, page_param: page}", "not both"),
        ("{items: 'products[0]', link: '/p/{handle}'}", "is not a key"),
        ("{items: products, link: /p/fixed}", "uses no record field"),
        ("{items: products, link: '/p/{a b}'}", "is not a key"),
        ("{items: products, link: '/p/{handle'}", "unbalanced brace"),
        ("{items: products, link: '/p/{handle}', page_param: 'p&x=1'}", "query parameter"),
        ("{items: products, link: '/p/{handle}', script: x}", "Extra inputs"),
        ("{state: 'window[0]', items: products, link: '/p/{handle}'}", "not a script variable"),
    ],
)
def test_bad_api_blocks_name_the_field_and_the_fix(tmp_path: Path, api: str, message: str) -> None:
    path = write(tmp_path / "shop.yaml", HEAD + f"sections:\n  - url: /api\n    api: {api}\n")
    with pytest.raises(ConfigError, match=message) as error:
        load_profile(path)
    assert str(path) in str(error.value) and "sections.0.api" in str(error.value)


def test_a_list_page_needs_exactly_one_way_to_find_links(tmp_path: Path) -> None:
    neither = write(tmp_path / "neither.yaml", HEAD + "sections:\n  - url: /new\n")
    both = write(
        tmp_path / "both.yaml",
        HEAD + "sections:\n  - {url: /new, listing_links: a, api: {items: x, link: '{u}'}}\n",
    )
    for path in (neither, both):
        with pytest.raises(ConfigError, match="exactly one of listing_links"):
            load_profile(path)
    selector_paging = write(
        tmp_path / "paging.yaml",
        HEAD + "sections:\n  - {url: /api, next_page: a, api: {items: x, link: '{u}'}}\n",
    )
    with pytest.raises(ConfigError, match=r"api\.page_param or api\.next_page"):
        load_profile(selector_paging)


def test_a_data_folder_profile_wins_over_the_bundled_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bundled = (PROFILES_DIR / "shopify.yaml").read_text(encoding="utf-8")
    write(
        home / "marketplaces" / "shopify.yaml",
        bundled.replace("download_delay: 1.0", "download_delay: 7"),
    )
    write(home / "marketplaces" / "myshop.yaml", HEAD.replace("shop\n", "myshop\n", 1))
    assert load_profile("shopify", home=home).politeness.download_delay == 7
    assert load_profile("shopify").politeness.download_delay == 1.0  # without a data folder
    assert load_profile("myshop", home=home).name == "myshop"
    found = available_profiles(home)
    assert found["shopify"].parent == home / "marketplaces"
    assert found["demo"].parent == PROFILES_DIR


def test_an_unknown_profile_lists_both_places_looked_in(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write(home / "marketplaces" / "myshop.yaml", HEAD)
    with pytest.raises(ConfigError) as error:
        load_profile("nope", home=home)
    message = str(error.value)
    assert str(home / "marketplaces" / "nope.yaml") in message
    assert str(PROFILES_DIR / "nope.yaml") in message
    assert "bundled profiles: " in message and "shopify" in message
    assert "data folder only: myshop" in message


def test_a_profile_name_with_path_tricks_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a profile name"):
        load_profile("../../etc/passwd", home=tmp_path)
