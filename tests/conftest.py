"""Fixtures shared by the whole suite: the demo marketplace on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demomarket import DemoMarket


@pytest.fixture(scope="session")
def demo_market() -> Iterator[DemoMarket]:
    """The fault-free demo marketplace on 127.0.0.1, shared by tests that only read it."""
    with DemoMarket() as market:
        yield market
