"""Reviewers in several processes at once: the signed decision chains stay in the order the
index applied the decisions, so the workspace verifies afterwards."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from config.settings import AppConfig
from ipwatch.services.evidence import verify_home
from ipwatch.services.identity import Principal
from ipwatch.services.review import ReviewRequest, review_finding
from ipwatch.services.workspace import Workspace
from model import FindingStatus
from tests.ipwatch.services.test_service_review import finding

ROUNDS = 12
CYCLE = (FindingStatus.IN_REVIEW, FindingStatus.CONFIRMED, FindingStatus.DISMISSED)


def reviewer(home: str, actor: str, offset: int) -> None:
    workspace = Workspace(Path(home), AppConfig())
    try:
        for n in range(ROUNDS):
            for finding_id in ("F-1", "F-2"):
                status = CYCLE[(n + offset) % len(CYCLE)]
                review_finding(
                    workspace,
                    ReviewRequest(finding_id, status, f"round {n}"),
                    Principal.operator(actor),
                )
    finally:
        workspace.close()


def test_concurrent_reviewers_leave_signed_chains_that_match_the_index(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    workspace = Workspace(home, AppConfig())
    for finding_id in ("F-1", "F-2"):
        workspace.index.upsert_finding(finding(finding_id))
    workspace.signer  # noqa: B018 - make the key once, before the reviewers race for it
    workspace.close()

    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=reviewer, args=(str(home), f"reviewer-{i}", i)) for i in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0, 0, 0]

    workspace = Workspace(home, AppConfig())
    try:
        result = verify_home(workspace, None, "auditor")
        decisions = next(r for r in result.workspace if r.snapshot_id == "review decisions")
        assert decisions.get("decisions.status").status == "passed", decisions.checks
        chains = workspace.decisions.chains()
        assert len(chains["F-1"]) == len(workspace.index.list_events("F-1")) > ROUNDS
    finally:
        workspace.close()
