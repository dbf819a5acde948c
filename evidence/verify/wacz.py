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
from io import BytesIO
from typing import TYPE_CHECKING, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from evidence.export.bundle import PUBLIC_KEY, BundleError, PartsSource, read_zip_part
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
from evidence.verify.sealed import verify_sealed
from evidence.verify.wacz_auth import check_spec_signature

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from cryptography import x509

MAX_INDEX_LINES = 100_000


class WaczArchive:
    """An open WACZ; parts are read with a size cap and never extracted to disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not zipfile.is_zipfile(path):
            raise BundleError(f"{path} is not a zip file, so not a WACZ")
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())

    def close(self) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        return read_zip_part(self.zip, name, self.path)

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
) -> list[VerificationReport]:
    """The package report (named after the file), then one report per snapshot inside."""
    archive = WaczArchive(path)
    try:
        package = VerificationReport(f"WACZ {path.name}")
        datapackage = _check_structure(package, archive)
        if datapackage is not None:
            _check_resources(package, archive, datapackage)
        key = public_key
        if key is None:
            ids = archive.snapshot_ids()
            key = archive.read(evidence_path(ids[0], PUBLIC_KEY)) if ids else None
        _check_digest(package, archive, key, given=public_key is not None)
        check_spec_signature(package, archive.read(DIGEST), archive.read(DATAPACKAGE), tsa_roots)
        _check_index(package, archive)
        reports = [package]
        ids = archive.snapshot_ids()
        if not ids:
            package.checks.append(
                Check("wacz.snapshots", "failed", f"no {EVIDENCE_DIR}/<id>~* inside")
            )
        for snapshot_id in ids:
            reports.append(
                verify_sealed(
                    WaczSource(archive, snapshot_id),
                    snapshot_id,
                    public_key=public_key,
                    tsa_roots=tsa_roots,
                )
            )
        return reports
    finally:
        archive.close()


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
    except (ValueError, UnicodeDecodeError) as exc:
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
        data = archive.read(path)
        if data is None:
            problems.append(f"{path}: listed but missing")
            continue
        actual = sha256_label(data)
        if actual != resource.get("hash") or len(data) != resource.get("bytes"):
            problems.append(
                f"{path}: {actual}, {len(data)} bytes; datapackage.json says "
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
    except ValueError as exc:
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


def _check_index(report: VerificationReport, archive: WaczArchive) -> None:
    """Every CDXJ line leads to a record of its URL at its offset in its WARC."""
    lines = (archive.read(INDEX) or b"").decode("utf-8", errors="replace").splitlines()
    problems: list[str] = []
    for line in lines[:MAX_INDEX_LINES]:
        try:
            entry = json.loads(line.split(" ", 2)[2])
            data = archive.read(f"{ARCHIVE_DIR}/{entry['filename']}")
            if data is None:
                problems.append(f"{entry['filename']} is missing")
                continue
            offset, length = int(entry["offset"]), int(entry["length"])
            record = next(iter(ArchiveIterator(BytesIO(data[offset : offset + length]))))
            uri = record.rec_headers.get_header("WARC-Target-URI")
            if uri != entry["url"]:
                problems.append(f"{entry['filename']}@{offset} is {uri}, not {entry['url']}")
        except (ValueError, KeyError, IndexError, StopIteration, TypeError) as exc:
            problems.append(f"index line unusable ({type(exc).__name__}): {line[:80]}")
        except (ArchiveLoadFailed, EOFError, OSError) as exc:
            problems.append(f"no WARC record at that offset ({exc}): {line[:80]}")
    if problems:
        report.checks.append(Check("wacz.index", "failed", "; ".join(problems[:5])))
    elif not lines:
        report.checks.append(Check("wacz.index", "failed", f"{INDEX} is empty"))
    else:
        detail = f"{len(lines)} CDXJ line(s) each lead to their record"
        report.checks.append(Check("wacz.index", "passed", detail))
