"""/healthz answers anyone with no secrets; /metrics only loopback and configured networks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from config.settings import AppConfig, DeskConfig
from ipwatch import __version__
from ipwatch.services.workspace import Workspace
from ipwatch.web.app import create_app
from tests.ipwatch.web.conftest import login
from tests.ipwatch.web.desk_data import DeskData, DeskServer, build
from tests.support import free_port


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DeskData, DeskServer]]:
    data = build(tmp_path_factory.mktemp("desk") / "home")
    with DeskServer(data.workspace) as server:
        yield data, server
    data.workspace.close()


def asgi_get(workspace: Workspace, path: str, client: str) -> tuple[int, bytes]:
    """One GET through the desk's real ASGI app, from ``client`` (an address no test machine
    can bind, so the app is called directly)."""
    app = create_app(workspace, secure_cookies=False)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"desk.example")],
        "client": (client, 40000),
        "server": ("192.0.2.1", 8000),
    }
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    status = next(int(str(m["status"])) for m in sent if m["type"] == "http.response.start")
    body = b"".join(bytes(m.get("body", b"")) for m in sent if m["type"] == "http.response.body")  # type: ignore[arg-type]
    return status, body


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_healthz_says_ok_and_the_version_without_login(desk: tuple[DeskData, DeskServer]) -> None:
    _data, server = desk
    response = requests.get(f"{server.url}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "reachable", "version": __version__}


def test_healthz_is_503_when_the_index_does_not_answer(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path, AppConfig(index=f"http://127.0.0.1:{free_port()}/"))
    try:
        status, body = asgi_get(workspace, "/healthz", "127.0.0.1")
    finally:
        workspace.close()
    assert status == 503
    assert json.loads(body) == {
        "status": "degraded",
        "store": "unreachable",
        "version": __version__,
    }


def test_metrics_count_requests_by_route_and_findings_by_status(
    desk: tuple[DeskData, DeskServer],
) -> None:
    _data, server = desk
    alice = login(server.url, "alice")
    assert alice.get(f"{server.url}/api/v1/findings/F-a1", timeout=10).status_code == 200
    response = requests.get(f"{server.url}/metrics", timeout=10)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    seen = samples(response.text)
    assert seen[("ipwatch_findings", (("status", "new"),))] == 4  # every owner's
    routes = {
        dict(labels).get("route") for name, labels in seen if name == "ipwatch_desk_requests_total"
    }
    assert "/api/v1/findings/{finding_id}" in routes  # the template, never one series per id
    assert "/api/v1/findings/F-a1" not in routes


def test_metrics_volume_leak_to_a_remote_client_is_refused_unless_its_network_is_listed(
    tmp_path: Path,
) -> None:
    workspace = Workspace(tmp_path, AppConfig())
    allowed = Workspace(tmp_path, AppConfig(desk=DeskConfig(metrics_clients=["192.0.2.0/24"])))
    try:
        status, body = asgi_get(workspace, "/metrics", "192.0.2.9")
        assert status == 403 and b"desk.metrics_clients" in body
        assert b"ipwatch_findings" not in body
        assert asgi_get(allowed, "/metrics", "192.0.2.9")[0] == 200
        assert asgi_get(allowed, "/metrics", "198.51.100.7")[0] == 403
    finally:
        workspace.close()
        allowed.close()


def test_a_metrics_network_that_is_no_network_is_refused_with_the_fix() -> None:
    with pytest.raises(ValueError, match=r"CIDR like 10\.0\.0\.0/24"):
        DeskConfig(metrics_clients=["prometheus.internal"])
