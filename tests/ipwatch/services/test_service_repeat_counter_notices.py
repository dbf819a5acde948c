"""A seller who contests a takedown: the counter-notice counts in its repeat-infringer record,
traceable to the findings the contested notice cited, and only within the caller's owners."""

from __future__ import annotations

import pytest

from ipwatch.services.identity import Principal
from ipwatch.services.notice_states import mark_notice
from ipwatch.services.notices import NoticeRequest, create_notices
from ipwatch.services.repeat_record import repeat_record
from tests.ipwatch.services.notice_setup import OPERATOR, add_finding, notices_workspace


@pytest.fixture
def workspace(tmp_path):
    opened = notices_workspace(tmp_path / "home")
    yield opened
    opened.close()


def _row(workspace, principal: Principal) -> dict:
    (seller,) = repeat_record(workspace, principal, with_networks=False).sellers
    return seller.to_dict()


def test_counter_notice_counts_with_the_findings_behind_it(workspace) -> None:
    add_finding(workspace, "F-1")
    add_finding(workspace, "F-2")
    add_finding(workspace, "F-3")
    (contested,) = create_notices(workspace, NoticeRequest(("F-1", "F-2")), OPERATOR)
    (accepted,) = create_notices(workspace, NoticeRequest(("F-3",)), OPERATOR)
    for notice in (contested, accepted):
        mark_notice(workspace, notice.id, "sent", "", OPERATOR)
        mark_notice(workspace, notice.id, "removed", "", OPERATOR)
    assert _row(workspace, OPERATOR)["counter_notices"] == 0
    mark_notice(workspace, contested.id, "counter_notice", "seller claims genuine", OPERATOR)
    row = _row(workspace, OPERATOR)
    assert row["counter_notices"] == 2
    assert row["finding_ids"]["counter_notices"] == ["F-1", "F-2"]
    assert row["removals"] == 3  # the counter-notice does not undo a removal by itself
    mark_notice(workspace, contested.id, "reinstated", "marketplace restored it", OPERATOR)
    assert _row(workspace, OPERATOR)["counter_notices"] == 2  # contested stays contested


def test_another_owners_counter_notice_is_not_in_a_tenants_record(workspace) -> None:
    add_finding(workspace, "F-1")  # Acme
    add_finding(workspace, "F-9", owner="Puma")
    (notice,) = create_notices(workspace, NoticeRequest(("F-9",)), OPERATOR)
    mark_notice(workspace, notice.id, "sent", "", OPERATOR)
    mark_notice(workspace, notice.id, "removed", "", OPERATOR)
    mark_notice(workspace, notice.id, "counter_notice", "contested", OPERATOR)
    acme = Principal("ann", "reviewer", ("Acme",))
    assert _row(workspace, acme)["counter_notices"] == 0
