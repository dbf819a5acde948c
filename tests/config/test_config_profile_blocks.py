"""A profile's ``blocks:`` rules are checked when it loads; errors name the file and field."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from config.errors import ConfigError
from config.profile import load_profile

if TYPE_CHECKING:
    from pathlib import Path

BASE = "name: shop\nbase_url: https://shop.example\n"


def _load(tmp_path: Path, blocks: str) -> str:
    path = tmp_path / "shop.yaml"
    path.write_text(BASE + blocks, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_profile(path)
    message = str(error.value)
    assert str(path) in message
    return message


def test_invalid_regex_names_the_pattern(tmp_path: Path) -> None:
    message = _load(tmp_path, "blocks:\n  patterns: ['ok', 'Robot (check']\n")
    assert "blocks.patterns" in message
    assert "pattern 1" in message and "not a valid regular expression" in message


def test_backtracking_regex_is_refused_redos(tmp_path: Path) -> None:
    """ReDoS: a block pattern runs on every page's text, which the marketplace writes."""
    message = _load(tmp_path, "blocks:\n  patterns: ['(a+)\\1+$']\n")
    assert "blocks.patterns" in message and "pattern 0" in message
    assert "backreferences" in message


def test_status_codes_and_selector_are_checked(tmp_path: Path) -> None:
    message = _load(tmp_path, "blocks:\n  status_codes: [99]\n  empty_results: 'p[[['\n")
    assert "blocks.status_codes" in message and "200-599" in message
    assert "blocks.empty_results" in message and "invalid CSS selector" in message


def test_breaker_must_be_positive(tmp_path: Path) -> None:
    message = _load(tmp_path, "politeness:\n  max_consecutive_blocks: 0\n")
    assert "politeness.max_consecutive_blocks" in message


def test_valid_rules_load(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(BASE + "blocks:\n  patterns: ['Robot check']\n  status_codes: [418]\n")
    profile = load_profile(path)
    assert profile.blocks.patterns == ("Robot check",)
    assert profile.blocks.status_codes == (418,)
    assert profile.politeness.max_consecutive_blocks == 5
