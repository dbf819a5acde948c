"""The demo shop's HTTP server: routing, fault injection and a log of every request."""

from __future__ import annotations

import json
import logging
import re
import ssl
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urljoin, urlsplit

from demomarket import conditional, images, pages, walls
from demomarket.catalog import CATALOG, Catalog
from demomarket.faults import FaultPlan, malform
from demomarket.listing import listing_page
from demomarket.responses import HTML, Response
from demomarket.styles import STYLE_ROUTES

if TYPE_CHECKING:
    from types import TracebackType

log = logging.getLogger(__name__)
_ITEM = re.compile(r"^/item/([A-Za-z0-9-]+)$")
_SELLER = re.compile(r"^/seller/([A-Za-z0-9-]+)$")
_IMAGE = re.compile(r"^/img/([A-Za-z0-9._-]+)$")
WALLS = {"challenge": walls.challenge, "captcha": walls.captcha, "empty": walls.empty}


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it; ``time`` is ``time.monotonic()`` on arrival."""

    method: str
    path: str  # path and ?query as requested
    time: float
    headers: dict[str, str]
    status: int  # 0 when the connection was dropped without a response
    faults: tuple[str, ...] = ()


def _page_number(query: dict[str, list[str]]) -> int:
    raw = query.get("page", ["1"])[0]
    return max(1, int(raw)) if raw.isdigit() else 1


def _html(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"))


def route(catalog: Catalog, base_url: str, path: str, query: dict[str, list[str]]) -> Response:
    """The response the shop gives to ``GET path?query`` when nothing is faulty."""
    if path == "/":
        return _html(pages.home(catalog))
    if path == "/robots.txt":
        return Response(200, pages.ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
    if path == "/search":
        return _html(pages.search(catalog, query.get("q", [""])[0], _page_number(query)))
    if path == "/new":
        return _html(pages.new_arrivals(catalog, _page_number(query)))
    if path == "/deals":
        return _html(pages.deals_shell())
    if path == "/api/deals.json":
        deals = pages.deals_json(catalog, _page_number(query))
        body = json.dumps(deals, ensure_ascii=False).encode("utf-8")
        return Response(200, body, "application/json; charset=utf-8")
    if (match := _ITEM.match(path)) and (item := catalog.item(match[1])):
        return _html(listing_page(item, catalog.sellers[item.seller_id], base_url))
    if (match := _SELLER.match(path)) and (seller := catalog.seller(match[1])):
        return _html(pages.seller(catalog, seller))
    if match := _IMAGE.match(path):
        try:
            picture, media = images.cached(match[1])
        except KeyError:
            return _html(pages.message("Not found", "No such image."), 404)
        return Response(200, picture, media, {"Cache-Control": "max-age=86400"})
    if path.startswith("/go/"):  # a tracking redirect, as shops put in front of listings
        return Response(302, b"", HTML, {"Location": path.removeprefix("/go")})
    if path.startswith("/admin"):
        return _html(pages.message("Sign in", "Seller admin: sign in required."), 403)
    if path == "/cart":
        return _html(pages.message("Cart", "Your cart is empty."))
    return _html(pages.message("Not found", f"Nothing at {path}."), 404)


class _Handler(BaseHTTPRequestHandler):
    """Answers one request: faults first, then the route, recording what happened."""

    protocol_version = "HTTP/1.1"
    server_version = "DemoMarket/1.0"
    timeout = 15  # seconds an idle keep-alive connection may hold a thread

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def _serve(self, send_body: bool) -> None:
        market: DemoMarket = self.server.market  # type: ignore[attr-defined]
        arrived = time.monotonic()
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            faults = market.faults.decide(target, query)
        except ValueError as exc:  # a malformed ?fault= request from a test
            faults, response = [], _html(pages.message("Bad fault request", str(exc)), 400)
        else:
            delay = sum(fault.delay for fault in faults if fault.kind == "slow")
            if delay:
                time.sleep(delay)
            response = self._respond(market, parts.path, query, faults)
            if not faults and response.status == 200:
                response = conditional.answer(response, self.headers, market.modified)
        kinds = {fault.kind for fault in faults}
        status = 0 if "drop" in kinds else response.status
        market._record(
            RequestRecord(
                method=self.command,
                path=self.path,
                time=arrived,
                headers=dict(self.headers.items()),
                status=status,
                faults=tuple(sorted(kinds)),
            )
        )
        if "drop" in kinds:
            self.close_connection = True
            return
        body = malform(response.body) if "malformed" in kinds else response.body
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        if response.status != 304:  # a 304 has no body to measure
            self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if "truncate" in kinds:
            self.send_header("Connection", "close")
            self.close_connection = True
            body = body[: len(body) // 2]
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _respond(
        self, market: DemoMarket, path: str, query: dict[str, list[str]], faults: list[Any]
    ) -> Response:
        for fault in faults:
            if fault.kind in ("429", "503"):
                text = pages.message("Slow down", "Too many requests; retry later.")
                retry = {"Retry-After": str(fault.retry_after)}
                return Response(int(fault.kind), text.encode(), HTML, retry)
            if fault.kind == "500":
                return _html(pages.message("Server error", "Something went wrong."), 500)
            if fault.kind in WALLS:
                status, body, headers = WALLS[fault.kind]()
                return Response(status, body, HTML, headers)
            if fault.kind == "404":
                return _html(pages.message("Not found", "No such listing."), 404)
            if fault.kind == "410":
                return _html(pages.message("Gone", "This listing was taken down."), 410)
            if fault.kind == "removed":
                return _html(pages.message("Listing removed", REMOVED_TEXT))
            if fault.kind == "304":
                return Response(304, b"", HTML, {})
        if (match := _IMAGE.match(path)) and (replaced := market.replaced_images.get(match[1])):
            return Response(200, replaced[0], replaced[1], {"Cache-Control": "max-age=86400"})
        try:
            styled = STYLE_ROUTES.get(market.style)
            if styled is not None and (
                answer := styled(market.catalog, market.root_url, path, query)
            ):
                return answer
            return route(market.catalog, market.root_url, path, query)
        except Exception:
            log.exception("demomarket: error serving %s", path)
            return _html(pages.message("Server error", "Unexpected error; see the log."), 500)


REMOVED_TEXT = "Sorry, this listing is no longer available."


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early (timeouts, truncation tests) are normal here, not errors."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("demomarket: client %s hung up", client_address)
            return
        log.exception("demomarket: error handling a request from %s", client_address)


class DemoMarket:
    """The shop on 127.0.0.1 in a background thread; use as a context manager or start()/stop()."""

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        faults: FaultPlan | None = None,
        catalog: Catalog = CATALOG,
        tls: ssl.SSLContext | None = None,
        style: str = "demo",
    ) -> None:
        """``tls``: serve https with this server context (tests make a self-signed one);
        ``style``: ``demo``, or a real shop's structure (``shopify``, ``woocommerce``,
        ``aliexpress``, ``taobao``) over the same catalog."""
        if style != "demo" and style not in STYLE_ROUTES:
            known = ", ".join(["demo", *sorted(STYLE_ROUTES)])
            raise ValueError(f"unknown shop style {style!r}; choose one of {known}")
        self.style = style
        self.host, self.port = host, port
        self.tls = tls
        self.faults = faults or FaultPlan()
        self.catalog = catalog
        self._requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.root_url = ""  # kept after stop() so requests still in flight can finish
        self.modified = float(int(time.time()))  # every page's Last-Modified: the catalog's
        self.replaced_images: dict[str, tuple[bytes, str]] = {}  # name -> (bytes, media type)

    def start(self) -> DemoMarket:
        """Bind (port 0 picks a free one) and serve in a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("DemoMarket is already running; call stop() first")
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.market = self  # type: ignore[attr-defined]
        if self.tls is not None:
            # Handshakes happen in the handler threads, so one stalled client blocks nobody.
            self._httpd.socket = self.tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self._httpd.server_address[1]
        scheme = "https" if self.tls is not None else "http"
        self.root_url = f"{scheme}://{self.host}:{self.port}/"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> DemoMarket:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/`` (``https://`` with ``tls``) once started."""
        if self._httpd is None:
            raise RuntimeError("DemoMarket is not running; call start() or use it in a with block")
        return self.root_url

    def replace_image(self, name: str, data: bytes, media_type: str = "image/jpeg") -> None:
        """Serve other bytes at ``/img/<name>`` from now on, as a seller re-uploading a photo
        under the same URL (its ETag changes with the bytes; its Last-Modified does too)."""
        self.replaced_images[name] = (data, media_type)
        self.modified = max(float(int(time.time())), self.modified + 1)

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path)

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request served so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, prefix: str) -> list[RequestRecord]:
        return [record for record in self.requests if record.path.startswith(prefix)]

    def reset(self) -> None:
        """Forget recorded requests and fault hit counts (between tests sharing one server)."""
        with self._lock:
            self._requests.clear()
        self.faults.reset()

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)
