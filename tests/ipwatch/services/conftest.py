"""A workspace on the embedded default (SQLite + local files) in a fresh folder, per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import AppConfig
from ipwatch.services.workspace import Workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    home = tmp_path / "home"
    home.mkdir()
    opened = Workspace(home, AppConfig())
    yield opened
    opened.close()
