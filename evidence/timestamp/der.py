"""The DER chores rfc3161-client leaves to us: encode a request, split a reply, order certificates.

Certificates in a token are put in DER order before parsing, because OpenSSL-based TSAs emit that
SET in chain order and the strict parser refuses it. Only that SET is reordered and only for
parsing; the signature does not cover it and the stored token keeps the TSA's exact bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from evidence.timestamp.errors import MalformedTimestampError


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + content


def _der_int(value: int) -> bytes:
    """A non-negative INTEGER, minimal two's complement (a leading 0 when the top bit is set)."""
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _element(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``pos``, bounds-checked."""
    if pos + 2 > end:
        raise MalformedTimestampError("truncated DER: an element header is cut off")
    tag, first, start = data[pos], data[pos + 1], pos + 2
    if first >= 0x80:
        count = first & 0x7F
        if not 0 < count <= 4 or start + count > end:
            raise MalformedTimestampError("bad DER length (indefinite, oversized or cut off)")
        size, start = int.from_bytes(data[start : start + count], "big"), start + count
    else:
        size = first
    if start + size > end:
        raise MalformedTimestampError("truncated DER: an element ends past the data")
    return tag, start, start + size


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, content start, content end) of each element in a constructed one."""
    found, pos = [], start
    while pos < end:
        tag, content_start, content_end = _element(data, pos, end)
        found.append((tag, pos, content_start, content_end))
        pos = content_end
    return found


def _split_reply(reply: bytes) -> tuple[bytes, bytes]:
    """(PKIStatusInfo DER, TimeStampToken DER or b"") of a TimeStampResp."""
    tag, start, end = _element(reply, 0, len(reply))
    if tag != 0x30 or end != len(reply):
        raise MalformedTimestampError("the reply is not one DER SEQUENCE (garbage or truncated)")
    parts = _children(reply, start, end)
    if not parts or parts[0][0] != 0x30 or len(parts) > 2:
        raise MalformedTimestampError("the reply is not a TimeStampResp")
    status = reply[parts[0][1] : parts[0][3]]
    return status, reply[parts[1][1] : parts[1][3]] if len(parts) == 2 else b""


def _as_reply(status: bytes, token: bytes) -> bytes:
    """A TimeStampResp around ``token`` with its certificate SET put in DER order."""
    return _der(0x30, status + (_sort_certificates(token) if token else b""))


def _sort_certificates(token: bytes) -> bytes:
    tag, start, end = _element(token, 0, len(token))
    if tag != 0x30 or end != len(token):
        raise MalformedTimestampError("the token is not one DER SEQUENCE (garbage or truncated)")
    content_info = _children(token, start, end)
    if len(content_info) != 2 or content_info[1][0] != 0xA0:
        raise MalformedTimestampError("the token is not a CMS ContentInfo")
    signed = _children(token, content_info[1][2], content_info[1][3])
    if len(signed) != 1 or signed[0][0] != 0x30:
        raise MalformedTimestampError("the token holds no SignedData")
    out = bytearray(token)
    for tag, _, set_start, set_end in _children(token, signed[0][2], signed[0][3]):
        if tag == 0xA0:  # certificates [0] IMPLICIT SET OF: DER sorts by encoding
            certs = [token[s:e] for _, s, _, e in _children(token, set_start, set_end)]
            ordered = sorted(certs, key=_set_order(certs))
            out[set_start:set_end] = b"".join(ordered)
    return bytes(out)


def _set_order(items: list[bytes]) -> Callable[[bytes], bytes]:
    """X.690 SET OF order: compare encodings as if the shorter were padded with zero octets."""
    width = max((len(item) for item in items), default=0)

    def key(item: bytes) -> bytes:
        return item.ljust(width, b"\0")

    return key
