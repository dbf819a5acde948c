"""A run's listing states read back: diff, morning summary, and noticed listings found gone
settled as removed at the end of a crawl (real SQLite index, no crawl needed)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ipwatch.commands.runs import summary_text
from ipwatch.services.errors import ServiceError
from ipwatch.services.findings import show_finding
from ipwatch.services.notice_states import mark_notice
from ipwatch.services.notices import NoticeRequest, create_notices
from ipwatch.services.run_states import after_run, run_diff, run_summary
from model import CrawlRun, FindingStatus, ListingState, RunListingState
from model.notices import NoticeState
from tests.ipwatch.services.notice_setup import (
    HOSTILE_TITLE,
    NOW,
    OPERATOR,
    add_finding,
    notices_workspace,
)


@pytest.fixture
def workspace(tmp_path):
    opened = notices_workspace(tmp_path / "home")
    yield opened
    opened.close()


def night(workspace, n: int, states: dict[str, tuple[ListingState, str]], market="demo"):
    started = NOW + timedelta(days=n - 1)
    run = CrawlRun(f"R-{n}", market, "schedule", started, started + timedelta(hours=1))
    run.status = "finished"
    workspace.index.start_run(run)
    workspace.index.finish_run(run)
    workspace.index.put_listing_states(
        RunListingState(run.id, lid, market, state, run.finished, why)
        for lid, (state, why) in states.items()
    )
    return run


def test_noticed_listings_found_gone_are_removed_with_their_notice(workspace):
    for fid, market in (("F-1", "demo"), ("F-2", "demo"), ("F-3", "ebay")):
        add_finding(workspace, fid, marketplace=market)
    made = create_notices(workspace, NoticeRequest(), OPERATOR)
    for notice in made:
        mark_notice(workspace, notice.id, "sent", "", OPERATOR)
    run = night(
        workspace,
        1,
        {
            "L-F-1": (ListingState.GONE, "http 404"),
            "L-F-2": (ListingState.GONE, "absent"),
            "L-F-3": (ListingState.UNCHANGED, ""),
        },
    )
    after_run(workspace, run, "ana")
    index = workspace.index
    assert index.get_finding("F-1").status == FindingStatus.REMOVED
    assert index.get_finding("F-2").status == FindingStatus.REMOVED
    assert index.get_finding("F-3").status == FindingStatus.NOTICE_SENT
    demo = next(n for n in made if n.marketplace == "demo")
    ebay = next(n for n in made if n.marketplace == "ebay")
    assert index.get_notice(demo.id).state == NoticeState.REMOVED
    assert index.get_notice(ebay.id).state == NoticeState.SENT
    why = show_finding(workspace, "F-1", OPERATOR).events[-1].reason
    assert f"crawl run {run.id} found the listing gone (http 404)" in why


def test_the_diff_covers_every_run_since_against_with_each_listings_latest_news(workspace):
    add_finding(workspace, "F-1", confirm=False)
    night(workspace, 1, {"L-F-1": (ListingState.NEW, ""), "L-x": (ListingState.NEW, "")})
    night(workspace, 2, {"L-x": (ListingState.GONE, "http 410")})
    night(
        workspace, 3, {"L-x": (ListingState.REAPPEARED, ""), "L-F-1": (ListingState.UNCHANGED, "")}
    )
    latest = run_diff(workspace)
    assert latest.run.id == "R-3" and latest.against.id == "R-2" and latest.runs == ["R-3"]
    assert [(r.listing_id, r.state) for r in latest.listings] == [("L-x", "reappeared")]
    assert latest.flagged == []  # F-1 was first seen before R-3 started
    whole = run_diff(workspace, "R-3", against="R-1")
    assert whole.runs == ["R-2", "R-3"] and whole.counts()["reappeared"] == 1
    first = run_diff(workspace, "R-1")
    assert first.against is None and [f.id for f in first.flagged] == ["F-1"]
    with pytest.raises(ServiceError, match="earlier run"):
        run_diff(workspace, "R-1", against="R-3")


def test_the_summary_links_new_flagged_findings_to_the_desk_when_its_url_is_set(workspace):
    add_finding(workspace, "F-1", confirm=False)
    night(workspace, 1, {"L-F-1": (ListingState.NEW, "")})
    assert [f["link"] for f in run_summary(workspace, "R-1")["new_flagged"]] == ["F-1"]
    desk = workspace.config.desk.model_copy(update={"url": "https://desk.example"})
    workspace.config = workspace.config.model_copy(update={"desk": desk})
    summary = run_summary(workspace, "R-1")
    assert summary["new_flagged"][0]["link"] == "https://desk.example/findings/F-1"
    assert summary["counts"]["new"] == 1 and summary["complete"] is True


def test_a_hostile_listing_title_cannot_forge_a_line_of_the_summary_text(workspace):
    add_finding(workspace, "F-1", title=HOSTILE_TITLE, confirm=False)
    night(workspace, 1, {"L-F-1": (ListingState.NEW, "")})
    night(workspace, 2, {"L-F-1": (ListingState.GONE, "no longer available page\nforged")})
    text = summary_text(run_summary(workspace, "R-1"))
    assert not any(line.startswith("forged") for line in text.splitlines())
    text = summary_text(run_summary(workspace, "R-2"))
    assert "gone (no longer available page forged)" in text
    assert len(text.splitlines()) == 4
