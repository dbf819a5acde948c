"""Back after removal: a listing a notice took down is crawled again; its finding becomes
``reappeared`` (signed, linked to the notice, told to the hooks) and can be noticed again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from config.enforcement import WebhookSettings, WebhookTarget
from ipwatch.services.evidence import verify_home
from ipwatch.services.findings import show_finding
from ipwatch.services.identity import Principal
from ipwatch.services.notice_states import mark_notice
from ipwatch.services.notices import NoticeRequest, create_notices
from ipwatch.services.reappearance import apply_reappearances
from ipwatch.services.workspace import Workspace
from model import FindingStatus
from tests.evidence.evidence_samples import CAPTURED_AT
from tests.ipwatch.services.notice_setup import (
    NOW,
    OPERATOR,
    add_finding,
    notices_workspace,
    seal_for,
)
from tests.ipwatch.services.test_service_webhooks import SECRET, Receiver

BEFORE_CAPTURE = CAPTURED_AT - timedelta(seconds=1)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def removed(tmp_path, receiver: Receiver) -> Iterator[tuple[Workspace, str]]:
    """F-1 confirmed, sealed, noticed, sent and removed; F-2 confirmed only."""
    hooks = WebhookSettings(
        targets=[WebhookTarget(url=receiver.url, secret=SECRET, events=["finding.reappeared"])],
        allowed_private_hosts=[f"127.0.0.1:{receiver.port}"],
    )
    ws = notices_workspace(tmp_path / "home", hooks)
    add_finding(ws, "F-1")
    add_finding(ws, "F-2")
    seal_for(ws, ["F-1"])
    (notice,) = create_notices(ws, NoticeRequest(("F-1",)), OPERATOR)
    mark_notice(ws, notice.id, "sent", "", OPERATOR)
    mark_notice(ws, notice.id, "removed", "", OPERATOR)
    assert ws.index.get_finding("F-1").status == FindingStatus.REMOVED
    yield ws, notice.id
    ws.close()


def test_removed_listing_seen_again_reappears_linked_to_its_notice(
    removed: tuple[Workspace, str], receiver: Receiver
) -> None:
    ws, notice_id = removed
    result = apply_reappearances(ws, "demo", BEFORE_CAPTURE, OPERATOR, run_id="R-2")
    (back,) = result.reappeared
    assert (back.finding_id, back.notice_id) == ("F-1", notice_id)
    assert back.snapshot_ids  # sealed at or after the crawl's start
    assert ws.index.get_finding("F-1").status == FindingStatus.REAPPEARED
    assert ws.index.get_finding("F-2").status == FindingStatus.CONFIRMED  # never removed
    why = show_finding(ws, "F-1", OPERATOR).events[-1].reason
    assert f"after notice {notice_id} removed it" in why and "in run R-2" in why
    assert "new evidence: snapshot" in why
    assert [e.action for e in ws.custody.events(notice_id)][-1] == "notice"
    (hook,) = receiver.received
    assert hook["valid"] and hook["event"] == "finding.reappeared"
    assert hook["body"]["data"]["notice_id"] == notice_id
    assert hook["body"]["data"]["status"] == "reappeared"
    # the move is a signed link in the finding's decision chain; every chain still verifies
    result = verify_home(ws, None, "ana")
    decisions = [c for r in result.workspace for c in r.checks if c.name == "decisions.status"]
    assert [c.status for c in decisions] == ["passed"]
    assert [c for r in result.every_report for c in r.checks if c.status == "failed"] == []


def test_listing_not_seen_since_the_crawl_started_stays_removed(
    removed: tuple[Workspace, str], receiver: Receiver
) -> None:
    ws, _ = removed
    later = NOW + timedelta(days=1)  # the listing was last seen before this crawl
    assert apply_reappearances(ws, "demo", later, OPERATOR).reappeared == []
    assert apply_reappearances(ws, "other-market", BEFORE_CAPTURE, OPERATOR).reappeared == []
    assert ws.index.get_finding("F-1").status == FindingStatus.REMOVED
    assert receiver.received == []


def test_reappeared_finding_can_be_noticed_again_and_sent(
    removed: tuple[Workspace, str],
) -> None:
    ws, first = removed
    apply_reappearances(ws, "demo", BEFORE_CAPTURE, OPERATOR)
    (again,) = create_notices(ws, NoticeRequest(("F-1",)), OPERATOR)
    assert again.id != first
    mark_notice(ws, again.id, "sent", "", OPERATOR)
    assert ws.index.get_finding("F-1").status == FindingStatus.NOTICE_SENT


def test_a_viewer_cannot_move_findings_to_reappeared(removed: tuple[Workspace, str]) -> None:
    from ipwatch.services.errors import ForbiddenError

    ws, _ = removed
    with pytest.raises(ForbiddenError):
        apply_reappearances(ws, "demo", BEFORE_CAPTURE, Principal("vic", "viewer", ("Acme",)))
    assert ws.index.get_finding("F-1").status == FindingStatus.REMOVED
