"""Verify a WACZ exported by ipwatch: the package itself, then every snapshot sealed inside it.

The package checks (``wacz.*``) say whether each file is the one datapackage.json lists, whether
datapackage.json is the one the Ed25519 signature covers, and whether the CDXJ index points at
the records it names. Each snapshot is then verified like a bundle (evidence/verify/sealed.py),
reading its parts from ``evidence/<id>~*`` and ``archive/`` inside the zip.
"""

from __future__ import annotations

import base64
import json
import zipfile
from typing import TYPE_CHECKING, Any

from evidence.export.bundle import PUBLIC_KEY, BundleError, PartsSource
from evidence.export.wacz import (
    ARCHIVE_DIR,
    DATAPACKAGE,
    DIGEST,
    EVIDENCE_DIR,
    INDEX,
    PAGES,
    SIGNED_DATA,
    SPEC_KEY,
    digest_message,
    evidence_path,
    sha256_label,
    snapshot_ids_in,
)
from evidence.seal.signing import SigningKeyError, key_id, verify
from evidence.verify.artifacts import Check, VerificationReport
from evidence.verify.checkpoint import check_source_checkpoint
from evidence.verify.sealed import verify_sealed
from evidence.verify.wacz_auth import check_spec_signature
from evidence.verify.wacz_index import IndexCheck
from evidence.verify.zipparts import DecompressionBudget, ZipParts

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from cryptography import x509


class WaczArchive(ZipParts):
    """An open WACZ; parts are inflated once, within the package budget, never to disk."""

    def __init__(self, path: Path, budget: DecompressionBudget | None = None) -> None:
        if not zipfile.is_zipfile(path):
            raise BundleError(f"{path} is not a zip file, so not a WACZ")
        super().__init__(path, budget)

    def snapshot_ids(self) -> list[str]:
        return snapshot_ids_in(self.names)


class WaczSource(PartsSource):
    """One snapshot inside a WACZ as an ``EvidenceSource`` (see evidence/verify/sealed.py)."""

    def __init__(self, archive: WaczArchive, snapshot_id: str) -> None:
        self.archive, self.snapshot_id = archive, snapshot_id
        self.container = "the WACZ"
        self.location = f"{archive.path} (snapshot {snapshot_id})"

    def part(self, name: str) -> bytes | None:
        return self.archive.read(evidence_path(self.snapshot_id, name))


def verify_wacz(
    path: Path,
    *,
    public_key: bytes | None = None,
    tsa_roots: Sequence[bytes | x509.Certificate] = (),
    checkpoint: bytes | None = None,
    budget: DecompressionBudget | None = None,
) -> list[VerificationReport]:
    """The package report (named after the file), then one report per snapshot inside.

    ``checkpoint`` is a published one each snapshot's carried checkpoint must be. Each part is
    inflated once: a snapshot's parts serve its checks, the index lines into its WARC and the
    datapackage.json hashes, then are dropped; ``budget`` bounds what all of it may inflate.
    """
    archive = WaczArchive(path, budget)
    try:
        package = VerificationReport(f"WACZ {path.name}")
        datapackage = _check_structure(package, archive)
        ids = archive.snapshot_ids()
        key = public_key
        if key is None and ids:
            key = _read_or_none(archive, evidence_path(ids[0], PUBLIC_KEY))
        _check_digest(package, archive, key, given=public_key is not None)
        check_spec_signature(
            package,
            _read_or_none(archive, DIGEST),
            _read_or_none(archive, DATAPACKAGE),
            tsa_roots,
        )
        index = IndexCheck(archive)
        reports = [package]
        if not ids:
            package.checks.append(
                Check("wacz.snapshots", "failed", f"no {EVIDENCE_DIR}/<id>~* inside")
            )
        for snapshot_id in ids:
            reports.append(
                _verify_snapshot(archive, snapshot_id, public_key, tsa_roots, checkpoint)
            )
            index.check_files(n for n in archive.names if n.startswith(warc_prefix(snapshot_id)))
            archive.release()
        index.finish(package)
        if datapackage is not None:
            _check_resources(package, archive, datapackage)
        _check_budget(package, archive.budget)
        return reports
    finally:
        archive.close()


def warc_prefix(snapshot_id: str) -> str:
    """Where a snapshot's WARCs are in ``archive/`` (see evidence/export/wacz.py warc_path)."""
    return f"{ARCHIVE_DIR}/{snapshot_id}-"


def _verify_snapshot(
    archive: WaczArchive,
    snapshot_id: str,
    public_key: bytes | None,
    tsa_roots: Sequence[bytes | x509.Certificate],
    checkpoint: bytes | None,
) -> VerificationReport:
    source = WaczSource(archive, snapshot_id)
    try:
        report = verify_sealed(source, snapshot_id, public_key=public_key, tsa_roots=tsa_roots)
        check_source_checkpoint(report, source, public_key, checkpoint)
    except BundleError as exc:  # a corrupt part, or the package budget spent
        return VerificationReport(snapshot_id, [Check("snapshot.parts", "failed", str(exc))])
    return report


def _read_or_none(archive: WaczArchive, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except BundleError:
        return None


def _check_budget(report: VerificationReport, budget: DecompressionBudget) -> None:
    if budget.exhausted:
        detail = (
            f"stopped after inflating {budget.limit} bytes (VERIFY_MAX_DECOMPRESSED_BYTES): "
            "the package is refused, nothing past the limit was checked"
        )
        report.checks.append(Check("wacz.budget", "failed", detail))
    else:
        detail = f"inflated {budget.used} bytes, each part once (limit {budget.limit})"
        report.checks.append(Check("wacz.budget", "passed", detail))


def _check_structure(report: VerificationReport, archive: WaczArchive) -> dict[str, Any] | None:
    add = report.checks.append
    missing = [n for n in (DATAPACKAGE, DIGEST, PAGES, INDEX) if n not in archive.names]
    if not any(n.startswith(ARCHIVE_DIR + "/") for n in archive.names):
        missing.append("archive/*.warc")
    if missing:
        add(Check("wacz.structure", "failed", "missing " + ", ".join(missing)))
    try:
        raw = archive.read(DATAPACKAGE)
        datapackage = json.loads(raw) if raw is not None else None
        pages = (archive.read(PAGES) or b"").decode("utf-8").splitlines()
        header = json.loads(pages[0]) if pages else {}
        entries = [json.loads(line) for line in pages[1:]]
    except (ValueError, UnicodeDecodeError) as exc:  # BundleError is a ValueError too
        add(Check("wacz.structure", "failed", f"datapackage.json or pages.jsonl unreadable: {exc}"))
        return None
    if not isinstance(datapackage, dict) or not isinstance(datapackage.get("resources"), list):
        add(Check("wacz.structure", "failed", "datapackage.json has no resources list"))
        return None
    if header.get("format") != "json-pages-1.0" or not all("url" in e for e in entries):
        add(Check("wacz.structure", "failed", "pages.jsonl is not json-pages-1.0 with urls"))
        return datapackage
    if not missing:
        version = datapackage.get("wacz_version")
        add(Check("wacz.structure", "passed", f"WACZ {version}, {len(entries)} page(s)"))
    return datapackage


def _check_resources(
    report: VerificationReport, archive: WaczArchive, datapackage: dict[str, Any]
) -> None:
    problems: list[str] = []
    listed: set[str] = set()
    for resource in datapackage["resources"]:
        path = str(resource.get("path", "")) if isinstance(resource, dict) else ""
        listed.add(path)
        try:
            found = archive.digest(path)
        except BundleError as exc:
            problems.append(f"{path}: {exc}")
            continue
        if found is None:
            problems.append(f"{path}: listed but missing")
            continue
        actual, size = found
        if actual != resource.get("hash") or size != resource.get("bytes"):
            problems.append(
                f"{path}: {actual}, {size} bytes; datapackage.json says "
                f"{resource.get('hash')}, {resource.get('bytes')} bytes"
            )
    unlisted = sorted(archive.names - listed - {DATAPACKAGE, DIGEST})
    problems.extend(f"{name}: in the zip but not in datapackage.json" for name in unlisted)
    if problems:
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        report.checks.append(Check("wacz.resources", "failed", "; ".join(problems[:5]) + more))
    else:
        detail = f"{len(listed)} file(s) match their sha256 and size in datapackage.json"
        report.checks.append(Check("wacz.resources", "passed", detail))


def _check_digest(
    report: VerificationReport, archive: WaczArchive, key: bytes | None, *, given: bool
) -> None:
    add = report.checks.append
    try:
        digest = json.loads(archive.read(DIGEST) or b"null")
        datapackage = archive.read(DATAPACKAGE) or b""
    except ValueError as exc:  # not JSON, or unreadable (BundleError)
        add(Check("wacz.digest", "failed", f"{DIGEST} is not JSON: {exc}"))
        return
    if not isinstance(digest, dict):
        add(Check("wacz.digest", "failed", f"{DIGEST} is missing or not an object"))
        return
    actual = sha256_label(datapackage)
    if digest.get("hash") != actual:
        add(
            Check(
                "wacz.digest",
                "failed",
                f"datapackage.json is {actual}, {DIGEST} says {digest.get('hash')}",
            )
        )
    else:
        add(Check("wacz.digest", "passed", f"datapackage.json is {actual}"))
    signed = digest.get(SIGNED_DATA)
    if not isinstance(signed, dict):
        add(Check("wacz.signature", "not_checked", f"{DIGEST} carries no {SIGNED_DATA}"))
        return
    if key is None:
        add(Check("wacz.signature", "not_checked", "no public key given and none inside"))
        return
    try:
        expected = key_id(key)
        signature = base64.b64decode(str(signed.get("signature", "")), validate=True)
    except (SigningKeyError, ValueError) as exc:
        add(Check("wacz.signature", "failed", f"key or signature unreadable: {exc}"))
        return
    spec_key = signed.get(SPEC_KEY)
    message = digest_message(
        str(signed.get("hash")),
        str(signed.get("created")),
        str(signed.get("software")),
        spec_key if isinstance(spec_key, str) else None,
    )
    whose = "the given key" if given else f"the WACZ's OWN key {expected} (not checked as trusted)"
    if signed.get("hash") != actual:
        add(Check("wacz.signature", "failed", "the signature is over another datapackage.json"))
    elif not verify(key, message, signature):
        add(Check("wacz.signature", "failed", f"the Ed25519 signature does not match {whose}"))
    else:
        add(
            Check(
                "wacz.signature",
                "passed" if given else "not_checked",
                f"Ed25519 over datapackage.json by {whose}",
            )
        )
