"""The review service: compare-and-set decisions, audit events and signed custody, both backends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.settings import AppConfig
from evidence.seal.custody import parse_event
from evidence.seal.snapshot import seal
from evidence.storage.blobstore import BlobStore
from ipwatch.services.errors import ConflictError, InvalidRequestError, NotFoundError
from ipwatch.services.findings import show_finding
from ipwatch.services.identity import Principal
from ipwatch.services.review import ReviewRequest, review_finding, review_findings
from ipwatch.services.workspace import Workspace
from model import FindingRecord, FindingStatus
from tests.evidence.evidence_samples import (
    sample_capture,
    sample_citations,
    sample_images,
    sample_listing,
)

NOW = datetime(2026, 11, 25, tzinfo=UTC)

P = Principal.operator


def finding(finding_id: str = "F-1") -> FindingRecord:
    return FindingRecord(
        id=finding_id,
        listing_id="L-1",
        asset_id="novaflex-word",
        owner="Acme",
        marketplace="demo",
        risk=0.9,
        flagged=True,
        signals=[{"kind": "word_mark", "score": 1.0, "detail": "NOVAFLEX", "evidence": {}}],
        created=NOW,
        updated=NOW,
        title="N0VAFLEX runner",
        url="http://shop.example/1",
    )


def seal_for(workspace: Workspace, finding_ids: list[str]) -> str:
    sealed = seal(
        sample_capture(),
        sample_listing(),
        sample_images(),
        sample_citations(),
        store=BlobStore(workspace.home / "blobs"),
        sealer=workspace.sealer,
    )
    workspace.index.add_snapshot(sealed.to_record("L-1", finding_ids))
    return sealed.id


def sqlite_workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "home", AppConfig())


def opensearch_workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Workspace:
    url = request.getfixturevalue("opensearch_url")
    prefix = f"t-review-{uuid.uuid4().hex[:8]}"
    return Workspace(tmp_path / "home", AppConfig(index=f"{url}/?prefix={prefix}"))


@pytest.fixture(params=[sqlite_workspace, opensearch_workspace], ids=["sqlite", "opensearch"])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    (tmp_path / "home").mkdir()
    opened = request.param(request, tmp_path)
    yield opened
    opened.close()


def test_a_decision_is_stored_with_its_event_and_signed_in_custody(workspace: Workspace) -> None:
    workspace.index.upsert_finding(finding())
    snapshot_id = seal_for(workspace, ["F-1"])
    before = workspace.index.get_finding("F-1")
    assert before is not None and before.snapshot_ids == [snapshot_id]

    outcome = review_finding(
        workspace,
        ReviewRequest("F-1", FindingStatus.CONFIRMED, "  the logo is\tcopied  ", before.revision),
        P("alice"),
    )

    assert outcome.changed and outcome.from_status == FindingStatus.NEW
    assert outcome.to_status == FindingStatus.CONFIRMED and outcome.custody_events == 1
    detail = show_finding(workspace, "F-1", P("a"))
    assert detail.finding.status == FindingStatus.CONFIRMED
    assert detail.finding.revision == outcome.revision != before.revision
    [event] = detail.events
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        "alice",
        FindingStatus.NEW,
        FindingStatus.CONFIRMED,
        "the logo is copied",
    )
    [custody] = [parse_event(line) for line in workspace.custody.lines(snapshot_id)]
    assert not isinstance(custody, str)
    assert custody.action == "review" and custody.operator == "alice"
    assert "new -> confirmed" in custody.detail and "the logo is copied" in custody.detail
    assert custody.key_id == workspace.signer.key_id


def test_stale_revision_is_refused_naming_who_changed_it(workspace: Workspace) -> None:
    workspace.index.upsert_finding(finding())
    loaded = workspace.index.get_finding("F-1")
    assert loaded is not None
    review_finding(
        workspace, ReviewRequest("F-1", FindingStatus.DISMISSED, "genuine reseller"), P("bob")
    )
    with pytest.raises(ConflictError) as refused:
        review_finding(
            workspace,
            ReviewRequest("F-1", FindingStatus.CONFIRMED, "copied", loaded.revision),
            P("alice"),
        )
    assert "bob" in str(refused.value) and "dismissed" in str(refused.value)
    assert "genuine reseller" in str(refused.value)
    current = workspace.index.get_finding("F-1")
    assert current is not None and current.status == FindingStatus.DISMISSED
    assert len(workspace.index.list_events("F-1")) == 1


def test_refusals_say_why_and_write_nothing(workspace: Workspace) -> None:
    workspace.index.upsert_finding(finding())
    with pytest.raises(InvalidRequestError, match="needs a reason"):
        review_finding(workspace, ReviewRequest("F-1", FindingStatus.CONFIRMED, " \n"), P("a"))
    with pytest.raises(InvalidRequestError, match="not 'removed'"):
        review_finding(workspace, ReviewRequest("F-1", FindingStatus.REMOVED, "gone"), P("a"))
    with pytest.raises(NotFoundError, match="no finding 'F-404'"):
        review_finding(workspace, ReviewRequest("F-404", FindingStatus.CONFIRMED, "x"), P("a"))
    assert workspace.index.list_events("F-1") == []


def test_same_status_again_records_nothing(workspace: Workspace) -> None:
    workspace.index.upsert_finding(finding())
    first = review_finding(workspace, ReviewRequest("F-1", FindingStatus.IN_REVIEW, "look"), P("a"))
    again = review_finding(workspace, ReviewRequest("F-1", FindingStatus.IN_REVIEW, "look"), P("b"))
    assert first.changed and not again.changed
    assert len(workspace.index.list_events("F-1")) == 1


def test_a_decision_after_a_notice_is_refused(workspace: Workspace) -> None:
    workspace.index.upsert_finding(finding())
    workspace.index.set_status("F-1", FindingStatus.NOTICE_SENT, actor="enforcement")
    with pytest.raises(InvalidRequestError, match="notice_sent"):
        review_finding(workspace, ReviewRequest("F-1", FindingStatus.DISMISSED, "oops"), P("a"))


def test_bulk_review_applies_each_and_reports_each_refusal(workspace: Workspace) -> None:
    for finding_id in ("F-1", "F-2"):
        workspace.index.upsert_finding(finding(finding_id))
    seen: list[object] = []
    batch = review_findings(
        workspace,
        [
            ReviewRequest(fid, FindingStatus.CONFIRMED, "same seller, same photos")
            for fid in ("F-1", "F-404", "F-2")
        ],
        P("carol"),
        progress=seen.append,
    )
    assert [o.finding_id for o in batch.outcomes] == ["F-1", "F-2"]
    assert [(fid, type(e)) for fid, e in batch.refused] == [("F-404", NotFoundError)]
    assert not batch.ok and len(seen) == 3
    for fid in ("F-1", "F-2"):
        record = workspace.index.get_finding(fid)
        assert record is not None and record.status == FindingStatus.CONFIRMED
