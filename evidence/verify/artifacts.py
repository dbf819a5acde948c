"""Recompute all a sealed snapshot claims; each check passes, fails, or says it was not run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from evidence.capture.browser_warc import BROWSER_WARC_NAME
from evidence.capture.warc import WARC_MEDIA_TYPE, read_warc
from evidence.exceptions import BlobNotFoundError, EvidenceError, ManifestError, WarcError
from evidence.seal.manifest import parse_manifest

if TYPE_CHECKING:
    from collections.abc import Callable

    from evidence.seal.ledger import Ledger, LedgerEntry, LedgerProblem
    from evidence.storage.blobstore import BlobStore
    from store.protocol import Store

CheckStatus = Literal["passed", "failed", "not_checked"]


@dataclass(frozen=True)
class Check:
    name: str
    status: CheckStatus
    detail: str = ""


@dataclass
class VerificationReport:
    snapshot_id: str
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status == "failed"]

    @property
    def ok(self) -> bool:
        """Nothing failed and the digests were really recomputed (skipped checks prove nothing)."""
        hashes = [
            c for c in self.checks if c.name == "manifest.sha256" or c.name.startswith("artifact:")
        ]
        return not self.failed and len(hashes) > 1 and all(c.status == "passed" for c in hashes)

    def get(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)


def verify_snapshot(
    snapshot_id: str,
    *,
    store: BlobStore,
    ledger: Ledger,
    index: Store | None = None,
    chain_problems: list[LedgerProblem] | None = None,
) -> VerificationReport:
    """Check ledger chain and entry, manifest digest and content, every artifact and the WARC."""
    report = VerificationReport(snapshot_id)
    add = report.checks.append
    problems = ledger.verify() if chain_problems is None else chain_problems
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        add(Check("ledger.chain", "failed", shown + more))
    else:
        add(Check("ledger.chain", "passed", f"{ledger.path} links and hashes correctly"))

    entry = ledger.find(snapshot_id)
    if entry is None:
        add(Check("ledger.entry", "failed", f"no intact ledger entry for {snapshot_id}"))
    else:
        add(Check("ledger.entry", "passed", f"seq {entry.seq}, recorded {entry.recorded_at}"))

    record = index.get_snapshot(snapshot_id) if index is not None else None
    expected = entry.manifest_sha256 if entry else (record.manifest_sha256 if record else None)
    manifest = _check_manifest(report, store, snapshot_id, expected, entry)
    _check_index(report, index, record, entry, manifest)
    if manifest is None:
        add(
            Check(
                "artifacts",
                "not_checked",
                "the manifest is not trustworthy, so neither is its artifact list",
            )
        )
        return report
    check_artifacts(report, manifest, lambda artifact: store.get(artifact["sha256"]))
    return report


def check_artifacts(
    report: VerificationReport,
    manifest: dict[str, Any],
    fetch: Callable[[dict[str, Any]], bytes],
) -> None:
    """Recompute every artifact's digest and size, and the WARC's record digests."""
    for artifact in manifest["artifacts"]:
        data = _check_artifact(report, fetch, artifact)
        if artifact["media_type"] != WARC_MEDIA_TYPE:
            continue
        if data is not None and len(data) > artifact["size"]:
            # Larger than what was sealed: parsing it would only cost (a hostile WARC of zeros);
            # one no larger is parsed, to say which record was altered or cut.
            detail = "the WARC is larger than the sealed one, so its records are not checked"
            report.checks.append(Check(f"warc:{artifact['name']}", "not_checked", detail))
            continue
        if artifact["name"] == BROWSER_WARC_NAME:
            # Many exchanges: the page's own must be among them, as the browser section says.
            _check_warc(report, artifact["name"], data, manifest.get("browser") or {}, every=False)
        else:
            _check_warc(report, artifact["name"], data, manifest["capture"])


def verify_all(
    *, store: BlobStore, ledger: Ledger, index: Store | None = None
) -> list[VerificationReport]:
    """Every snapshot in the ledger, then any the index knows that the ledger lacks."""
    problems = ledger.verify()
    ids = [entry.snapshot_id for entry in ledger.entries()]
    if index is not None:
        ids += [s.id for s in index.iter_snapshots() if s.id not in set(ids)]
    return [
        verify_snapshot(i, store=store, ledger=ledger, index=index, chain_problems=problems)
        for i in dict.fromkeys(ids)
    ]


def _check_manifest(
    report: VerificationReport,
    store: BlobStore,
    snapshot_id: str,
    expected: str | None,
    entry: LedgerEntry | None,
) -> dict[str, Any] | None:
    add = report.checks.append
    source = "the ledger" if entry else "the index"
    if expected is None:
        add(Check("manifest.sha256", "not_checked", "no ledger entry or index record names it"))
        return None
    try:
        data = store.get(expected)
    except BlobNotFoundError as exc:
        add(Check("manifest.sha256", "failed", str(exc)))
        return None
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        add(
            Check(
                "manifest.sha256",
                "failed",
                f"manifest bytes changed: sha256 is {actual}, {source} says {expected}",
            )
        )
        return None
    add(Check("manifest.sha256", "passed", f"{expected} matches {source}"))
    try:
        manifest = parse_manifest(data)
    except ManifestError as exc:
        add(Check("manifest.content", "failed", str(exc)))
        return None
    if manifest["snapshot_id"] != snapshot_id:
        add(
            Check(
                "manifest.content",
                "failed",
                f"manifest is for {manifest['snapshot_id']}, not {snapshot_id}",
            )
        )
        return None
    add(
        Check(
            "manifest.content",
            "passed",
            f"version {manifest['version']}, {len(manifest['artifacts'])} artifacts",
        )
    )
    return manifest


def _check_artifact(
    report: VerificationReport,
    fetch: Callable[[dict[str, Any]], bytes],
    artifact: dict[str, Any],
) -> bytes | None:
    name, sha, size = artifact["name"], artifact["sha256"], artifact["size"]
    try:
        data = fetch(artifact)
    except (EvidenceError, OSError, ValueError) as exc:
        report.checks.append(Check(f"artifact:{name}", "failed", str(exc)))
        return None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha:
        detail = f"{name} changed: sha256 is {actual}, manifest says {sha}"
    elif len(data) != size:
        detail = f"{name} is {len(data)} bytes, manifest says {size}"
    else:
        report.checks.append(Check(f"artifact:{name}", "passed", f"{size} bytes, sha256 {sha}"))
        return data
    report.checks.append(Check(f"artifact:{name}", "failed", detail))
    return data


def _check_warc(
    report: VerificationReport,
    name: str,
    data: bytes | None,
    capture: dict[str, Any],
    *,
    every: bool = True,
) -> None:
    """Record digests, and the response(s) the manifest names: every one, or at least one."""
    check = f"warc:{name}"
    if data is None:
        report.checks.append(Check(check, "not_checked", "the WARC blob is missing"))
        return
    try:
        records = read_warc(data)
    except WarcError as exc:
        report.checks.append(Check(check, "failed", str(exc)))
        return
    bad = [
        f"{r.record_type} {r.record_id}: {'; '.join(r.problems)}"
        for r in records
        if r.status == "failed"
    ]
    responses = [r for r in records if r.record_type == "response"]
    if not responses:
        bad.append("no response record")
    expected = (capture.get("status"), capture.get("final_url"))
    matching = [r for r in responses if (r.http_status, r.target_uri) == expected]
    if every:
        bad += [
            f"response record is {r.http_status} {r.target_uri}, manifest says "
            f"{expected[0]} {expected[1]}"
            for r in responses
            if r not in matching
        ]
    elif expected[1] is not None and not matching:
        bad.append(f"no response record for {expected[0]} {expected[1]}, as the manifest says")
    if bad:
        report.checks.append(Check(check, "failed", "; ".join(bad)))
    elif all(r.status == "not_checked" for r in records):
        report.checks.append(Check(check, "not_checked", "records carry no digests to check"))
    else:
        passed = sum(r.status == "passed" for r in records)
        report.checks.append(Check(check, "passed", f"{passed}/{len(records)} record digests pass"))


def _check_index(
    report: VerificationReport,
    index: Store | None,
    record: Any,
    entry: LedgerEntry | None,
    manifest: dict[str, Any] | None,
) -> None:
    add = report.checks.append
    if index is None:
        add(Check("index.record", "not_checked", "no evidence index given"))
    elif record is None:
        add(Check("index.record", "failed", f"the index has no record of {report.snapshot_id}"))
    elif entry and record.manifest_sha256 != entry.manifest_sha256:
        add(
            Check(
                "index.record",
                "failed",
                f"index says manifest {record.manifest_sha256}, ledger says "
                f"{entry.manifest_sha256}",
            )
        )
    elif entry and record.ledger_seq != entry.seq:
        add(
            Check(
                "index.record",
                "failed",
                f"index says ledger seq {record.ledger_seq}, ledger says {entry.seq}",
            )
        )
    elif manifest and record.artifacts != manifest["artifacts"]:
        add(Check("index.record", "failed", "index artifact list differs from the manifest"))
    else:
        add(Check("index.record", "passed", "index record matches"))
