"""A marketplace profile is checked whole when it loads: no traceback, no surprise mid-crawl, no
regex that a hostile URL can make run for minutes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from config.errors import ConfigError
from config.patterns import compile_regex
from config.profile import load_profile
from tests.security.hostile import write_profile
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("listing", "field"),
    [
        ({"item_id": '"("'}, "listing.item_id"),
        ({"fields": '{title: "h1[[["}'}, "listing.fields.title"),
        ({"fields": '{price: "xpath://div[@"}'}, "listing.fields.price"),
        ({"wait_for": '"div[["'}, "listing.wait_for"),
    ],
)
def test_profile_with_invalid_regex_or_selector_is_refused_at_load(
    tmp_path: Path, listing: dict[str, str], field: str
) -> None:
    path = write_profile(tmp_path / "bad.yaml", "https://shop.example", **listing)
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert str(path) in message and field in message


def test_profile_errors_are_one_clear_message_not_a_traceback(tmp_path: Path) -> None:
    path = write_profile(tmp_path / "bad.yaml", "https://shop.example", item_id='"("')
    result = run_ipwatch(tmp_path / "home", "crawl", str(path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "listing.item_id" in result.stderr and "regular expression" in result.stderr


@pytest.mark.parametrize("pattern", ["/item/((a+)+)$", r"/(\w+)\1", "(.*)(.*)(.*)x", "(?=a)(a)"])
def test_catastrophic_backtracking_item_id_cannot_hang_the_crawl(pattern: str) -> None:
    hostile_url = "https://shop.example/item/" + "a" * 5000 + "!"
    try:
        matcher = compile_regex(pattern)
    except ValueError:
        return  # refused at load: Python's re without google-re2
    started = time.monotonic()  # accepted: the engine is RE2, linear in the URL
    matcher.search(hostile_url)
    assert time.monotonic() - started < 1


def test_ordinary_item_id_patterns_still_load() -> None:
    for pattern in ("/item/([A-Za-z0-9-]+)", r"/itm/(?:[^/]+/)?(\d+)", r"[?&]id=(\d+)"):
        assert compile_regex(pattern).groups == 1
