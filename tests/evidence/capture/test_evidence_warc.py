from __future__ import annotations

from datetime import UTC, datetime

import pytest

from evidence.capture.warc import build_exchange_warc, read_warc, record_ids_for
from evidence.exceptions import WarcError

WHEN = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
BODY = "<html><p>héllo réplica</p></html>".encode()


def make(**overrides):
    args = dict(
        url="https://shop.example/item/1?x=2",
        status=200,
        request_headers=[("User-Agent", "ipwatch"), ("Accept", "*/*")],
        response_headers=[("Content-Type", "text/html; charset=utf-8"), ("X-Test", "1")],
        body=BODY,
        captured_at=WHEN,
        record_ids=record_ids_for("S-00000000000000000001"),
        server_ip="203.0.113.7",
    )
    args.update(overrides)
    return build_exchange_warc(**args)


def test_roundtrip_request_and_response_with_digests():
    data = make()
    assert data.startswith(b"WARC/1.1\r\n")
    records = read_warc(data)
    assert [r.record_type for r in records] == ["request", "response"]
    request, response = records
    assert all(r.status == "passed" and r.problems == () for r in records)
    assert all(r.target_uri == "https://shop.example/item/1?x=2" for r in records)
    assert response.payload == BODY
    assert response.http_status == 200
    req_id, resp_id = record_ids_for("S-00000000000000000001")
    assert (request.record_id, response.record_id) == (req_id, resp_id)
    text = data.decode("utf-8")
    assert f"WARC-Concurrent-To: {resp_id}" in text
    assert "WARC-Date: 2024-05-01T12:00:00Z" in text
    assert text.count("WARC-IP-Address: 203.0.113.7") == 2
    assert "WARC-Payload-Digest: sha256:" in text and "WARC-Block-Digest: sha256:" in text
    assert "GET /item/1?x=2 HTTP/1.1\r\n" in text
    assert "HTTP/1.1 200 OK\r\n" in text


def test_same_inputs_give_identical_bytes_and_ip_is_optional():
    assert make() == make()
    assert b"WARC-IP-Address" not in make(server_ip=None)


def test_flipped_body_byte_fails_payload_and_block_digest():
    data = bytearray(make())
    data[data.index(b"r\xc3\xa9plica")] ^= 0x01
    request, response = read_warc(bytes(data))
    assert request.status == "passed"
    assert response.status == "failed"
    assert any("payload digest failed" in p for p in response.problems)
    assert any("block digest failed" in p for p in response.problems)


def test_flipped_http_header_byte_fails_block_digest_only():
    data = bytearray(make())
    data[data.index(b"X-Test: 1") + 8] ^= 0x01
    _, response = read_warc(bytes(data))
    assert response.status == "failed"
    assert [p.split(":")[0] for p in response.problems] == ["block digest failed"]


def test_truncated_record_is_failed_not_unchecked():
    data = make()
    _, response = read_warc(data[:-20])
    assert response.status == "failed"
    assert "truncated" in response.problems[-1]


def test_record_without_digests_is_not_checked():
    data = make().decode("utf-8")
    stripped = "".join(
        line for line in data.splitlines(keepends=True) if "-Digest:" not in line
    ).encode()
    records = read_warc(stripped)
    assert [r.status for r in records] == ["not_checked", "not_checked"]


def test_garbage_is_a_warc_error():
    with pytest.raises(WarcError, match="not a WARC"):
        read_warc(b"this is not a warc file at all\r\n\r\n")
    with pytest.raises(WarcError, match="no records"):
        read_warc(b"")


def test_hostile_headers_cannot_inject_lines():
    data = make(
        response_headers=[("Set-Cookie", "a=1\nb=2"), ("X-Evil", "v\r\nWARC-Type: resource")]
    )
    text = data.decode()
    assert "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n" in text
    assert "\r\nWARC-Type: resource" not in text
    assert "X-Evil: WARC-Type: resource" in text
    assert all(r.status == "passed" for r in read_warc(data))


def test_decoded_body_keeps_original_encoding_headers_aside():
    data = make(
        response_headers=[("Content-Encoding", "gzip"), ("Content-Length", "9")],
        body_decoded=True,
    )
    text = data.decode()
    assert "X-Archive-Orig-Content-Encoding: gzip" in text
    assert f"\r\nContent-Length: {len(BODY)}\r\n" in text
    assert read_warc(data)[1].payload == BODY


@pytest.mark.parametrize("url", ["ftp://x/y", "/relative", "javascript:alert(1)"])
def test_only_http_urls_are_archived(url):
    with pytest.raises(WarcError, match="only absolute http"):
        make(url=url)


def test_url_and_ip_cannot_inject_warc_headers():
    with pytest.raises(WarcError, match="control characters"):
        make(url="https://shop.example/x\r\nWARC-Type: resource")
    with pytest.raises(WarcError, match="not an IP address"):
        make(server_ip="1.2.3.4\r\nX: y")
