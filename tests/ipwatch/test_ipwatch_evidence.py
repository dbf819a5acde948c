"""``ipwatch evidence verify|bundle|custody|timestamp`` through the real CLI in a child process."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence.seal.snapshot import seal
from evidence.storage.blobstore import BlobStore
from ipwatch.services.workspace import Workspace
from tests.evidence.evidence_samples import (
    sample_capture,
    sample_citations,
    sample_images,
    sample_listing,
)
from tests.services.tsa import LocalTsa
from tests.support import IPWATCH, free_port, run_ipwatch


def seal_into(home: Path, count: int = 1) -> list[str]:
    """Seal sample snapshots the way the crawl pipeline does; returns their ids."""
    workspace = Workspace.open(home)
    ids = []
    try:
        for _ in range(count):
            sealed = seal(
                sample_capture(),
                sample_listing(),
                sample_images(),
                sample_citations(),
                store=BlobStore(home / "blobs"),
                sealer=workspace.sealer,
            )
            workspace.index.add_snapshot(sealed.to_record("L-1", ["F-1"]))
            ids.append(sealed.id)
    finally:
        workspace.close()
    return ids


@pytest.fixture(scope="module")
def local_tsa() -> Iterator[LocalTsa]:
    with LocalTsa(name="ipwatch CLI test TSA") as tsa:
        yield tsa


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_first_seal_creates_the_key_and_says_where(
    home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ipwatch.services.workspace"):
        seal_into(home)
    key = home / "keys" / "ed25519.pem"
    assert key.exists()
    assert f"created the evidence signing key {key}" in caplog.text
    assert "ipwatch keys export" in caplog.text


def test_verify_bundle_and_custody(home: Path, tmp_path: Path) -> None:
    (snapshot_id,) = seal_into(home)
    ok = run_ipwatch(home, "--operator", "alice", "evidence", "verify", snapshot_id, "-v")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    for name in ("signature.manifest", "log.inclusion", "log.tree_head", "log.consistency"):
        assert name in ok.stdout

    bundle = tmp_path / "out" / "evidence.zip"
    made = run_ipwatch(
        home, "--operator", "bob", "evidence", "bundle", snapshot_id, "--out", str(bundle)
    )
    assert made.returncode == 0, made.stderr
    again = run_ipwatch(home, "evidence", "bundle", snapshot_id, "--out", str(bundle))
    assert again.returncode == 2 and "already exists" in again.stderr

    listed = run_ipwatch(home, "evidence", "custody", snapshot_id)
    assert listed.returncode == 0, listed.stderr
    assert "alice" in listed.stdout and "verified" in listed.stdout
    assert "bob" in listed.stdout and "bundled" in listed.stdout

    public_key = tmp_path / "published.pem"
    exported = run_ipwatch(home, "keys", "export", "--out", str(public_key))
    assert exported.returncode == 0, exported.stderr
    offline_verify(bundle, public_key, tmp_path / "elsewhere", expect=0)


def offline_verify(bundle: Path, public_key: Path, where: Path, *, expect: int) -> str:
    """Verify in a fresh folder with no ipwatch home anywhere; no home may be created."""
    where.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWATCH_")}
    env.update(HOME=str(where), COLUMNS="200")
    done = subprocess.run(
        [*IPWATCH, "evidence", "verify", str(bundle), "--public-key", str(public_key), "-v"],
        capture_output=True,
        text=True,
        cwd=where,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == expect, done.stdout + done.stderr
    assert not (where / ".ipwatch").exists()
    return done.stdout


def test_tampered_bundle_fails_offline(home: Path, tmp_path: Path) -> None:
    (snapshot_id,) = seal_into(home)
    bundle = tmp_path / "bundle"
    assert (
        run_ipwatch(home, "evidence", "bundle", snapshot_id, "--out", str(bundle)).returncode == 0
    )
    warc = bundle / "artifacts" / "response.warc"
    warc.write_bytes(warc.read_bytes().replace(b"Nikee", b"Nikey"))
    public_key = tmp_path / "key.pem"
    run_ipwatch(home, "keys", "export", "--out", str(public_key))
    out = offline_verify(bundle, public_key, tmp_path / "court", expect=1)
    assert "artifact:response.warc" in out and "failed" in out


def test_timestamp_failure_is_retried_later(home: Path, local_tsa: LocalTsa) -> None:
    home.mkdir(parents=True)
    (home / "ca.pem").write_bytes(local_tsa.ca_pem)
    config = home / "ipwatch.yaml"
    config.write_text(f"timestamp:\n  url: http://127.0.0.1:{free_port()}/\n  timeout: 2\n")
    (snapshot_id,) = seal_into(home)
    pending = run_ipwatch(home, "evidence", "verify", snapshot_id)
    assert pending.returncode == 0, pending.stdout
    assert "TSA failed at seal time" in pending.stdout

    config.write_text(f"timestamp:\n  url: {local_tsa.url}\n  ca_files: [ca.pem]\n")
    stamped = run_ipwatch(home, "evidence", "timestamp")
    assert stamped.returncode == 0, stamped.stdout + stamped.stderr
    assert "1 timestamp(s) obtained" in stamped.stdout
    verified = run_ipwatch(home, "evidence", "verify", snapshot_id, "-v")
    assert verified.returncode == 0, verified.stdout
    chain = next(line for line in verified.stdout.splitlines() if "timestamp.chain" in line)
    assert "passed" in chain
    assert "timestamped" in run_ipwatch(home, "evidence", "custody", snapshot_id).stdout
