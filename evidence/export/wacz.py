"""WACZ 1.1.1 packages of sealed snapshots: replayable web archive and offline evidence in one zip.

Layout (the spec's required parts first, then what ``ipwatch evidence verify`` needs):

    archive/<snapshot id>-response.warc     each snapshot's sealed WARC, stored uncompressed
    indexes/index.cdxj                      CDXJ over every WARC (SURT key, time, JSON)
    pages/pages.jsonl                       one page per snapshot (the listing URL)
    evidence/<snapshot id>/manifest.json    the snapshot's bundle parts (evidence/export/bundle.py):
    evidence/<snapshot id>/seal.json        seal record, timestamp token, public key, custody
    evidence/<snapshot id>/artifacts/...    the other artifacts (images, screenshot)
    report/report.html, report/report.pdf   the human-readable report (when made)
    datapackage.json                        every file above with its sha256 and size
    datapackage-digest.json                 sha256 of datapackage.json, signed with Ed25519

The spec's ``signedData`` expects ECDSA P-256 (domain certificate or anonymous key); ipwatch
keys are Ed25519, which a spec verifier would report as a bad signature. So the signature goes
in ``ipwatchSignedData``: the same fields (hash, created, software, signature, publicKey) plus
the algorithm, the key id and the exact bytes signed. Spec tools see an unsigned package.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization

from evidence.export.bundle import ARTIFACTS, BundleError, artifact_path
from evidence.export.cdxj import cdxj_lines
from evidence.seal.manifest import canonical_json, format_utc
from evidence.seal.seals import SNAPSHOT_ID_RE
from evidence.seal.signing import load_public_key

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from evidence.seal.signing import Signer

WACZ_VERSION = "1.1.1"
DATAPACKAGE, DIGEST = "datapackage.json", "datapackage-digest.json"
PAGES, INDEX = "pages/pages.jsonl", "indexes/index.cdxj"
EVIDENCE_DIR, ARCHIVE_DIR = "evidence", "archive"
DIGEST_CONTEXT = b"ipwatch wacz datapackage digest v1\n"
SIGNED_DATA = "ipwatchSignedData"
MAX_PAGE_TITLE = 500
_STORED_PREFIXES = (ARCHIVE_DIR + "/", "indexes/")  # the spec recommends no compression here


@dataclass(frozen=True)
class WaczPage:
    """A pages.jsonl entry: the listing page a snapshot captured."""

    id: str
    url: str
    ts: str  # ISO-8601 UTC
    title: str


def warc_path(snapshot_id: str, artifact_name: str) -> str | None:
    """Where a snapshot's WARC artifact goes in ``archive/``; None for other artifacts."""
    if not artifact_name.endswith((".warc", ".warc.gz")):
        return None
    base = artifact_path(artifact_name).rsplit("/", 1)[-1]
    return f"{ARCHIVE_DIR}/{snapshot_id}-{base}"


def evidence_path(snapshot_id: str, bundle_part: str) -> str:
    """The WACZ path of one bundle part of a snapshot (WARCs go to ``archive/``)."""
    if not SNAPSHOT_ID_RE.fullmatch(snapshot_id):
        raise BundleError(f"{snapshot_id!r} is not a snapshot id")
    prefix = ARTIFACTS + "/"
    if bundle_part.startswith(prefix):
        moved = warc_path(snapshot_id, bundle_part[len(prefix) :])
        if moved:
            return moved
    return f"{EVIDENCE_DIR}/{snapshot_id}/{bundle_part}"


def sha256_label(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def digest_message(hash_label: str, created: str, software: str) -> bytes:
    """What the Ed25519 signature in datapackage-digest.json covers."""
    body = {"created": created, "hash": hash_label, "software": software}
    return DIGEST_CONTEXT + canonical_json(body)


def build_wacz(
    snapshots: dict[str, dict[str, bytes]],
    pages: list[WaczPage],
    *,
    signer: Signer,
    created: datetime,
    software: str,
    title: str,
    extras: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Every WACZ file by path: snapshots' bundle parts, index, pages, extras, datapackage."""
    files: dict[str, bytes] = {}
    index: list[str] = []
    for snapshot_id, parts in snapshots.items():
        for part, data in parts.items():
            path = evidence_path(snapshot_id, part)
            files[path] = data
            if path.startswith(ARCHIVE_DIR + "/"):
                index.extend(cdxj_lines(data, path.split("/", 1)[1]))
    if not index:
        raise BundleError("no WARC record to index; a WACZ needs at least one captured page")
    files[INDEX] = ("\n".join(sorted(index)) + "\n").encode("utf-8")
    files[PAGES] = _pages_jsonl(pages, title)
    for path, data in (extras or {}).items():
        if path in files or path in (DATAPACKAGE, DIGEST):
            raise BundleError(f"extra file {path} would replace a WACZ part")
        files[path] = data
    stamp = format_utc(created)
    datapackage = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title[:MAX_PAGE_TITLE],
        "description": "Sealed evidence exported by ipwatch; verify with `ipwatch evidence verify`",
        "created": stamp,
        "modified": stamp,
        "software": software,
        "mainPageUrl": pages[0].url if pages else None,
        "mainPageDate": pages[0].ts if pages else None,
        "resources": [
            {
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "hash": sha256_label(data),
                "bytes": len(data),
            }
            for path, data in sorted(files.items())
        ],
        "ipwatch": {"snapshots": sorted(snapshots), "evidence_dir": EVIDENCE_DIR},
    }
    files[DATAPACKAGE] = json.dumps(datapackage, indent=2, ensure_ascii=False).encode("utf-8")
    files[DIGEST] = _digest_file(files[DATAPACKAGE], signer, stamp, software)
    return files


def _pages_jsonl(pages: list[WaczPage], title: str) -> bytes:
    header = {"format": "json-pages-1.0", "id": "pages", "title": title[:MAX_PAGE_TITLE]}
    lines = [json.dumps(header, ensure_ascii=False)]
    for page in pages:
        entry = {"id": page.id, "url": page.url, "ts": page.ts, "title": page.title[:500]}
        lines.append(json.dumps(entry, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _digest_file(datapackage: bytes, signer: Signer, created: str, software: str) -> bytes:
    hash_label = sha256_label(datapackage)
    signature = signer.sign(digest_message(hash_label, created, software))
    spki = load_public_key(signer.public_key_pem()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = {
        "path": DATAPACKAGE,
        "hash": hash_label,
        SIGNED_DATA: {
            "hash": hash_label,
            "created": created,
            "software": software,
            "signature": base64.b64encode(signature).decode("ascii"),
            "publicKey": base64.b64encode(spki).decode("ascii"),
            "algorithm": "Ed25519",
            "keyId": signer.key_id,
            "publicKeyPem": signer.public_key_pem().decode("ascii"),
            "signedMessage": "'ipwatch wacz datapackage digest v1\\n' + canonical JSON of "
            "{created, hash, software} (sorted keys, no spaces)",
            "note": "ipwatch signs with Ed25519; the WACZ spec's signedData expects ECDSA "
            "P-256, so this signature is not in signedData and spec tools will not check it. "
            "`ipwatch evidence verify FILE.wacz --public-key KEY.pem` does.",
        },
    }
    return json.dumps(digest, indent=2).encode("utf-8")


def write_wacz(files: dict[str, bytes], out: Path, moment: datetime) -> Path:
    """Write the zip; WARCs and indexes are stored uncompressed, as the spec recommends."""
    if out.exists():
        raise BundleError(f"{out} already exists; choose a new path (packages are never merged)")
    out.parent.mkdir(parents=True, exist_ok=True)
    date_time = moment.timetuple()[:6]
    order = sorted(files, key=lambda p: (p in (DATAPACKAGE, DIGEST), p))
    with zipfile.ZipFile(out, "x") as zf:
        for path in order:
            info = zipfile.ZipInfo(path, date_time=date_time)
            stored = path.startswith(_STORED_PREFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[path])
    return out
