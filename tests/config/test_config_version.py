"""One tool version: pyproject.toml's, read through config.version by every package."""

from __future__ import annotations

import tomllib

import ipwatch
from config.version import PYPROJECT, TOOL_VERSION


def test_tool_version_is_the_pyproject_version() -> None:
    with PYPROJECT.open("rb") as fh:
        assert tomllib.load(fh)["project"]["version"] == TOOL_VERSION


def test_ipwatch_version_comes_from_config() -> None:
    assert ipwatch.__version__ == TOOL_VERSION
