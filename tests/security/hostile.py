"""A marketplace an attacker controls, on 127.0.0.1: fixed pages, every request recorded."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Self


class HostileSite:
    """Serves ``pages`` (path -> HTML, or ``"REDIRECT url"``) and 404 elsewhere; ``hits`` lists
    every path asked for."""

    def __init__(self, pages: dict[str, str] | None = None, *, delay: float = 0.0) -> None:
        self.pages = dict(pages or {})
        self.delay = delay  # seconds before each answer: a crawl that takes a while
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                time.sleep(site.delay)
                body = site.pages.get(self.path)
                if body is not None and body.startswith("REDIRECT "):
                    self.send_response(302)
                    self.send_header("Location", body.removeprefix("REDIRECT "))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Access-Control-Allow-Origin", "*")
                data = (body or "not here").encode()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_profile(
    path: Path, base_url: str, render: str = "playwright", timeout: float = 10, **listing: str
) -> Path:
    """A profile with one section (``/deals``, rendered by default) and no search."""
    listing_lines = ["listing:", *(f"  {key}: {value}" for key, value in listing.items())]
    lines = [
        "name: hostile",
        f"base_url: {base_url}",
        "sections:",
        "  - url: /deals",
        '    listing_links: ".deal-card a::attr(href)"',
        f"    render: {render}",
        '    wait_for: ".deal-card"',
        *(listing_lines if listing else []),
        "politeness: {obey_robots_txt: false, download_delay: 0, autothrottle: false,",
        f"             retry_times: 0, download_timeout: {timeout}}}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
