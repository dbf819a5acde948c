"""Fixtures for registry tests: a fresh SQLite registry and a folder of real images."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from registry_testkit import draw

from registry import Registry


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder holding the sample images the sample document refers to."""
    folder = tmp_path / "import"
    draw(folder / "images" / "logo.png", size=(40, 30), color=(10, 20, 200, 0), mode="RGBA")
    draw(folder / "images" / "runner.jpg", size=(64, 48), color=(30, 160, 30))
    return folder


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Registry]:
    store = Registry(f"sqlite:///{tmp_path / 'registry.db'}")
    yield store
    store.close()
