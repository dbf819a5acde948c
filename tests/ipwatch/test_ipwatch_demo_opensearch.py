"""`IPWATCH_INDEX=http://... ipwatch demo`: the whole demo with the evidence index on OpenSearch."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from demomarket.testing import expected_flagged
from evidence.log.translog import TransparencyLog
from evidence.seal.recovery import logged_snapshots
from store import open_store
from tests.support import findings_json, free_port, run_ipwatch

pytestmark = pytest.mark.slow


def test_demo_runs_on_opensearch(opensearch_url: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    url = f"{opensearch_url}/?prefix=demo{uuid.uuid4().hex[:8]}"
    first = run_ipwatch(home, "demo", "--port", str(free_port()), index_url=url)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "flagged listing" in first.stdout

    flagged = {f["listing_id"].split(":", 1)[1] for f in findings_json(home, index_url=url)}
    assert flagged == expected_flagged()
    assert not (home / "index.db").exists(), "the SQLite index was used instead of OpenSearch"

    index = open_store(url, base_dir=home)
    sealed = [sid for sid, _, _ in logged_snapshots(None, TransparencyLog(home / "log"))]
    assert sorted(s.id for s in index.iter_snapshots()) == sorted(sealed)
    assert index.pending() == 0

    again = run_ipwatch(home, "demo", "--port", str(free_port()), index_url=url)
    assert again.returncode == 0, again.stdout + again.stderr
    assert TransparencyLog(home / "log").size == len(sealed)
    assert run_ipwatch(home, "evidence", "verify", index_url=url).returncode == 0
    assert run_ipwatch(home, "index", "status", index_url=url).returncode == 0
