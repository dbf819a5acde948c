"""A tiny forward HTTP proxy on 127.0.0.1 that records what it was asked, forwards GETs and
tunnels CONNECT (``url`` is then ``CONNECT host:port``)."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import TracebackType

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te"}


@dataclass(frozen=True)
class Proxied:
    """One request the proxy received: the absolute URL and its Proxy-Authorization, if any."""

    url: str
    authorization: str | None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads ``ForwardProxy.requests``."""

    def do_GET(self) -> None:
        proxy: ForwardProxy = self.server.proxy  # type: ignore[attr-defined]
        authorization = self.headers.get("Proxy-Authorization")
        proxy.record(Proxied(self.path, authorization))
        if proxy.expected_authorization and authorization != proxy.expected_authorization:
            self._send(407, b"proxy authentication required", {"Proxy-Authenticate": "Basic"})
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        request = urllib.request.Request(self.path, headers=headers)
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with direct.open(request, timeout=10) as response:
                status, body, got = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            with error:
                status, body, got = error.code, error.read(), error.headers
        passed = {k: v for k, v in got.items() if k.lower() not in HOP_BY_HOP | {"content-length"}}
        self._send(status, body, passed)

    def do_CONNECT(self) -> None:
        proxy: ForwardProxy = self.server.proxy  # type: ignore[attr-defined]
        authorization = self.headers.get("Proxy-Authorization")
        proxy.record(Proxied(f"CONNECT {self.path}", authorization))
        if proxy.expected_authorization and authorization != proxy.expected_authorization:
            self._send(407, b"proxy authentication required", {"Proxy-Authenticate": "Basic"})
            return
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except OSError:
            self._send(502, b"cannot connect", {})
            return
        self.send_response(200, "Connection Established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True  # the tunnel ends the connection
        with upstream, contextlib.suppress(OSError):
            sockets = [self.connection, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    break
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is self.connection else self.connection).sendall(data)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "transfer-encoding":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ForwardProxy:
    """Use as a context manager; ``url`` is ``http://127.0.0.1:<port>``."""

    def __init__(self, expected_authorization: str | None = None) -> None:
        self.expected_authorization = expected_authorization
        self._requests: list[Proxied] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.proxy = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def requests(self) -> list[Proxied]:
        with self._lock:
            return list(self._requests)

    def record(self, proxied: Proxied) -> None:
        with self._lock:
            self._requests.append(proxied)

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
