"""Enforcement settings: defaults, and a clear error for thresholds that contradict each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import load_app_config


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_app_config(tmp_path).enforcement
    assert (settings.strikes_warning, settings.strikes_suspend) == (2, 5)
    assert settings.fanout_cap == 20 and settings.gravity["word_mark"] == 3


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("strikes_warning: 6\n  strikes_suspend: 3", "raise strikes_suspend"),
        ("fanout_cap: 1", "fanout_cap"),
        ("photo_max_distance: 40", "photo_max_distance"),
        ("gravity: {word_mark: 9}", "gravity of 'word_mark' must be 0 to 3"),
        ("strikes: 3", "strikes"),
    ],
)
def test_contradictory_or_unknown_settings_name_the_file_and_field(
    tmp_path: Path, yaml: str, message: str
) -> None:
    (tmp_path / "ipwatch.yaml").write_text(f"enforcement:\n  {yaml}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        load_app_config(tmp_path)
    assert "ipwatch.yaml" in str(raised.value)
