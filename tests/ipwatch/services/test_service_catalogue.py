"""Assets, findings, runs, batch detection and rescan as services, in process, on SQLite."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from demomarket.brandkit import write_brand_kit
from ipwatch.services.assets import import_assets, list_assets, remove_asset
from ipwatch.services.batch_listings import ImageLoader, read_batch
from ipwatch.services.detect import batch_limits, detect_batch, registry_detector
from ipwatch.services.errors import InvalidRequestError, NotFoundError
from ipwatch.services.findings import list_findings, show_finding
from ipwatch.services.identity import Principal
from ipwatch.services.rescan import RescanProgress, rescan
from ipwatch.services.runs import list_runs, show_run
from ipwatch.services.workspace import Workspace
from model import AssetKind, CrawlRun, FindingQuery, ListingRecord, Seller

NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return write_brand_kit(tmp_path / "kit")


def test_assets_import_list_remove(workspace: Workspace, kit: Path) -> None:
    result = import_assets(workspace, kit)
    assert result.assets_created == 11
    words = list_assets(workspace, kind=AssetKind.WORD_MARK)
    assert "novaflex-word" in {a.id for a in words}
    assert all(a.kind == AssetKind.WORD_MARK for a in words)
    remove_asset(workspace, "novaflex-word")
    with pytest.raises(NotFoundError, match="novaflex-word"):
        remove_asset(workspace, "novaflex-word")


def test_unknown_finding_and_run_are_not_found(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError, match="F-404"):
        show_finding(workspace, "F-404", Principal.operator("t"))
    with pytest.raises(NotFoundError, match="R-404"):
        show_run(workspace, "R-404")
    run = CrawlRun(id="R-1", marketplace="demo", trigger="manual", started=NOW)
    workspace.index.start_run(run)
    assert [r.id for r in list_runs(workspace)] == ["R-1"]
    assert show_run(workspace, "R-1").marketplace == "demo"


def test_batch_detection_scores_each_line_and_counts_bad_ones(
    workspace: Workspace, kit: Path, tmp_path: Path
) -> None:
    detector = registry_detector(kit, workspace.detection_settings)
    lines = [
        {"id": "L1", "title": "N0VAFLEX running shoe, 1:1 replica"},
        "not json",
        {"id": "L2", "title": "plain garden hose"},
    ]
    data = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()
    found: list[str] = []
    steps: list[int] = []
    counts = detect_batch(
        detector,
        read_batch(io.BytesIO(data), ImageLoader(tmp_path, batch_limits(workspace))),
        lambda finding: found.append(finding.listing_id),
        lambda entry, counts: steps.append(entry.number),
    )
    assert (counts.listings, counts.bad_lines) == (2, 1)
    assert counts.flagged >= 1 and set(found) == {"L1"}
    assert steps == [1, 2, 3]


def test_registry_file_without_assets_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("owners: []\n")
    with pytest.raises(InvalidRequestError, match="registers no assets"):
        registry_detector(empty, workspace.detection_settings)


def test_rescan_finds_a_stored_listing_for_a_new_asset(workspace: Workspace, kit: Path) -> None:
    with pytest.raises(InvalidRequestError, match="no assets registered"):
        rescan(workspace)
    workspace.index.upsert_listing(
        ListingRecord(
            id="demo:1",
            marketplace="demo",
            url="http://shop.example/1",
            title="N0VAFLEX runner, 1:1 replica",
            content_hash="h1",
            first_seen=NOW,
            last_seen=NOW,
            seller=Seller(marketplace="demo", id="s-9", name="Shady Deals"),
        )
    )
    import_assets(workspace, kit)
    with pytest.raises(NotFoundError, match="nope"):
        rescan(workspace, ["nope"])
    steps: list[RescanProgress] = []
    result = rescan(workspace, ["novaflex-word"], progress=steps.append)
    assert result.listings == 1 and result.new_findings == 1
    assert [(s.done, s.total) for s in steps] == [(1, 1)]
    [flagged] = result.without_evidence
    [stored] = list_findings(workspace, FindingQuery(flagged_only=True), Principal.operator("t"))
    assert stored.id == flagged.id and stored.seller_name == "Shady Deals"
    again = rescan(workspace, ["novaflex-word"])
    assert again.new_findings == 0  # same finding id: updated, never duplicated
