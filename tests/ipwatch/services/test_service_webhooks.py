"""Actioner hooks against a real HTTP receiver on 127.0.0.1 that checks every signature:
signed bodies, retries with backoff, the delivery log, and private targets refused."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config.enforcement import WebhookSettings, WebhookTarget
from ipwatch.services.errors import ForbiddenError
from ipwatch.services.identity import Principal
from ipwatch.services.notice_states import mark_notice
from ipwatch.services.notices import NoticeRequest, create_notices
from ipwatch.services.webhooks import (
    SIGNATURE_HEADER,
    Notifier,
    check_signature,
    list_deliveries,
    signature,
)
from model.notices import DeliveryStatus
from tests.ipwatch.services.notice_setup import OPERATOR, add_finding, notices_workspace

SECRET = "s3cret-for-tests"


class Receiver:
    """Answers with the next status of ``script`` (then 204) and keeps what it was sent."""

    def __init__(self) -> None:
        self.script: list[int] = []
        self.received: list[dict[str, object]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                valid = check_signature(
                    SECRET.encode(), self.headers[SIGNATURE_HEADER], body, int(time.time()), 300
                )
                receiver.received.append(
                    {
                        "valid": valid,
                        "event": self.headers["X-Ipwatch-Event"],
                        "delivery": self.headers["X-Ipwatch-Delivery"],
                        "body": json.loads(body),
                        "path": self.path,
                    }
                )
                status = receiver.script.pop(0) if receiver.script else 204
                if not valid:
                    status = 401
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/ipwatch?x=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


def settings(url: str, allowed: list[str], **kw: object) -> WebhookSettings:
    return WebhookSettings(
        targets=[WebhookTarget(url=url, secret=SECRET)],
        allowed_private_hosts=allowed,
        **kw,
    )


def workspace_for(tmp_path, webhooks: WebhookSettings):
    return notices_workspace(tmp_path / "home", webhooks)


def test_a_delivery_is_signed_and_the_receiver_checks_it(tmp_path, receiver):
    ws = workspace_for(tmp_path, settings(receiver.url, [f"127.0.0.1:{receiver.port}"]))
    (delivery,) = Notifier(ws).emit("notice.state", {"notice_id": "N-1", "title": "=cmd|"})
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    (got,) = receiver.received
    assert got["valid"] and got["event"] == "notice.state" and got["delivery"] == delivery.id
    assert got["path"] == "/hooks/ipwatch?x=1"
    assert got["body"] == json.loads(delivery.body)
    assert got["body"]["data"] == {"notice_id": "N-1", "title": "=cmd|"}
    assert ws.index.list_deliveries() == [delivery]


def test_failed_attempts_are_retried_with_doubling_backoff(tmp_path, receiver):
    ws = workspace_for(
        tmp_path, settings(receiver.url, ["127.0.0.1"], attempts=4, backoff_seconds=1.5)
    )
    receiver.script = [500, 503, 429]
    waits: list[float] = []
    (delivery,) = Notifier(ws, sleep=waits.append).emit("finding.decision", {"finding_id": "F"})
    assert waits == [1.5, 3.0, 6.0]
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.DELIVERED,
        4,
        204,
    )
    assert len({r["delivery"] for r in receiver.received}) == 1  # one delivery, four attempts
    assert ws.index.list_deliveries()[0].attempts == 4


def test_a_client_error_is_not_retried_and_every_failure_is_logged(tmp_path, receiver):
    ws = workspace_for(tmp_path, settings(receiver.url, ["127.0.0.1"], attempts=3))
    receiver.script = [400]
    waits: list[float] = []
    (delivery,) = Notifier(ws, sleep=waits.append).emit("notice.state", {})
    assert (delivery.status, delivery.attempts, delivery.error) == (
        DeliveryStatus.FAILED,
        1,
        "HTTP 400",
    )
    assert waits == []


def test_an_unreachable_target_fails_after_every_attempt(tmp_path, receiver):
    url = receiver.url
    receiver.close()  # nothing listens there any more
    ws = workspace_for(tmp_path, settings(url, ["127.0.0.1"], attempts=2, backoff_seconds=0))
    (delivery,) = Notifier(ws).emit("notice.state", {})
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    assert "Connection" in delivery.error or "refused" in delivery.error


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/hook",  # loopback, not allowed
        "http://169.254.169.254/latest/meta-data",  # cloud metadata
        "http://[::1]:{port}/hook",
        "http://2130706433:{port}/hook",  # 127.0.0.1 spelt as a number
    ],
)
def test_ssrf_a_private_target_is_refused_unless_allowed(tmp_path, receiver, url):
    target = url.format(port=receiver.port)
    ws = workspace_for(tmp_path, settings(target, allowed=["shop.example"]))
    (delivery,) = Notifier(ws).emit("notice.state", {"x": 1})
    assert delivery.status == DeliveryStatus.REFUSED and delivery.attempts == 0
    assert "non-public" in delivery.error or "link-local" in delivery.error
    assert receiver.received == []
    assert ws.index.list_deliveries() == [delivery]


def test_a_target_without_a_secret_is_refused_in_the_settings():
    with pytest.raises(ValueError, match="exactly one of secret and secret_env"):
        WebhookTarget(url="https://hooks.example/x")
    with pytest.raises(ValueError, match="http"):
        WebhookTarget(url="file:///etc/passwd", secret="x")


def test_a_forged_or_replayed_signature_does_not_check():
    body = b'{"event": "notice.state"}'
    good = signature(b"k", 1000, body)
    assert check_signature(b"k", good, body, 1010, 300)
    assert not check_signature(b"other", good, body, 1010, 300)
    assert not check_signature(b"k", good, body + b" ", 1010, 300)
    assert not check_signature(b"k", good, body, 5000, 300)  # replayed long after


def test_a_notice_state_change_and_its_findings_decisions_are_sent(tmp_path, receiver):
    ws = workspace_for(tmp_path, settings(receiver.url, ["127.0.0.1"], backoff_seconds=0))
    add_finding(ws, "F-1")
    receiver.received.clear()  # the confirmation itself was a decision event
    (notice,) = create_notices(ws, NoticeRequest(("F-1",)), OPERATOR)
    mark_notice(ws, notice.id, "sent", "filed", OPERATOR)
    events = [(r["event"], r["valid"]) for r in receiver.received]
    assert events == [
        ("notice.state", True),  # drafted
        ("notice.state", True),  # sent
        ("finding.decision", True),  # F-1 confirmed -> notice_sent
    ]
    sent = receiver.received[1]["body"]["data"]
    assert (sent["from_state"], sent["state"], sent["actor"]) == ("draft", "sent", "ana")
    decision = receiver.received[2]["body"]["data"]
    assert (decision["from_status"], decision["status"]) == ("confirmed", "notice_sent")
    logged = list_deliveries(ws, OPERATOR)
    assert len(logged) == 4 and all(d.status == "delivered" for d in logged)  # + the review
    with pytest.raises(ForbiddenError):
        list_deliveries(ws, Principal("ann", "admin", ("Acme",)))


def test_a_rescan_sends_each_new_flagged_finding_once(tmp_path, receiver):
    from datetime import UTC, datetime

    from ipwatch.services.rescan import rescan
    from model import ListingRecord

    ws = workspace_for(tmp_path, settings(receiver.url, ["127.0.0.1"], backoff_seconds=0))
    now = datetime(2026, 12, 1, tzinfo=UTC)
    ws.index.upsert_listing(
        ListingRecord(
            id="L-9",
            marketplace="demo",
            url="https://demo.example/item/9",
            title="N0VAFLEX replica 1:1 running shoes AAA",
            content_hash="h9",
            first_seen=now,
            last_seen=now,
        )
    )
    rescan(ws)
    flagged = [r for r in receiver.received if r["event"] == "finding.flagged"]
    assert len(flagged) == 1 and flagged[0]["valid"]
    data = flagged[0]["body"]["data"]
    assert (data["listing_id"], data["asset_id"], data["status"]) == ("L-9", "novaflex-word", "new")
    rescan(ws)  # the same finding again: not new, not sent again
    assert len([r for r in receiver.received if r["event"] == "finding.flagged"]) == 1
