"""CDXJ index lines for a WARC, as pywb and ReplayWeb.page read them from a WACZ.

Each line is ``<SURT key> <14-digit timestamp> <JSON>``, the JSON holding url, mime, status,
digest, length, offset and filename (the cdxj-indexer fields), so a replay tool seeks straight
to a record inside the stored WARC.
"""

from __future__ import annotations

import ipaddress
import json
import re
from io import BytesIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from evidence.exceptions import WarcError

INDEXED_TYPES = ("response", "resource", "revisit")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WWW = re.compile(r"^www\d*\.")


def surt_key(url: str) -> str:
    """Sort-friendly URL key: host labels reversed, lowercased, www. and default port dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    host = _WWW.sub("", host)
    try:
        ipaddress.ip_address(host)
        labels = host.split(".") if ":" not in host else [host]
    except ValueError:
        labels = host.split(".")
    key = ",".join(reversed(labels))
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        key += f":{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    key += ")" + path.lower()
    if parts.query:
        key += "?" + "&".join(sorted(parts.query.lower().split("&")))
    return key


def cdx_timestamp(warc_date: str) -> str:
    """``2024-05-01T12:30:15.25Z`` -> ``20240501123015``."""
    digits = re.sub(r"\D", "", warc_date)[:14]
    if len(digits) != 14:
        raise WarcError(f"WARC-Date {warc_date!r} is not an ISO-8601 time")
    return digits


def cdxj_lines(warc: bytes, filename: str) -> list[str]:
    """One line per response/resource/revisit record, in file order (the caller sorts)."""
    lines: list[str] = []
    try:
        iterator = ArchiveIterator(BytesIO(warc))
        for record in iterator:
            if record.rec_type not in INDEXED_TYPES:
                continue
            headers = record.rec_headers
            url = headers.get_header("WARC-Target-URI") or ""
            entry: dict[str, str] = {"url": url}
            http = record.http_headers
            if http is not None and record.rec_type != "resource":
                mime = (http.get_header("Content-Type") or "").split(";", 1)[0].strip()
                status = http.get_statuscode() or ""
            else:
                mime = (headers.get_header("Content-Type") or "").split(";", 1)[0].strip()
                status = "200"
            if record.rec_type == "revisit":
                mime = "warc/revisit"
            entry["mime"] = mime or "unk"
            entry["status"] = status
            digest = headers.get_header("WARC-Payload-Digest")
            if digest:
                entry["digest"] = digest
            date = headers.get_header("WARC-Date") or ""
            entry["length"] = str(iterator.get_record_length())  # reads to the record's end
            entry["offset"] = str(iterator.get_record_offset())
            entry["filename"] = filename
            lines.append(f"{surt_key(url)} {cdx_timestamp(date)} {json.dumps(entry)}")
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
        raise WarcError(f"{filename} cannot be indexed: {exc}") from None
    return lines
