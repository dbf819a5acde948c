"""JSONL listings in, detector Listings out: validation, bounds, and safe image loading."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from ipwatch.services.batch_listings import (
    BadLine,
    ImageLimits,
    ImageLoader,
    ImageProblem,
    iter_raw_lines,
    parse_line,
    read_batch,
    to_listing,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


def png_bytes(seed: int = 1, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (seed * 40 % 256, 90, 160))
    for i in range(min(size)):
        image.putpixel((i, i), (0, 0, 0))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


class ImageServer:
    """A real HTTP server on 127.0.0.1 serving fixed routes and remembering every request."""

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]]) -> None:
        self.routes = routes
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                if self.path == "/slow":
                    self.send_response(200)
                    self.end_headers()
                    with contextlib.suppress(ConnectionError):  # the client gives up first
                        for _ in range(40):  # a slow drip: one byte every 0.1 s
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.1)
                    return
                status, headers, body = server.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", server.base_url))
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ImageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    routes = {
        "/photo.png": (200, {"Content-Type": "image/png"}, png_bytes(3)),
        "/page.html": (200, {"Content-Type": "image/png"}, b"<html>not an image</html>"),
        "/big.png": (200, {}, b"\x89PNG\r\n\x1a\n" + b"0" * 5000),
        "/liar.png": (200, {"Content-Length": "10"}, b""),
        "/to-loopback": (302, {"Location": "{base}/photo.png"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
    }
    with ImageServer(routes) as running:
        yield running


def loopback(**overrides: object) -> ImageLimits:
    return ImageLimits(**{"allowed_private_hosts": frozenset({"127.0.0.1"}), **overrides})  # type: ignore[arg-type]


# --- parsing -------------------------------------------------------------------------------


def test_minimal_line_needs_only_id_and_title() -> None:
    listing = to_listing(parse_line(b'{"id": "L1", "title": "  NOVAFLEX\\u0007 runner "}'))
    assert (listing.id, listing.title, listing.marketplace, listing.url) == (
        "L1",
        "NOVAFLEX runner",
        "",
        "",
    )
    assert listing.seller is None and listing.price is None and listing.images == ()


def test_full_line_becomes_a_listing() -> None:
    line = {
        "id": 12345,
        "url": "https://shop.example/item/1",
        "marketplace": "shop",
        "title": "Runner",
        "description": "Fast\n\nshoes",
        "price": "19.90",
        "currency": "usd",
        "seller": {"id": 77, "name": "Shady Deals"},
        "images": ["a.jpg"],
        "category": "Shoes",
        "unknown_field": {"ignored": True},
    }
    listing = to_listing(parse_line(json.dumps(line).encode()))
    assert listing.id == "12345"
    assert listing.price == Decimal("19.90") and listing.currency == "USD"
    assert listing.seller is not None and (listing.seller.id, listing.seller.name) == (
        "77",
        "Shady Deals",
    )
    assert listing.description == "Fast shoes"
    assert listing.category == "Shoes"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "invalid JSON"),
        (b"[1, 2]", "expected a JSON object, got list"),
        (b'{"title": "x"}', "id: Field required"),
        (b'{"id": "a"}', "title: Field required"),
        (b'{"id": true, "title": "x"}', "id: Input should be a valid string"),
        (b'{"id": "a", "title": 5}', "title: Input should be a valid string"),
        (b'{"id": "a", "title": "x", "images": "a.jpg"}', "images: Input should be a valid list"),
        (b'{"id": "a", "title": "x", "seller": "bob"}', "seller:"),
        (b'{"id": "a", "title": "x", "price": -1}', "price: Input should be greater than"),
        (b'{"id": "a", "title": "x", "price": "1e999999"}', "price:"),
        (b'{"id": "", "title": "x"}', "id: Value should have at least 1"),
        (b'{"id": "a", "title": "\\u0000\\u0001 "}', "title: empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_bad_lines_say_what_is_wrong(raw: bytes, reason: str) -> None:
    with pytest.raises(BadLine, match=None) as caught:
        to_listing(parse_line(raw))
    assert reason in str(caught.value)


def test_error_messages_never_echo_the_offending_value() -> None:
    with pytest.raises(BadLine) as caught:
        parse_line(b'{"id": "a", "title": ["[bold red]<script>secret</script>"]}')
    assert "secret" not in str(caught.value)


def test_bounded_sizes() -> None:
    with pytest.raises(BadLine, match="images"):
        parse_line(json.dumps({"id": "a", "title": "x", "images": ["i"] * 65}).encode())
    with pytest.raises(BadLine, match="description"):
        parse_line(json.dumps({"id": "a", "title": "x", "description": "d" * 200_001}).encode())
    listing = to_listing(parse_line(json.dumps({"id": "a", "title": "t" * 20_000}).encode()))
    assert len(listing.title) == 1_000  # capped like a crawled title


def test_over_long_line_is_skipped_without_losing_the_next() -> None:
    stream = io.BytesIO(b'{"id": "1"}\n' + b"x" * 5000 + b"\n" + b'{"id": "3"}')
    lines = list(iter_raw_lines(stream, max_bytes=100))
    assert [(line.number, line.data) for line in lines] == [
        (1, b'{"id": "1"}\n'),
        (2, None),
        (3, b'{"id": "3"}'),
    ]
    assert sum(line.size for line in lines) == len(stream.getvalue())


# --- images --------------------------------------------------------------------------------


def test_local_paths_resolve_against_the_base_folder(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    data = png_bytes(2)
    (tmp_path / "img" / "a.png").write_bytes(data)
    loaded = ImageLoader(tmp_path).load("img/a.png")
    assert loaded.sha256 == hashlib.sha256(data).hexdigest()
    assert loaded.image is not None and loaded.image.size == (64, 48)
    assert ImageLoader(Path("/")).load(str(tmp_path / "img" / "a.png")).sha256 == loaded.sha256


def test_unusable_local_files_are_refused(tmp_path: Path) -> None:
    loader = ImageLoader(tmp_path, ImageLimits(max_bytes=1000))
    (tmp_path / "big.png").write_bytes(png_bytes(size=(400, 400)) + b"\0" * 2000)
    (tmp_path / "text.png").write_text("hello")
    os.mkfifo(tmp_path / "fifo.png")  # reading it would block forever
    cases = {
        "missing.png": "not a regular file (relative paths resolve against",
        "fifo.png": "not a regular file",
        "big.png": "over the 1000-byte image limit",
        "text.png": "not a supported image",
        "file:///etc/passwd": "unsupported scheme 'file'",
    }
    for ref, reason in cases.items():
        with pytest.raises(ImageProblem) as caught:
            loader.load(ref)
        assert reason in str(caught.value), ref


def test_url_from_an_allowed_loopback_server(server: ImageServer, tmp_path: Path) -> None:
    loaded = ImageLoader(tmp_path, loopback()).load(f"{server.base_url}/photo.png")
    assert loaded.sha256 == hashlib.sha256(png_bytes(3)).hexdigest()
    assert loaded.url == f"{server.base_url}/photo.png"


def test_private_address_refused_before_any_request(server: ImageServer, tmp_path: Path) -> None:
    before = len(server.requests)
    with pytest.raises(
        ImageProblem, match=r"refusing 127\.0\.0\.1: 127\.0\.0\.1 resolves to non-public"
    ):
        ImageLoader(tmp_path).load(f"{server.base_url}/photo.png")
    with pytest.raises(ImageProblem, match="refusing localhost"):
        ImageLoader(tmp_path).load(f"http://localhost:{server.port}/photo.png")
    assert len(server.requests) == before


def test_redirect_to_a_private_host_is_checked_again(server: ImageServer, tmp_path: Path) -> None:
    """Allowing ``localhost`` does not allow a redirect to 127.0.0.1 under its own name."""
    limits = ImageLimits(allowed_private_hosts=frozenset({"localhost"}))
    with pytest.raises(ImageProblem, match=r"refusing 127\.0\.0\.1"):
        ImageLoader(tmp_path, limits).load(f"http://localhost:{server.port}/to-loopback")
    assert ImageLoader(tmp_path, loopback()).load(f"{server.base_url}/to-loopback").sha256


@pytest.mark.parametrize(
    ("path", "limits", "reason"),
    [
        ("/missing.png", {}, "HTTP 404"),
        ("/page.html", {}, "not a supported image"),  # sniffed: the Content-Type lies
        ("/big.png", {"max_bytes": 1000}, "declared, over the 1000-byte limit"),
        ("/loop", {}, "more than 3 redirects"),
        ("/slow", {"timeout": 0.5}, "timed out"),
    ],
)
def test_bad_urls_are_refused(
    server: ImageServer, tmp_path: Path, path: str, limits: dict[str, float], reason: str
) -> None:
    with pytest.raises(ImageProblem) as caught:
        ImageLoader(tmp_path, loopback(**limits)).load(f"{server.base_url}{path}")
    assert reason in str(caught.value)


def test_body_over_the_cap_is_refused_even_without_a_length(
    server: ImageServer, tmp_path: Path
) -> None:
    server.routes["/chunked.png"] = (200, {"Content-Length": ""}, b"\x89PNG" + b"0" * 5000)
    with pytest.raises(ImageProblem, match="body over the 1000-byte limit"):
        ImageLoader(tmp_path, loopback(max_bytes=1000)).load(f"{server.base_url}/chunked.png")


# --- the batch -----------------------------------------------------------------------------


def test_read_batch_numbers_lines_and_keeps_going(tmp_path: Path) -> None:
    (tmp_path / "ok.png").write_bytes(png_bytes(5))
    text = "\n".join(
        [
            json.dumps({"id": "a", "title": "First", "images": ["ok.png", "gone.png"]}),
            "",
            "{broken",
            json.dumps({"id": "b", "title": "Second"}),
        ]
    )
    entries = list(read_batch(io.BytesIO(text.encode()), ImageLoader(tmp_path)))
    assert [entry.number for entry in entries] == [1, 3, 4]
    first, broken, second = entries
    assert first.listing is not None and len(first.listing.images) == 1
    assert len(first.problems) == 1 and "'gone.png'" in first.problems[0]
    assert broken.listing is None and "invalid JSON" in broken.problems[0]
    assert second.listing is not None and second.listing.id == "b" and not second.problems


def test_only_the_first_images_per_listing_are_loaded(tmp_path: Path) -> None:
    for i in range(4):
        (tmp_path / f"{i}.png").write_bytes(png_bytes(i))
    line = json.dumps({"id": "a", "title": "t", "images": [f"{i}.png" for i in range(4)]})
    (entry,) = read_batch(io.BytesIO(line.encode()), ImageLoader(tmp_path, ImageLimits(2)))
    assert entry.listing is not None
    assert [image.url for image in entry.listing.images] == ["0.png", "1.png"]
