"""The guard proxy on real sockets: refuses with 403 and reports it, says why an upstream could
not be reached, records where each host was served from, and frees its port when stopped."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import pytest

from netguard.policy import AddressPolicy
from netguard.proxy import GUARD_HEADER, GuardProxy
from tests.support import free_port


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def ask(proxy: GuardProxy, url: str) -> bytes:
    """One plain-http request through the proxy, as Chromium sends it (absolute URL)."""
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as conn:
        conn.sendall(f"GET {url} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def test_guard_proxy_serves_allowed_refuses_private_and_says_why_upstream_is_unreachable(
    upstream: int,
) -> None:
    blocked: list[tuple[str, str]] = []
    policy = AddressPolicy.from_hosts([f"127.0.0.1:{upstream}"])
    proxy = GuardProxy(policy, lambda url, why: blocked.append((url, why))).start()
    try:
        assert ask(proxy, f"http://127.0.0.1:{upstream}/a").endswith(b"ok")
        assert proxy.connected[("127.0.0.1", upstream)] == "127.0.0.1"

        refused = ask(proxy, "http://169.254.169.254/latest/meta-data/")
        assert refused.startswith(b"HTTP/1.1 403")
        assert blocked and blocked[0][0] == "http://169.254.169.254/latest/meta-data/"

        closed = free_port()
        allowed_but_down = GuardProxy(AddressPolicy.from_hosts(["127.0.0.1"]), print).start()
        try:
            answer = ask(allowed_but_down, f"http://127.0.0.1:{closed}/").decode()
        finally:
            allowed_but_down.stop()
        assert answer.startswith("HTTP/1.1 502")
        assert f"{GUARD_HEADER}: cannot connect to 127.0.0.1 port {closed}" in answer
        assert "Connection refused" in answer
        assert "Connection refused" in allowed_but_down.unreachable[("127.0.0.1", closed)]
    finally:
        proxy.stop()


def test_guard_proxy_stop_frees_its_port() -> None:
    proxy = GuardProxy(AddressPolicy(), print).start()
    port = proxy.port
    proxy.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
