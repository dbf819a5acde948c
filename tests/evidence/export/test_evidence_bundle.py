"""The committed bundles in tests/data/bundles: the good one verifies, each broken one fails
with the check and reason that name what was broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.export.bundle import BundleError, BundleSource, artifact_path, write_bundle
from evidence.verify.artifacts import VerificationReport
from evidence.verify.sealed import verify_sealed
from tests.data.make_bundles import CASES, HERE, TOKENS, build
from tests.evidence.evidence_samples import OTHER_KEY_SEED, fixed_signer

PUBLIC_KEY = fixed_signer().public_key_pem()
OTHER_KEY = fixed_signer(OTHER_KEY_SEED)


def check(path: Path, public_key: bytes | None = PUBLIC_KEY) -> VerificationReport:
    source = BundleSource(path)
    try:
        return verify_sealed(source, path.name, public_key=public_key)
    finally:
        source.close()


def failed(report: VerificationReport) -> dict[str, str]:
    return {c.name: c.detail for c in report.failed}


def test_good_bundle_verifies_with_the_published_key() -> None:
    report = check(HERE / "good")
    assert report.ok and not report.failed
    statuses = {c.name: c.status for c in report.checks}
    assert statuses["signature.manifest"] == statuses["log.inclusion"] == "passed"
    assert statuses["log.tree_head"] == statuses["custody"] == "passed"
    assert statuses["timestamp.imprint"] == "passed"
    assert statuses["timestamp.chain"] == "not_checked"  # no TSA root given: never "passed"
    assert "no TSA root certificate" in report.get("timestamp.chain").detail


def test_without_a_key_the_bundles_own_key_is_named_not_trusted() -> None:
    report = check(HERE / "good", public_key=None)
    key = report.get("signature.key")
    assert key.status == "not_checked"
    assert "bundle's OWN key" in key.detail and fixed_signer().key_id in key.detail
    assert not report.failed


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("tampered-artifact", {"artifact:images/1-9fa0f2ae2b65.png": "changed: sha256 is"}),
        (
            "truncated-warc",
            {"artifact:response.warc": "changed: sha256 is", "warc:response.warc": "record"},
        ),
        ("tampered-manifest", {"manifest.sha256": "manifest bytes changed"}),
        ("forged-inclusion-proof", {"log.inclusion": "the proof leads to a different root"}),
        ("timestamp-other-digest", {"timestamp.imprint": "imprint mismatch"}),
        ("broken-head-signature", {"log.tree_head": "the signature does not match the head"}),
    ],
)
def test_each_broken_bundle_fails_with_its_reason(case: str, expected: dict[str, str]) -> None:
    report = check(HERE / case)
    got = failed(report)
    assert set(got) == set(expected), got
    for name, fragment in expected.items():
        assert fragment in got[name], (name, got[name])
    assert not report.ok


def test_resigned_manifest_fails_against_the_published_key() -> None:
    got = failed(check(HERE / "resigned-manifest"))
    assert f"signed by key {OTHER_KEY.key_id}, not by the expected key" in got["signature.manifest"]
    # Re-signing changed the manifest, so the log and the TSA no longer vouch for it either.
    assert "different root" in got["log.inclusion"]
    assert "imprint mismatch" in got["timestamp.imprint"]


def test_resigned_manifest_fails_even_with_the_forgers_key_in_the_bundle() -> None:
    report = check(HERE / "resigned-manifest", public_key=None)
    assert OTHER_KEY.key_id in report.get("signature.key").detail
    got = failed(report)
    assert report.get("signature.manifest").status == "passed"  # the forger's own signature
    assert "signed by key" in got["log.tree_head"]  # but the log head is the real signer's
    assert "signed by key" in got["custody"]


def test_committed_bundles_are_exactly_what_the_script_writes(tmp_path: Path) -> None:
    build(tmp_path, HERE / TOKENS)
    for case in CASES:
        written = sorted(p.relative_to(tmp_path / case) for p in (tmp_path / case).rglob("*"))
        committed = sorted(p.relative_to(HERE / case) for p in (HERE / case).rglob("*"))
        assert written == committed, case
        for rel in written:
            if (tmp_path / case / rel).is_file():
                assert (tmp_path / case / rel).read_bytes() == (HERE / case / rel).read_bytes()


def test_test_data_stays_small() -> None:
    # The data folder a past release wrote (tests/store) is capped on its own, below.
    releases = {p for p in HERE.parent.glob("release-*")}
    files = [p for p in HERE.parent.rglob("*") if p.is_file() and not releases & set(p.parents)]
    total = sum(p.stat().st_size for p in files)
    assert total < 200_000


def test_release_data_folders_stay_small() -> None:
    """Each holds two sealed snapshots with their browser screenshots: well under 1 MB."""
    for folder in HERE.parent.glob("release-*"):
        assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) < 800_000, folder


def test_zip_bundle_is_reproducible_and_verifies(tmp_path: Path) -> None:
    source = BundleSource(HERE / "good")
    parts = {
        str(p.relative_to(HERE / "good")): p.read_bytes()
        for p in (HERE / "good").rglob("*")
        if p.is_file() and p.name != "README.txt"
    }
    first = write_bundle(parts, tmp_path / "a" / "bundle.zip", "S-x")
    second = write_bundle(parts, tmp_path / "b" / "bundle.zip", "S-x")
    assert first.read_bytes() == second.read_bytes()
    assert check(first).ok
    source.close()
    with pytest.raises(BundleError, match="already exists"):
        write_bundle(parts, first, "S-x")


def test_artifact_names_cannot_escape_the_bundle() -> None:
    assert artifact_path("images/1-ab.png") == "artifacts/images/1-ab.png"
    for bad in ("../seal.json", "/etc/passwd", "images/../../x", "a//b", ".hidden"):
        with pytest.raises(BundleError):
            artifact_path(bad)


def test_a_missing_artifact_fails_not_skips(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(HERE / "good", tmp_path / "b")
    (tmp_path / "b" / "artifacts" / "response.warc").unlink()
    got = failed(check(tmp_path / "b"))
    assert "missing from the bundle" in got["artifact:response.warc"]
