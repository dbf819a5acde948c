"""The crawl service in a child process (Twisted's reactor runs once per process).

The child calls ``crawl_marketplace`` with a progress callback, as a scheduler would, and
prints what it saw; no CLI is involved.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.settings import AppConfig
from demomarket import DemoMarket
from ipwatch.services.crawl import crawl_marketplace
from ipwatch.services.errors import InvalidRequestError
from ipwatch.services.workspace import Workspace

CHILD = """
import json, sys
from pathlib import Path
from ipwatch.services.crawl import crawl_marketplace
from ipwatch.services.workspace import Workspace

home, base_url = Path(sys.argv[1]), sys.argv[2]
workspace = Workspace.open(home)
seen = []
run = crawl_marketplace(
    workspace, "demo", keywords=["novaflex"], base_url=base_url, trigger="schedule",
    allowed_private_hosts=["127.0.0.1"],
    progress=seen.append,
)
print(json.dumps({
    "run": {"id": run.id, "trigger": run.trigger, "status": run.status, **run.counters},
    "progress": [[p.pages, p.listings, p.flagged] for p in seen],
}))
"""


def test_crawl_service_reports_progress_and_returns_the_run(
    demo_market: DemoMarket, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(home), demo_market.base_url],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    run = report["run"]
    assert run["trigger"] == "schedule" and run["status"] == "finished"
    assert run["listings"] > 0 and run["pages"] > 0
    progress = report["progress"]
    assert len(progress) >= run["listings"]
    assert progress[-1] == [run["pages"], run["listings"], run["flagged"]]
    assert [p[1] for p in progress] == sorted(p[1] for p in progress)  # never goes back


def test_a_search_only_profile_without_keywords_is_refused_before_crawling(
    tmp_path: Path,
) -> None:
    profile = yaml.safe_load((Path("config/marketplaces/demo.yaml")).read_text())
    profile.pop("sections", None)
    path = tmp_path / "searchonly.yaml"
    path.write_text(yaml.safe_dump(profile))
    (tmp_path / "home").mkdir()
    workspace = Workspace(tmp_path / "home", AppConfig())
    try:
        with pytest.raises(InvalidRequestError, match="nothing to search for"):
            crawl_marketplace(workspace, str(path))
    finally:
        workspace.close()
