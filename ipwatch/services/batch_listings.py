"""Listings exported from anywhere, one JSON object per line, turned into detector Listings.

Every line is hostile input: it is read with a byte cap, validated with pydantic, its text
cleaned and capped like a crawled page's, and its images loaded with the same limits and the
same private-address rule as the crawler's (``netguard.policy``). A bad line never
stops the batch: it comes back as a ``BatchEntry`` without a listing and with the reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from config import limits
from detector.exceptions import UnsafeImageError
from detector.imagesafe import decode_image
from ipwatch import __version__
from model import Listing, ListingImage, Seller
from model.listings import MAX_DESCRIPTION, MAX_TITLE, clean_text
from netguard.policy import AddressPolicy

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

MAX_LINE_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
_READ_CHUNK = 64 * 1024


def _id_text(value: Any) -> Any:
    """Exports often carry numeric ids; accept integers (never booleans) as their decimal text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


IdText = Annotated[str, BeforeValidator(_id_text), Field(min_length=1, max_length=512)]


class SellerEntry(BaseModel):
    """``seller`` of an input line; every part optional."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: IdText | None = None
    name: str | None = Field(default=None, max_length=2_000)
    url: str | None = Field(default=None, max_length=4_096)


class ListingEntry(BaseModel):
    """One input line; only ``id`` and ``title`` are required, unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: IdText
    title: str = Field(max_length=20_000)
    url: str | None = Field(default=None, max_length=4_096)
    marketplace: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=200_000)
    brand: str | None = Field(default=None, max_length=2_000)
    category: str | None = Field(default=None, max_length=2_000)
    price: Annotated[
        Decimal | None, Field(ge=0, allow_inf_nan=False, strict=False, max_digits=30)
    ] = None
    currency: str | None = Field(default=None, max_length=8)
    seller: SellerEntry | None = None
    images: list[Annotated[str, Field(min_length=1, max_length=4_096)]] = Field(
        default_factory=list, max_length=64
    )


class BadLine(ValueError):
    """A line that cannot become a listing; the message says what is wrong with it."""


class ImageProblem(ValueError):
    """One image of a listing could not be used; the listing is scored without it."""


@dataclass(frozen=True)
class ImageLimits:
    """The caps every listing image is held to (the crawl's defaults, from ``ipwatch.yaml``)."""

    per_listing: int = limits.IMAGES_PER_LISTING
    max_bytes: int = limits.IMAGE_MAX_BYTES
    max_pixels: int = limits.IMAGE_MAX_PIXELS
    timeout: float = 20.0  # seconds for one URL, redirects and body included
    allowed_private_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BatchEntry:
    """One non-blank input line: its number, the listing (None when the line was bad), problems."""

    number: int
    listing: Listing | None
    problems: tuple[str, ...] = ()
    size: int = 0  # bytes of input consumed, for progress


@dataclass(frozen=True)
class RawLine:
    number: int
    data: bytes | None  # None: longer than the cap, skipped unread
    size: int


def iter_raw_lines(stream: BinaryIO, max_bytes: int = MAX_LINE_BYTES) -> Iterator[RawLine]:
    """Lines of ``stream`` one at a time; an over-long line is skipped in chunks, never held."""
    number = 0
    while True:
        chunk = stream.readline(max_bytes + 1)
        if not chunk:
            return
        number += 1
        size = len(chunk)
        if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = stream.readline(_READ_CHUNK)
                size += len(chunk)
            yield RawLine(number, None, size)
            continue
        yield RawLine(number, chunk, size)


def _describe(exc: ValidationError) -> str:
    """Field and reason per error, never the offending value (it is attacker-chosen text)."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:5]:
        where = ".".join(str(part) for part in error["loc"]) or "line"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def parse_line(data: bytes) -> ListingEntry:
    """Decode, parse and validate one line, or raise ``BadLine`` saying what to fix."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadLine(f"not UTF-8 (byte {exc.start}); export the file as UTF-8") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadLine(f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise BadLine("JSON nested too deeply") from None
    if not isinstance(value, dict):
        raise BadLine(f"expected a JSON object, got {type(value).__name__}")
    try:
        return ListingEntry.model_validate(value)
    except ValidationError as exc:
        raise BadLine(_describe(exc)) from None


def to_listing(entry: ListingEntry, images: tuple[ListingImage, ...] = ()) -> Listing:
    """The detector's Listing, text cleaned and capped exactly as a crawled page's is."""
    title = clean_text(entry.title, MAX_TITLE)
    if not title:
        raise BadLine("title: empty once control characters and spaces are removed")
    seller = entry.seller
    return Listing(
        id=entry.id,
        marketplace=entry.marketplace or "",
        url=entry.url or "",
        title=title,
        description=clean_text(entry.description, MAX_DESCRIPTION),
        brand=clean_text(entry.brand, MAX_TITLE) or None,
        price=entry.price,
        currency=entry.currency.upper() if entry.currency else None,
        seller=Seller(id=seller.id, name=clean_text(seller.name, MAX_TITLE) or None, url=seller.url)
        if seller is not None
        else None,
        images=images,
        category=clean_text(entry.category, MAX_TITLE) or None,
    )


class ImageLoader:
    """Local files (relative to ``base_dir``) and http(s) URLs, fetched and decoded safely.

    A line names any path it likes, so local files are read only from under ``base_dir`` (the
    listings file's folder) or one of ``allowed_dirs`` (``--allow-local-path``), symlinks
    resolved first; nothing read is ever echoed back.
    """

    def __init__(
        self,
        base_dir: Path,
        limits: ImageLimits = ImageLimits(),
        allowed_dirs: tuple[Path, ...] = (),
    ) -> None:
        self.base_dir = base_dir
        self.limits = limits
        self.roots = tuple(root.resolve() for root in (base_dir, *allowed_dirs))

    def load_all(self, refs: list[str]) -> tuple[tuple[ListingImage, ...], list[str]]:
        """The first ``per_listing`` images that load, and one problem line per one that did not."""
        images: list[ListingImage] = []
        problems: list[str] = []
        for ref in refs[: self.limits.per_listing]:
            try:
                images.append(self.load(ref))
            except ImageProblem as exc:
                problems.append(f"image {ref!r}: {exc}")
        return tuple(images), problems

    def load(self, ref: str) -> ListingImage:
        scheme = urlsplit(ref).scheme.lower()
        if scheme in ("http", "https"):
            data = fetch_url(ref, self.limits)
        elif len(scheme) > 1:
            raise ImageProblem(f"unsupported scheme {scheme!r}; give an http(s) URL or a path")
        else:
            data = self._read_file(ref)
        try:
            pixels = decode_image(
                data, max_bytes=self.limits.max_bytes, max_pixels=self.limits.max_pixels
            )
        except UnsafeImageError as exc:
            raise ImageProblem(f"unsafe image: {exc}") from None
        return ListingImage(url=ref, sha256=hashlib.sha256(data).hexdigest(), image=pixels)

    def _read_file(self, ref: str) -> bytes:
        path = Path(ref)
        if not path.is_absolute():
            path = self.base_dir / path
        try:
            path = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            raise ImageProblem("the path cannot be resolved") from None
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ImageProblem(
                f"local images are read only from {self.base_dir} (the listings file's folder); "
                "pass --allow-local-path DIR to allow another folder"
            )
        try:
            if not path.is_file():  # a FIFO or device would block or never end
                raise ImageProblem(
                    f"{path} is not a regular file (relative paths resolve against {self.base_dir})"
                )
            with path.open("rb") as fh:
                data = fh.read(self.limits.max_bytes + 1)
        except OSError as exc:
            raise ImageProblem(f"cannot read {path}: {exc.strerror}") from None
        if len(data) > self.limits.max_bytes:
            raise ImageProblem(f"{path} is over the {self.limits.max_bytes}-byte image limit")
        return data


def fetch_url(url: str, limits: ImageLimits) -> bytes:
    """GET ``url`` within ``limits``: public addresses only, pinned, capped, redirects checked."""
    deadline = time.monotonic() + limits.timeout
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get_once(url, limits, deadline)
        if location is None:
            if status != 200:
                raise ImageProblem(f"HTTP {status} from {url}")
            return body
        url = urljoin(url, location)
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise ImageProblem("redirected to a non-http(s) URL; refused")
    raise ImageProblem(f"more than {MAX_REDIRECTS} redirects; refused")


def _checked_address(url: str, allowed: frozenset[str]) -> str:
    """The address to connect to, checked by the crawl's own rule (``AddressPolicy``: ports,
    every spelling, link-local only when named exactly), so DNS cannot swap in another later."""
    addresses, reason = AddressPolicy.from_hosts(allowed).check(url)
    host = urlsplit(url).hostname or ""
    if reason is not None:
        raise ImageProblem(f"refusing {host}: {reason}")
    if not addresses:
        raise ImageProblem(f"cannot resolve host {host!r}")
    return addresses[0]


def _get_once(url: str, limits: ImageLimits, deadline: float) -> tuple[int, str | None, bytes]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise ImageProblem("URL has no host")
    try:
        port = parts.port
    except ValueError:
        raise ImageProblem("URL has an invalid port") from None
    address = _checked_address(url, limits.allowed_private_hosts)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ImageProblem(f"timed out after {limits.timeout:g} s")
    conn: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=remaining, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=remaining)
    # Connect to the address that was checked (TLS still verifies the certificate for ``host``).
    conn._create_connection = lambda where, timeout, source: socket.create_connection(  # type: ignore[attr-defined]
        (address, where[1]), timeout, source
    )
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    response: http.client.HTTPResponse | None = None
    try:
        conn.request(
            "GET", path, headers={"User-Agent": f"ipwatch/{__version__}", "Accept": "image/*"}
        )
        response = conn.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            if not location:
                raise ImageProblem(f"HTTP {response.status} without a Location header")
            return response.status, location, b""
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limits.max_bytes:
            raise ImageProblem(f"{declared} bytes declared, over the {limits.max_bytes}-byte limit")
        return response.status, None, _read_capped(response, conn.sock, limits, deadline)
    except (OSError, http.client.HTTPException) as exc:
        raise ImageProblem(f"download failed: {type(exc).__name__}: {exc}") from None
    finally:
        if response is not None:
            response.close()  # the socket stays open while its reader does
        conn.close()


def _read_capped(
    response: http.client.HTTPResponse,
    sock: socket.socket | None,
    limits: ImageLimits,
    deadline: float,
) -> bytes:
    """The body, refused past the byte cap or the deadline (a slow drip cannot hold us)."""
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ImageProblem(f"timed out after {limits.timeout:g} s")
        if sock is not None:
            sock.settimeout(remaining)
        chunk = response.read1(_READ_CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limits.max_bytes:
            raise ImageProblem(f"body over the {limits.max_bytes}-byte limit; refused")


def read_batch(stream: BinaryIO, loader: ImageLoader) -> Iterator[BatchEntry]:
    """One ``BatchEntry`` per non-blank line, in order; memory does not grow with the file."""
    for raw in iter_raw_lines(stream):
        if raw.data is None:
            yield BatchEntry(
                raw.number, None, (f"longer than {MAX_LINE_BYTES} bytes; skipped",), raw.size
            )
            continue
        if not raw.data.strip():
            continue
        try:
            entry = parse_line(raw.data)
            listing = to_listing(entry)  # an empty title is refused before any image is fetched
        except BadLine as exc:
            yield BatchEntry(raw.number, None, (str(exc),), raw.size)
            continue
        images, problems = loader.load_all(entry.images)
        listing = dataclasses.replace(listing, images=images)
        yield BatchEntry(raw.number, listing, tuple(problems), raw.size)
