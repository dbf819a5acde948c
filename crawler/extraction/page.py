"""Read and decode listing pages: files, gzip files, stdin; hostile bytes in any encoding."""

from __future__ import annotations

import gzip
import logging
import sys
import zlib
from pathlib import Path

from w3lib.encoding import html_body_declared_encoding, html_to_unicode

from config import limits
from crawler.extraction.errors import PageLoadError

# Only the first 5 MiB of a page are parsed: product data sits near the top, and lxml needs
# roughly ten times the input size in memory. Larger pages are truncated with a warning.
MAX_PAGE_BYTES = limits.PAGE_MAX_BYTES

log = logging.getLogger(__name__)


def load_page(path: str) -> bytes:
    """The bytes of a saved page: ``.html``/``.htm``, ``.html.gz``/``.htm.gz``, or ``-`` (stdin)."""
    if path == "-":
        return _capped(sys.stdin.buffer.read(MAX_PAGE_BYTES + 1), "stdin")
    file = Path(path)
    name = file.name.lower()
    if not name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
        raise PageLoadError(
            f"{path}: not a saved page; pass a .html, .htm, .html.gz or .htm.gz file, or - (stdin)"
        )
    if not file.is_file():
        raise PageLoadError(f"{path}: no such file; check the path (or pass - to read stdin)")
    try:
        if name.endswith(".gz"):
            with gzip.open(file, "rb") as stream:
                return _capped(stream.read(MAX_PAGE_BYTES + 1), path)
        with file.open("rb") as stream:
            return _capped(stream.read(MAX_PAGE_BYTES + 1), path)
    except (OSError, EOFError, zlib.error) as exc:
        raise PageLoadError(f"{path}: cannot read it ({exc}); is it a complete page file?") from exc


def _capped(data: bytes, origin: str) -> bytes:
    if len(data) > MAX_PAGE_BYTES:
        log.warning("%s is larger than %d bytes; only the start is parsed", origin, MAX_PAGE_BYTES)
        return data[:MAX_PAGE_BYTES]
    return data


def _utf8_or_cp1252(body: bytes) -> str:
    """Undeclared pages: UTF-8 when they decode as such (a cut-off last character is fine)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            "utf-8"
            if exc.start >= len(body) - 3 and exc.reason.startswith("unexpected end")
            else "cp1252"
        )
    return "utf-8"


def decode_page(html: str | bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """Unicode text of a page and its charset: the given encoding (HTTP header), else BOM, else
    the page's own declaration, else UTF-8 if it decodes, else cp1252; undecodable bytes are
    replaced. Input beyond MAX_PAGE_BYTES is cut off."""
    if isinstance(html, str):
        text = html[:MAX_PAGE_BYTES].replace("\x00", "")
        return text, html_body_declared_encoding(text[:4096])
    body = _capped(html, "page")
    content_type = f"text/html; charset={encoding}" if encoding else None
    charset, text = html_to_unicode(content_type, body, auto_detect_fun=_utf8_or_cp1252)
    return text.replace("\x00", ""), charset
