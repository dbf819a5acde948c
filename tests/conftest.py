"""Fixtures shared by the whole suite: the demo marketplace and real OpenSearch on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from demomarket import DemoMarket
from tests.services.opensearch import TEST_JVM_ARGS, OpenSearchCluster, OpenSearchNode
from tests.services.redis import RedisServer


@pytest.fixture(scope="session")
def demo_market() -> Iterator[DemoMarket]:
    """The fault-free demo marketplace on 127.0.0.1, shared by tests that only read it."""
    with DemoMarket() as market:
        yield market


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    """Base URL of a healthy OpenSearch: $IPWATCH_TEST_OPENSEARCH_URL, else a node for the session.

    Never skips: when no node can start, dependent tests error with the launcher's reason.
    """
    external = os.environ.get("IPWATCH_TEST_OPENSEARCH_URL", "").strip()
    if external:
        yield external.rstrip("/")
        return
    with OpenSearchNode(jvm_args=TEST_JVM_ARGS) as node:
        yield node.url


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A real redis-server on 127.0.0.1 and a free port, one per test (nothing shared)."""
    with RedisServer() as server:
        yield server.url


@pytest.fixture
def opensearch_cluster() -> Iterator[Callable[..., OpenSearchCluster]]:
    """Factory `make(n=3, heap="384m")` for started multi-node clusters, all stopped afterwards."""
    clusters: list[OpenSearchCluster] = []

    def make(n: int = 3, *, heap: str = "384m") -> OpenSearchCluster:
        cluster = OpenSearchCluster(n, heap=heap, jvm_args=TEST_JVM_ARGS)
        clusters.append(cluster)
        return cluster.start()

    yield make
    for cluster in clusters:
        cluster.stop()
