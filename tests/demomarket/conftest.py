"""Fixtures for the demo shop's own tests: one shared server, fresh ones for fault plans."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demomarket import DemoMarket


@pytest.fixture(scope="session")
def shop() -> Iterator[DemoMarket]:
    """The fault-free shop, shared by every test that only reads pages."""
    with DemoMarket() as market:
        yield market
