"""The guard proxy chained to a marketplace's proxy pool, on real sockets: each connection goes
out through the next proxy, to the address the guard checked, with the pool's credentials, and
a refusing proxy is named without its secret."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import pytest

from netguard.policy import AddressPolicy
from netguard.proxy import GUARD_HEADER, GuardProxy
from tests.services.forward_proxy import ForwardProxy

USER, PASSWORD = "pool", "p@ss:w/rd"
QUOTED = "pool:p%40ss%3Aw%2Frd"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        body = f"ok {self.headers.get('Host')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def receive_all(conn: socket.socket) -> bytes:
    answer = b""
    while chunk := conn.recv(65536):
        answer += chunk
    return answer


def ask(proxy: GuardProxy, url: str, host: str) -> bytes:
    """A plain-http request as Chromium sends it to its proxy (absolute URL, its own Host)."""
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as conn:
        conn.sendall(f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        return receive_all(conn)


def tunnel(proxy: GuardProxy, authority: str) -> bytes:
    """CONNECT through the guard, then one request inside the tunnel."""
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as conn:
        conn.sendall(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(1)
            if not chunk:
                return head
            head += chunk
        if not head.startswith(b"HTTP/1.1 200"):
            return head + receive_all(conn)
        conn.sendall(f"GET /inside HTTP/1.0\r\nHost: {authority}\r\n\r\n".encode())
        return head + receive_all(conn)


def test_plain_requests_go_out_through_the_pool_in_turn_to_the_checked_address(
    site: int,
) -> None:
    proxied: list[str] = []
    policy = AddressPolicy.from_hosts([f"127.0.0.1:{site}"])
    with ForwardProxy(expected_authorization=BASIC) as first, ForwardProxy() as second:
        pool = [f"http://{QUOTED}@127.0.0.1:{first.port}", f"http://127.0.0.1:{second.port}"]
        guard = GuardProxy(policy, print, upstream=pool, on_upstream=proxied.append).start()
        try:
            answers = [ask(guard, f"http://127.0.0.1:{site}/{n}", f"shop:{site}") for n in range(4)]
        finally:
            guard.stop()
        asked_first, asked_second = first.requests, second.requests
    assert all(answer.endswith(f"ok shop:{site}".encode()) for answer in answers), answers
    # one connection each, in turn; the Host header keeps the name the browser used
    assert [r.url for r in asked_first] == [f"http://127.0.0.1:{site}/{n}" for n in (0, 2)]
    assert [r.url for r in asked_second] == [f"http://127.0.0.1:{site}/{n}" for n in (1, 3)]
    assert {r.authorization for r in asked_first} == {BASIC}  # percent-quoted user:pass decoded
    assert {r.authorization for r in asked_second} == {None}
    assert len(proxied) == 4
    assert guard.via[("127.0.0.1", site)] in {
        f"http://127.0.0.1:{first.port}",
        f"http://127.0.0.1:{second.port}",
    }


def test_tunnels_are_connected_through_the_pool_with_its_credentials(site: int) -> None:
    policy = AddressPolicy.from_hosts([f"127.0.0.1:{site}"])
    with ForwardProxy(expected_authorization=BASIC) as pool_proxy:
        pool = [f"http://{QUOTED}@127.0.0.1:{pool_proxy.port}"]
        guard = GuardProxy(policy, print, upstream=pool).start()
        try:
            answer = tunnel(guard, f"127.0.0.1:{site}")
        finally:
            guard.stop()
        asked = pool_proxy.requests
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(f"ok 127.0.0.1:{site}".encode())
    assert [(r.url, r.authorization) for r in asked] == [(f"CONNECT 127.0.0.1:{site}", BASIC)]
    assert guard.connected[("127.0.0.1", site)] == "127.0.0.1"


def test_private_target_is_refused_before_the_pool_is_asked_ssrf() -> None:
    blocked: list[tuple[str, str]] = []
    with ForwardProxy() as pool_proxy:
        guard = GuardProxy(
            AddressPolicy(),
            lambda url, why: blocked.append((url, why)),
            upstream=[f"http://127.0.0.1:{pool_proxy.port}"],
        ).start()
        try:
            plain = ask(guard, "http://169.254.169.254/latest/meta-data/", "169.254.169.254")
            tunnelled = tunnel(guard, "10.0.0.1:443")
        finally:
            guard.stop()
        asked = pool_proxy.requests
    assert plain.startswith(b"HTTP/1.1 403") and tunnelled.startswith(b"HTTP/1.1 403")
    assert len(blocked) == 2
    assert asked == []  # the pool never sees a refused target, so it cannot reach it either


def test_refusing_proxy_is_named_without_its_password_credential_leak(site: int) -> None:
    policy = AddressPolicy.from_hosts([f"127.0.0.1:{site}"])
    with ForwardProxy(expected_authorization="Basic something-else") as pool_proxy:
        guard = GuardProxy(
            policy, print, upstream=[f"http://{QUOTED}@127.0.0.1:{pool_proxy.port}"]
        ).start()
        try:
            answer = tunnel(guard, f"127.0.0.1:{site}").decode("latin-1")
        finally:
            guard.stop()
    assert answer.startswith("HTTP/1.1 502")
    assert f"{GUARD_HEADER}: cannot connect to 127.0.0.1 port {site} through" in answer
    assert f"http://127.0.0.1:{pool_proxy.port}" in answer and "407" in answer
    why = guard.unreachable[("127.0.0.1", site)]
    for secret in (PASSWORD, "p%40ss", BASIC.split()[1], USER + ":"):
        assert secret not in answer and secret not in why
