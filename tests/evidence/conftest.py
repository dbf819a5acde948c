"""Fixtures for evidence tests: real RFC 3161 TSAs (`openssl ts`) on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.services.tsa import LocalTsa


@pytest.fixture(scope="session")
def local_tsa() -> Iterator[LocalTsa]:
    """The TSA whose root (`local_tsa.ca_pem`) the tests trust; fault modes via `url_for`."""
    with LocalTsa(name="ipwatch test TSA") as tsa:
        yield tsa


@pytest.fixture(scope="session")
def other_tsa() -> Iterator[LocalTsa]:
    """A second TSA under its own root: its tokens must not verify against `local_tsa`'s root."""
    with LocalTsa(name="unrelated TSA") as tsa:
        yield tsa
