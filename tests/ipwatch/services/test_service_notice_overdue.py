"""A notice the marketplace ignores is raised: its listing still answers N days after sending,
against a real shop and a real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config.enforcement import NoticeSettings, WebhookSettings, WebhookTarget
from config.settings import CrawlConfig
from ipwatch.services.notice_checks import check_noticed
from ipwatch.services.notice_states import mark_notice
from ipwatch.services.notices import NoticeRequest, create_notices
from ipwatch.services.workspace import Workspace
from tests.ipwatch.services.notice_setup import OPERATOR, add_finding, notices_workspace
from tests.ipwatch.services.test_service_webhooks import SECRET, Receiver

ANSWERS = {"/item/F-1": 200, "/item/F-2": 404, "/item/F-3": 200}


class Shop:
    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(ANSWERS.get(self.path, 500))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def shop() -> Iterator[Shop]:
    running = Shop()
    yield running
    running.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def _workspace(tmp_path, shop: Shop, receiver: Receiver, after_days: int = 14) -> Workspace:
    hooks = WebhookSettings(
        targets=[WebhookTarget(url=receiver.url, secret=SECRET, events=["notice.overdue"])],
        allowed_private_hosts=[f"127.0.0.1:{receiver.port}"],
    )
    ws = notices_workspace(tmp_path / "home", hooks)
    ws.config = ws.config.model_copy(
        update={
            "crawl": CrawlConfig(allowed_private_hosts=[f"127.0.0.1:{shop.port}"]),
            "notices": NoticeSettings(
                notifier_name="Acme Legal",
                notifier_email="legal@acme.example",
                escalate_after_days=after_days,
            ),
        }
    )
    for fid in ("F-1", "F-2", "F-3"):
        add_finding(ws, fid)
        record = ws.index.get_finding(fid)
        record.url = f"http://127.0.0.1:{shop.port}/item/{fid}"
        ws.index.upsert_finding(record)
    return ws


def _in_days(days: int) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def test_listing_still_up_after_the_delay_raises_its_notice_once_per_check(
    tmp_path, shop: Shop, receiver: Receiver
) -> None:
    ws = _workspace(tmp_path, shop, receiver)
    (notice,) = create_notices(ws, NoticeRequest(("F-1", "F-2")), OPERATOR)
    mark_notice(ws, notice.id, "sent", "", OPERATOR)

    early = check_noticed(ws, OPERATOR, clock=lambda: _in_days(13))
    assert early.overdue == [] and receiver.received == []

    late = check_noticed(ws, OPERATOR, clock=lambda: _in_days(15))
    (raised,) = late.overdue
    assert raised.notice_id == notice.id
    assert raised.finding_ids == ["F-1"]  # F-2 answered 404: removed, not overdue
    assert raised.days in (14, 15)
    (hook,) = receiver.received
    assert hook["valid"] and hook["event"] == "notice.overdue"
    data = hook["body"]["data"]
    assert data["notice_id"] == notice.id and data["finding_ids"] == ["F-1"]
    assert data["urls"] == [f"http://127.0.0.1:{shop.port}/item/F-1"]
    ws.close()


def test_notice_whose_listings_are_all_gone_is_never_overdue(
    tmp_path, shop: Shop, receiver: Receiver
) -> None:
    ws = _workspace(tmp_path, shop, receiver)
    (notice,) = create_notices(ws, NoticeRequest(("F-2",)), OPERATOR)
    mark_notice(ws, notice.id, "sent", "", OPERATOR)
    result = check_noticed(ws, OPERATOR, clock=lambda: _in_days(60))
    assert result.notices_removed == [notice.id] and result.overdue == []
    assert receiver.received == []
    ws.close()


def test_zero_days_turns_escalation_off(tmp_path, shop: Shop, receiver: Receiver) -> None:
    ws = _workspace(tmp_path, shop, receiver, after_days=0)
    (notice,) = create_notices(ws, NoticeRequest(("F-3",)), OPERATOR)
    mark_notice(ws, notice.id, "sent", "", OPERATOR)
    assert check_noticed(ws, OPERATOR, clock=lambda: _in_days(400)).overdue == []
    ws.close()


def test_a_draft_is_not_checked_and_so_never_overdue(
    tmp_path, shop: Shop, receiver: Receiver
) -> None:
    ws = _workspace(tmp_path, shop, receiver)
    create_notices(ws, NoticeRequest(("F-3",)), OPERATOR)
    result = check_noticed(ws, OPERATOR, clock=lambda: _in_days(90))
    assert result.checked == 0 and result.overdue == []
    ws.close()
