"""WARC/1.1 for one captured HTTP exchange (request + response), and a digest-checking reader."""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from evidence.exceptions import WarcError
from evidence.seal.manifest import format_utc

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

WARC_MEDIA_TYPE = "application/warc"
DigestStatus = Literal["passed", "failed", "not_checked"]
_RECORD_NAMESPACE = uuid.UUID("6f0b5a52-8d3c-4d0e-9a43-6b1f2f7e9c11")
# Headers describing a transfer encoding the body no longer has once the client decoded it.
_DECODED_AWAY = ("content-encoding", "transfer-encoding", "content-length")


@dataclass(frozen=True)
class WarcRecordCheck:
    """One parsed record and what its digests said: passed, failed, or not checked (none there)."""

    record_type: str
    record_id: str
    target_uri: str
    status: DigestStatus
    problems: tuple[str, ...]
    http_status: int | None
    payload: bytes


def record_ids_for(snapshot_id: str) -> tuple[str, str]:
    """Request and response record ids derived from the snapshot id, so a re-seal is identical."""
    return (
        f"<urn:uuid:{uuid.uuid5(_RECORD_NAMESPACE, snapshot_id + '/request')}>",
        f"<urn:uuid:{uuid.uuid5(_RECORD_NAMESPACE, snapshot_id + '/response')}>",
    )


def safe_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Split multi-line values (Playwright joins repeats with \\n): no CR/LF in the WARC."""
    out: list[tuple[str, str]] = []
    for name, value in headers:
        clean_name = "".join(ch for ch in str(name) if ch > " " and ch not in ":\x7f")
        if not clean_name:
            raise WarcError(f"header name {name!r} has no printable characters; drop the header")
        lines = [line.strip() for line in str(value).replace("\r", "\n").split("\n")]
        for line in [line for line in lines if line] or [""]:
            out.append((clean_name, line))
    return out


def build_exchange_warc(
    *,
    url: str,
    status: int,
    request_headers: Sequence[tuple[str, str]],
    response_headers: Sequence[tuple[str, str]],
    body: bytes,
    captured_at: datetime,
    record_ids: tuple[str, str],
    server_ip: str | None = None,
    method: str = "GET",
    body_decoded: bool = False,
) -> bytes:
    """Uncompressed WARC/1.1 bytes: a request record then a response record pointing at it.

    ``body_decoded`` says the client already removed gzip/chunking from ``body``; the headers
    naming those encodings are then kept as ``X-Archive-Orig-*`` so a replay does not decode twice.
    """
    if not 100 <= status <= 999:
        raise WarcError(f"HTTP status {status} is not a three-digit code; pass the real status")
    if any(ch <= " " or ch == "\x7f" for ch in url):
        raise WarcError(f"URL {url!r} holds spaces or control characters; percent-encode it")
    if server_ip is not None:
        try:
            server_ip = str(ipaddress.ip_address(server_ip))
        except ValueError:
            raise WarcError(f"server IP {server_ip!r} is not an IP address; pass None") from None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WarcError(f"cannot archive {url!r}: only absolute http(s) URLs are captured")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    req_id, resp_id = record_ids
    warc_date = format_utc(captured_at)

    resp_headers = safe_headers(response_headers)
    if body_decoded:
        resp_headers = mark_decoded(resp_headers, len(body))
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    http_resp = StatusAndHeaders(f"{status} {reason}".strip(), resp_headers, protocol="HTTP/1.1")
    http_req = StatusAndHeaders(
        f"{method} {target} HTTP/1.1", safe_headers(request_headers), is_http_request=True
    )

    # WARCWriter on BytesIO, not BufferWARCWriter: that one leaks an unclosed temp file.
    out = BytesIO()
    writer = Sha256WARCWriter(out, gzip=False, warc_version="1.1")
    common = {"WARC-Date": warc_date}
    if server_ip:
        common["WARC-IP-Address"] = server_ip
    response = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_resp,
        warc_headers_dict={**common, "WARC-Record-ID": resp_id},
    )
    request = writer.create_warc_record(
        url,
        "request",
        payload=BytesIO(b""),
        length=0,
        http_headers=http_req,
        warc_headers_dict={**common, "WARC-Record-ID": req_id, "WARC-Concurrent-To": resp_id},
    )
    writer.write_record(request)
    writer.write_record(response)
    return out.getvalue()


class Sha256WARCWriter(WARCWriter):  # type: ignore[misc]
    """warcio defaults to SHA-1 digests; evidence uses SHA-256 throughout."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def mark_decoded(headers: list[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    out = []
    for name, value in headers:
        if name.lower() in _DECODED_AWAY:
            out.append((f"X-Archive-Orig-{name}", value))
        else:
            out.append((name, value))
    out.append(("Content-Length", str(length)))
    return out


def read_warc(data: bytes) -> list[WarcRecordCheck]:
    """Parse every record, checking block and payload digests; ``WarcError`` when unparsable."""
    checks: list[WarcRecordCheck] = []
    try:
        iterator = ArchiveIterator(BytesIO(data), check_digests=True)
        for record in iterator:
            if record.format != "warc" or not record.rec_headers.get_header("WARC-Record-ID"):
                # warcio falls back to ARC parsing for anything unknown; we only write WARC.
                raise WarcError(
                    f"record {len(checks) + 1} is not a WARC/1.x record; the file is damaged"
                )
            payload = record.content_stream().read()
            # Drain whatever content_stream left so the block digest covers the whole block.
            record.raw_stream.read()
            headers = record.rec_headers
            passed = record.digest_checker.passed
            problems = list(record.digest_checker.problems)
            missing = getattr(record.raw_stream, "limit", 0)
            if missing:
                # warcio leaves a short block unchecked; a short block is a damaged record.
                problems.append(f"record truncated: {missing} bytes of its block are missing")
                passed = False
            status: DigestStatus = (
                "failed" if passed is False else "passed" if passed is True else "not_checked"
            )
            http_status = None
            if record.http_headers is not None and record.rec_type == "response":
                code = record.http_headers.get_statuscode()
                http_status = int(code) if code and code.isdigit() else None
            checks.append(
                WarcRecordCheck(
                    record_type=record.rec_type or "",
                    record_id=headers.get_header("WARC-Record-ID") or "",
                    target_uri=headers.get_header("WARC-Target-URI") or "",
                    status=status,
                    problems=tuple(problems),
                    http_status=http_status,
                    payload=payload,
                )
            )
    except WarcError:
        raise
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
        raise WarcError(f"WARC cannot be parsed: {exc}".strip()) from None
    if not checks:
        raise WarcError("WARC holds no records")
    return checks
