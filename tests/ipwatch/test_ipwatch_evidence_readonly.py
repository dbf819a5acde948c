"""Evidence kept on read-only (write-once) media: list, verify and bundle work and write nothing.

Two ways to make the folder read-only: permission bits (which root ignores, so the test also
proves that not one byte or file in the folder changed), and, where this machine allows a
private mount namespace, a real read-only bind mount, where any write fails with EROFS.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from config.settings import AppConfig
from ipwatch.services.identity import Principal
from ipwatch.services.review import ReviewRequest, review_finding
from ipwatch.services.workspace import Workspace
from model import FindingStatus
from tests.ipwatch.services.test_service_review import finding
from tests.ipwatch.test_ipwatch_evidence import seal_into
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path


def evidence_home(home: Path) -> str:
    """A sealed snapshot, a finding it cites and a signed review decision; returns the id."""
    home.mkdir(parents=True)
    workspace = Workspace(home, AppConfig())
    workspace.index.upsert_finding(finding("F-1"))
    workspace.close()
    (snapshot_id,) = seal_into(home)
    workspace = Workspace(home, AppConfig())
    review_finding(
        workspace,
        ReviewRequest("F-1", FindingStatus.CONFIRMED, "copy"),
        Principal.operator("alice"),
    )
    workspace.close()
    return snapshot_id


def tree(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every path under ``root`` with its mode, mtime and content digest."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[str(path.relative_to(root))] = (info.st_mode, info.st_mtime_ns, digest)
    return found


def make_read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)


@pytest.fixture
def read_only_home(tmp_path: Path):  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    snapshot_id = evidence_home(home)
    make_read_only(home)
    yield home, snapshot_id
    for path in [home, *home.rglob("*")]:  # let pytest clean up, whoever runs it
        path.chmod(path.stat().st_mode | 0o200)


def test_list_verify_and_bundle_on_read_only_folder_write_nothing(
    read_only_home: tuple[Path, str], tmp_path: Path
) -> None:
    home, snapshot_id = read_only_home
    before = tree(home)
    listed = run_ipwatch(home, "findings", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"F-1"' in listed.stdout and "confirmed" in listed.stdout
    verified = run_ipwatch(home, "evidence", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "1 of 1 snapshot(s) verified" in verified.stdout
    assert "not recorded as a custody event" in verified.stderr
    bundle = tmp_path / "out" / "case.zip"
    made = run_ipwatch(home, "evidence", "bundle", snapshot_id, "--out", str(bundle))
    assert made.returncode == 0, made.stderr
    assert bundle.is_file()
    assert tree(home) == before  # no -wal, -shm or -journal, no custody line, no touched mtime


def test_review_on_read_only_folder_is_refused_in_one_line(
    read_only_home: tuple[Path, str],
) -> None:
    home, _ = read_only_home
    before = tree(home)
    refused = run_ipwatch(
        home, "findings", "review", "F-1", "--status", "dismissed", "--reason", "x"
    )
    assert refused.returncode != 0
    assert "is read-only" in refused.stdout and "Traceback" not in refused.stderr
    assert tree(home) == before


def _can_mount_privately() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run(
        [unshare, "-m", "mount", "--bind", "-o", "ro", "/", "/"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_privately(), reason="no private mount namespace allowed here")
def test_verify_and_bundle_on_a_read_only_mount(tmp_path: Path) -> None:
    home = tmp_path / "home"
    snapshot_id = evidence_home(home)
    bundle = tmp_path / "case.zip"
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("IPWATCH_INDEX", None)
    script = (
        'mount --bind -o ro "$H" "$H" && touch "$H/probe" 2>/dev/null && exit 99; '
        'for args in "findings list" "evidence verify" "evidence bundle $S --out $B"; do '
        '"$@" --home "$H" $args || exit $?; done'
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *IPWATCH],
        capture_output=True,
        text=True,
        env={**env, "H": str(home), "S": snapshot_id, "B": str(bundle)},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 of 1 snapshot(s) verified" in done.stdout
    assert bundle.is_file()
