"""A forward proxy on 127.0.0.1 that every Chromium request goes through (crawl and capture).

Playwright's request routing never sees the hops of a redirect, WebSockets or a service
worker's fetches; a proxy sees every connection the browser opens. Each is checked with the
``AddressPolicy`` and made to the address that was checked (DNS cannot swap it later); a
refused one gets a 403 and is reported to ``on_block``; ``connected`` records which address each
host was actually served from (Chromium itself only sees the proxy's). Plain http is one request per
connection (``Connection: close`` both ways), so a connection checked for one host never
carries a request for another; https and ws(s) are tunnelled with CONNECT.

With an upstream pool (a marketplace's proxies), each connection goes out through the next
proxy in turn, still to the address that was checked: ``CONNECT <address>:<port>`` for tunnels
and an absolute URL naming the address (the ``Host`` header keeps the name) for plain http, so
the upstream cannot resolve the name to somewhere else. Credentials in a pool URL become a
``Proxy-Authorization`` header and are never logged (``via`` holds the redacted proxy).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import itertools
import logging
import os
import threading
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from netguard.policy import AddressPolicy

logger = logging.getLogger(__name__)

MAX_HEAD = 64 * 1024
GUARD_HEADER = "X-Ipwatch-Guard"  # on the proxy's own 502: why the upstream was not reached
_HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "proxy-authorization"}


class GuardProxy:
    """Started in its own thread and event loop; ``url`` is what Chromium's ``proxy`` takes."""

    def __init__(
        self,
        policy: AddressPolicy,
        on_block: Callable[[str, str], None],
        upstream: Sequence[str] = (),
        on_upstream: Callable[[str], None] | None = None,
    ) -> None:
        self.policy = policy
        self.on_block = on_block
        self._upstream = itertools.cycle([Upstream.parse(url) for url in upstream])
        self._has_upstream = bool(upstream)
        self.on_upstream = on_upstream  # called with each proxied URL (for counters)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ipwatch-guard-proxy", daemon=True)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.Task[None]] = set()
        self.unreachable: dict[tuple[str, int], str] = {}  # (host, port) -> why, for the record
        self.connected: dict[tuple[str, int], str] = {}  # (host, port) -> address last used
        self.via: dict[tuple[str, int], str] = {}  # (host, port) -> upstream proxy, redacted

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> GuardProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the browser's address-guard proxy did not start")
        return self

    def stop(self) -> None:
        """Stop listening, end open connections and the thread (its port is free again)."""
        if self._loop.is_closed() or not self._thread.is_alive():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, limit=MAX_HEAD)
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            for _ in range(20):  # open connections: cancel them, let them close their sockets
                pending = asyncio.all_tasks(self._loop)
                if not pending:
                    break
                for task in pending:
                    task.cancel()
                self._loop.run_until_complete(asyncio.wait(pending, timeout=0.5))
            self._loop.run_until_complete(asyncio.sleep(0.01))
            self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # asyncio holds tasks weakly: a connection idle on a paused socket could be collected
        # mid-flight (its socket never closed); hold each until it ends.
        task = asyncio.current_task()
        if task is not None:
            self._open.add(task)
        try:
            await self._handle(reader, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        except asyncio.CancelledError:  # the proxy is stopping: end quietly, socket closed below
            pass
        finally:
            writer.close()
            if task is not None:
                self._open.discard(task)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *lines = head[:-4].split("\r\n")
        method, target, version = request_line.split(" ", 2)
        if method.upper() == "CONNECT":
            host, _, port_text = target.rpartition(":")
            port = int(port_text)
            url = f"https://{host}:{port}/"
        else:
            url = target
            parts = urlsplit(url)
            port = parts.port or 80
        addresses, reason = await asyncio.to_thread(self.policy.check, url)
        if reason is not None:
            self.on_block(url[:2000], reason[:300])
            writer.write(
                b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            await writer.drain()
            return
        if not addresses:  # a failed lookup, not a refusal: the request just fails
            writer.write(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            await writer.drain()
            return
        host = (urlsplit(url).hostname or "").lower()
        tunnel = method.upper() == "CONNECT"
        upstream = next(self._upstream) if self._has_upstream else None
        try:
            if upstream is None:
                up_reader, up_writer = await asyncio.open_connection(
                    addresses[0], port, limit=MAX_HEAD
                )
            else:
                up_reader, up_writer = await upstream.open(addresses[0], port, tunnel=tunnel)
        except OSError as exc:  # say why in a header: the browser sees only the proxy's answer
            why = os.strerror(exc.errno) if exc.errno else str(exc) or type(exc).__name__
            through = f" through {upstream.redacted}" if upstream else ""
            self.unreachable[(host, port)] = (
                f"cannot connect to {addresses[0]} port {port}{through}: {why}"
            )
            head = (
                "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n"
                f"{GUARD_HEADER}: {self.unreachable[(host, port)]}\r\n\r\n"
            )
            writer.write(head.encode("latin-1", "replace"))
            await writer.drain()
            return
        self.connected[(host, port)] = addresses[0]
        if upstream is not None:
            self.via[(host, port)] = upstream.redacted
            if self.on_upstream is not None:
                self.on_upstream(url[:2000])
        try:
            if tunnel:
                writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                await writer.drain()
                await _pipe_both(reader, writer, up_reader, up_writer)
                return
            parts = urlsplit(url)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if upstream is not None:  # absolute form to the checked address; Host keeps the name
                path = f"http://{_authority(addresses[0], port)}{path}"
            kept = [
                line for line in lines if line.split(":", 1)[0].strip().lower() not in _HOP_BY_HOP
            ]
            if upstream is not None and upstream.authorization:
                kept.append(f"Proxy-Authorization: {upstream.authorization}")
            up_writer.write(
                f"{method} {path} {version}\r\n{''.join(k + chr(13) + chr(10) for k in kept)}"
                "Connection: close\r\n\r\n".encode("latin-1")
            )
            await up_writer.drain()
            upload = asyncio.create_task(_copy(reader, up_writer))
            try:
                response = (await up_reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                status, *response_lines = response[:-4].split("\r\n")
                kept = [
                    line
                    for line in response_lines
                    if line.split(":", 1)[0].strip().lower() not in _HOP_BY_HOP
                ]
                writer.write(
                    f"{status}\r\n{''.join(k + chr(13) + chr(10) for k in kept)}"
                    "Connection: close\r\nProxy-Connection: close\r\n\r\n".encode("latin-1")
                )
                await _copy(up_reader, writer)
            finally:
                upload.cancel()
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await upload
        finally:
            up_writer.close()


class UpstreamRefused(OSError):
    """The upstream proxy answered something other than 200 to CONNECT."""


class Upstream:
    """One proxy of a marketplace's pool: where it listens and how to authenticate."""

    def __init__(self, host: str, port: int, authorization: str | None, redacted: str) -> None:
        self.host, self.port = host, port
        self.authorization = authorization
        self.redacted = redacted

    @classmethod
    def parse(cls, url: str) -> Upstream:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise ValueError("an upstream proxy for the browser must be http://host:port")
        authorization = None
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        return cls(
            parts.hostname, parts.port, authorization, f"http://{parts.hostname}:{parts.port}"
        )

    async def open(
        self, address: str, port: int, *, tunnel: bool
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A connection to the proxy; for a tunnel, already CONNECTed to ``address:port``."""
        reader, writer = await asyncio.open_connection(self.host, self.port, limit=MAX_HEAD)
        if not tunnel:
            return reader, writer
        authority = _authority(address, port)
        head = f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n"
        if self.authorization:
            head += f"Proxy-Authorization: {self.authorization}\r\n"
        writer.write(f"{head}\r\n".encode("latin-1"))
        await writer.drain()
        try:
            answer = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            writer.close()
            raise UpstreamRefused(f"proxy {self.redacted} closed the CONNECT") from exc
        status = answer.split("\r\n", 1)[0].split(" ", 2)
        if len(status) < 2 or status[1] != "200":
            writer.close()
            raise UpstreamRefused(
                f"proxy {self.redacted} answered {' '.join(status[1:])[:100]!r} to CONNECT"
            )
        return reader, writer


def _authority(address: str, port: int) -> str:
    """``host:port`` with IPv6 addresses bracketed."""
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(address).version == 6:
            return f"[{address}]:{port}"
    return f"{address}:{port}"


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while chunk := await reader.read(64 * 1024):
        writer.write(chunk)
        await writer.drain()


async def _pipe_both(
    client_reader: asyncio.StreamReader,
    client_writer: asyncio.StreamWriter,
    up_reader: asyncio.StreamReader,
    up_writer: asyncio.StreamWriter,
) -> None:
    up = asyncio.create_task(_copy(client_reader, up_writer))
    down = asyncio.create_task(_copy(up_reader, client_writer))
    _done, pending = await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError, OSError):
            await task
