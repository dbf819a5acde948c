"""``ipwatch evidence checkpoint`` and ``verify --checkpoint``: an outside witness for the log.

The attack: an insider with write access removes the newest snapshot together with its log
entry, leaf hash, tree head and index row. Every file left is consistent, so verify without a
checkpoint passes; with a checkpoint published before the removal it must fail.
"""

from __future__ import annotations

import shutil
import sqlite3
from typing import TYPE_CHECKING

from tests.ipwatch.test_ipwatch_evidence import seal_into
from tests.services.tsa import LocalTsa
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path


def remove_newest_snapshot(home: Path, snapshot_id: str) -> None:
    """What an insider does: cut the last entry, leaf and head, the seal folder and index row."""
    log = home / "log"
    for name in ("entries.jsonl", "heads.jsonl"):
        lines = (log / name).read_bytes().splitlines(keepends=True)
        (log / name).write_bytes(b"".join(lines[:-1]))
    leaves = (log / "leaves.bin").read_bytes()
    (log / "leaves.bin").write_bytes(leaves[:-32])
    shutil.rmtree(home / "seals" / snapshot_id)
    with sqlite3.connect(home / "index.db") as db:
        db.execute("DELETE FROM snapshots WHERE id = ?", (snapshot_id,))


def test_rollback_of_newest_snapshot_passes_without_and_fails_with_checkpoint(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    ids = seal_into(home, 3)
    published = tmp_path / "published" / "checkpoint.txt"
    made = run_ipwatch(home, "evidence", "checkpoint", "--out", str(published))
    assert made.returncode == 0, made.stdout + made.stderr
    assert published.read_text().splitlines()[1] == "3"

    good = run_ipwatch(home, "evidence", "verify", "--checkpoint", str(published), "-v")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "checkpoint.consistency" in good.stdout

    remove_newest_snapshot(home, ids[-1])
    fooled = run_ipwatch(home, "evidence", "verify")
    assert fooled.returncode == 0, "without a checkpoint the rollback is invisible"
    caught = run_ipwatch(home, "evidence", "verify", "--checkpoint", str(published))
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert "rollback: the log holds 2 entries" in " ".join(caught.stdout.split())
    assert "Traceback" not in caught.stderr


def test_forged_checkpoint_is_rejected(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seal_into(home, 1)
    published = tmp_path / "checkpoint.txt"
    assert run_ipwatch(home, "evidence", "checkpoint", "--out", str(published)).returncode == 0
    published.write_bytes(published.read_bytes().replace(b"\n1\n", b"\n0\n", 1))
    forged = run_ipwatch(home, "evidence", "verify", "--checkpoint", str(published))
    assert forged.returncode == 1
    assert "invalid signature" in forged.stdout


def test_bundle_carries_the_published_checkpoint_it_was_checked_against(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (first,) = seal_into(home, 1)
    published = tmp_path / "checkpoint.txt"
    assert run_ipwatch(home, "evidence", "checkpoint", "--out", str(published)).returncode == 0
    seal_into(home, 1)  # the log grows after the checkpoint was published
    bundle = tmp_path / "bundle.zip"
    made = run_ipwatch(
        home, "evidence", "bundle", first, "--out", str(bundle), "--checkpoint", str(published)
    )
    assert made.returncode == 0, made.stdout + made.stderr
    key = tmp_path / "key.pem"
    assert run_ipwatch(home, "keys", "export", "--out", str(key)).returncode == 0
    ok = run_ipwatch(
        home,
        "evidence",
        "verify",
        str(bundle),
        "--public-key",
        str(key),
        "--checkpoint",
        str(published),
        "-v",
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "published checkpoint (size 1)" in " ".join(ok.stdout.split())


def test_checkpoint_timestamped_by_the_tsa_is_checked_beside_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with LocalTsa(name="checkpoint TSA") as tsa:
        (home / "ca.pem").write_bytes(tsa.ca_pem)
        (home / "ipwatch.yaml").write_text(f"timestamp:\n  url: {tsa.url}\n  ca_files: [ca.pem]\n")
        seal_into(home, 1)
        published = tmp_path / "checkpoint.txt"
        made = run_ipwatch(home, "evidence", "checkpoint", "--out", str(published), "--timestamp")
    assert made.returncode == 0, made.stdout + made.stderr
    token = tmp_path / "checkpoint.txt.tsr"
    assert token.is_file()
    checked = run_ipwatch(home, "evidence", "verify", "--checkpoint", str(published), "-v")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    line = next(x for x in checked.stdout.splitlines() if "checkpoint.timestamp" in x)
    assert "passed" in line

    token.write_bytes(run_ipwatch(home, "evidence", "checkpoint").stdout.encode())  # not a token
    forged = run_ipwatch(home, "evidence", "verify", "--checkpoint", str(published))
    assert forged.returncode == 1
    assert "checkpoint.timestamp" in forged.stdout
