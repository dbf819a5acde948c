from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.profile import load_profile


def test_bundled_demo_profile_loads() -> None:
    profile = load_profile("demo")
    assert profile.name == "demo"
    assert profile.search is not None and "{keyword}" in profile.search.url
    assert any(section.render == "playwright" for section in profile.sections)
    moved = profile.with_base_url("http://127.0.0.1:9999")
    assert moved.base_url == "http://127.0.0.1:9999/"
    assert moved.domains() == ("127.0.0.1",)


def test_unknown_profile_names_the_bundled_ones() -> None:
    with pytest.raises(ConfigError, match=r"bundled profiles: .*demo"):
        load_profile("nope")


def test_invalid_profile_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(
        "name: shop\nbase_url: ftp://x\nsearch: {url: /s, listing_links: a, max_pages: 0}\n"
        "politness: {}\n"
    )
    with pytest.raises(ConfigError) as error:
        load_profile(path)
    message = str(error.value)
    assert str(path) in message
    assert "base_url" in message and "absolute http(s) URL" in message
    assert "search.max_pages" in message
    assert "politness" in message


def test_bad_yaml_and_wrong_shape(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_profile(broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_profile(listing)


def test_item_id_regex_needs_one_group(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(
        "name: shop\nbase_url: https://shop.example\nlisting: {item_id: '/item/\\d+'}\n"
    )
    with pytest.raises(ConfigError, match="exactly one group"):
        load_profile(path)
