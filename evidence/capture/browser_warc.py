"""Every exchange a browser capture made, as WARC/1.1 request + response records."""

from __future__ import annotations

import contextlib
import ipaddress
import uuid
from http import HTTPStatus
from io import BytesIO
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders

from evidence.capture.warc import Sha256WARCWriter, mark_decoded, safe_headers
from evidence.seal.manifest import format_utc

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from evidence.capture.browser_record import Exchange

BROWSER_WARC_NAME = "browser.warc"
_NAMESPACE = uuid.UUID("0d6c4f0e-5b8a-4a55-9f1e-3c2b7a9d8e21")


def _record_id(snapshot_id: str, n: int, kind: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, f'{snapshot_id}/browser/{n}/{kind}')}>"


def _archivable(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(ch <= " " or ch == "\x7f" for ch in url)
    )


def build_browser_warc(
    exchanges: Sequence[Exchange], *, snapshot_id: str, captured_at: datetime
) -> bytes:
    """Uncompressed WARC bytes, record ids derived from the snapshot id (reproducible seals).

    Browsers hand over decoded bodies, so encoding headers are kept as ``X-Archive-Orig-*``;
    a body cut at the cap is marked ``WARC-Truncated: length``.
    """
    out = BytesIO()
    writer = Sha256WARCWriter(out, gzip=False, warc_version="1.1")
    date = format_utc(captured_at)
    for n, exchange in enumerate(exchanges, start=1):
        if not _archivable(exchange.url) or not 100 <= exchange.status <= 999:
            continue
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_id, resp_id = _record_id(snapshot_id, n, "request"), _record_id(snapshot_id, n, "resp")
        common = {"WARC-Date": date}
        if exchange.server_ip:
            with contextlib.suppress(ValueError):  # not an IP: leave the header out
                common["WARC-IP-Address"] = str(ipaddress.ip_address(exchange.server_ip))
        try:
            reason = HTTPStatus(exchange.status).phrase
        except ValueError:
            reason = ""
        headers = mark_decoded(safe_headers(exchange.response_headers), len(exchange.body))
        http_resp = StatusAndHeaders(f"{exchange.status} {reason}".strip(), headers, "HTTP/1.1")
        method = "".join(ch for ch in exchange.method.upper() if ch.isalpha())[:16] or "GET"
        http_req = StatusAndHeaders(
            f"{method} {target} HTTP/1.1",
            safe_headers(exchange.request_headers),
            is_http_request=True,
        )
        response_headers = {**common, "WARC-Record-ID": resp_id}
        if exchange.truncated:
            response_headers["WARC-Truncated"] = "length"
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=http_resp,
            warc_headers_dict=response_headers,
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            http_headers=http_req,
            warc_headers_dict={**common, "WARC-Record-ID": req_id, "WARC-Concurrent-To": resp_id},
        )
        writer.write_record(request)
        writer.write_record(response)
    return out.getvalue()
