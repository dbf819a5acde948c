"""WACZ 1.1.1 packages of sealed snapshots: replayable web archive and offline evidence in one zip.

Layout (the spec's required parts first, then what ``ipwatch evidence verify`` needs):

    archive/<snapshot id>-response.warc     each snapshot's sealed WARCs, stored uncompressed
    indexes/index.cdx                       CDXJ over every WARC (SURT key, time, JSON)
    pages/pages.jsonl                       one page per snapshot (the listing URL)
    evidence/<snapshot id>~manifest.json    the snapshot's bundle parts (evidence/export/bundle.py),
    evidence/<snapshot id>~seal.json        one folder deep, "/" inside a part written as "~":
    evidence/<snapshot id>~artifacts~...    seal record, token, public key, custody, artifacts
    report/report.html, report/report.pdf   the human-readable report (when made)
    datapackage.json                        every file above with its sha256 and size
    datapackage-digest.json                 sha256 of datapackage.json, signed (see below)

Every file sits exactly one folder deep because `wacz validate` (py-wacz) matches files to
datapackage.json by their last two path segments; resource names are the lower-cased paths,
which the frictionless data-package rules accept (``^[-a-z0-9._/]+$``, unique). pywb reads
``indexes/*.cdx`` and ReplayWeb.page ``indexes/*.cdx|*.cdxj``, hence ``index.cdx``.

Two signatures cover datapackage.json: ``signedData`` is the WACZ Auth 0.1.0 anonymous ECDSA
signature that spec tools check (evidence/export/wacz_auth.py), and ``ipwatchSignedData`` the
workspace's Ed25519 key, the one ``ipwatch evidence verify`` trusts: the same fields plus the
algorithm, the key id and the exact bytes signed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization

from evidence.export.bundle import ARTIFACTS, BundleError, artifact_path
from evidence.export.cdxj import cdxj_lines
from evidence.export.wacz_auth import add_time_signature
from evidence.seal.manifest import canonical_json, format_utc
from evidence.seal.seals import SNAPSHOT_ID_RE
from evidence.seal.signing import load_public_key
from evidence.timestamp.errors import TimestampError

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from pathlib import Path

    from evidence.export.wacz_auth import WaczSigner
    from evidence.seal.signing import Signer

WACZ_VERSION = "1.1.1"
DATAPACKAGE, DIGEST = "datapackage.json", "datapackage-digest.json"
PAGES, INDEX = "pages/pages.jsonl", "indexes/index.cdx"
EVIDENCE_DIR, ARCHIVE_DIR = "evidence", "archive"
DIGEST_CONTEXT = b"ipwatch wacz datapackage digest v1\n"
SIGNED_DATA = "ipwatchSignedData"
SPEC_SIGNED_DATA = "signedData"  # WACZ Auth 0.1.0 (evidence/export/wacz_auth.py)
SPEC_KEY = "waczPublicKey"  # in ipwatchSignedData: the ECDSA key the Ed25519 signature vouches for
MAX_PAGE_TITLE = 500
PART_SEP = "~"  # "/" inside a bundle part; no artifact name may hold it (bundle.artifact_path)
_NAME_UNSAFE = re.compile(r"[^-a-z0-9._/]")
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
    """The WACZ path of one bundle part of a snapshot (WARCs go to ``archive/``).

    ``evidence/<id>~<part>`` with the part's "/" written as "~": one folder deep, and one path
    per part, since no snapshot id or bundle part name holds "~".
    """
    if not SNAPSHOT_ID_RE.fullmatch(snapshot_id):
        raise BundleError(f"{snapshot_id!r} is not a snapshot id")
    prefix = ARTIFACTS + "/"
    if bundle_part.startswith(prefix):
        moved = warc_path(snapshot_id, bundle_part[len(prefix) :])
        if moved:
            return moved
    if PART_SEP in bundle_part:
        raise BundleError(f"bundle part {bundle_part[:80]!r} holds {PART_SEP!r}")
    return f"{EVIDENCE_DIR}/{snapshot_id}{PART_SEP}{bundle_part.replace('/', PART_SEP)}"


def snapshot_ids_in(names: set[str] | list[str]) -> list[str]:
    """The snapshot ids whose parts are among the WACZ member ``names``."""
    prefix = EVIDENCE_DIR + "/"
    found = {
        name[len(prefix) :].split(PART_SEP, 1)[0]
        for name in names
        if name.startswith(prefix) and PART_SEP in name
    }
    return sorted(s for s in found if SNAPSHOT_ID_RE.fullmatch(s))


def resource_names(paths: list[str]) -> dict[str, str]:
    """A frictionless resource name per path: lower case, ``[-a-z0-9._/]`` only, unique."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for path in sorted(paths):
        base = _NAME_UNSAFE.sub("-", path.lower())
        name, n = base, 1
        while name in taken:  # paths differing only in case, or in unsafe characters
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        names[path] = name
    return names


def sha256_label(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def digest_message(
    hash_label: str, created: str, software: str, spec_key: str | None = None
) -> bytes:
    """What the Ed25519 signature in datapackage-digest.json covers.

    ``spec_key`` is the base64 ECDSA key of ``signedData``: signing it vouches for that key, so
    whoever trusts the Ed25519 key can trust the spec signature too.
    """
    body = {"created": created, "hash": hash_label, "software": software}
    if spec_key is not None:
        body[SPEC_KEY] = spec_key
    return DIGEST_CONTEXT + canonical_json(body)


def build_wacz(
    snapshots: dict[str, dict[str, bytes]],
    pages: list[WaczPage],
    *,
    signer: Signer,
    wacz_signer: WaczSigner,
    created: datetime,
    software: str,
    title: str,
    extras: dict[str, bytes] | None = None,
    time_stamp: Callable[[bytes], bytes] | None = None,
) -> dict[str, bytes]:
    """Every WACZ file by path: snapshots' bundle parts, index, pages, extras, datapackage.

    ``time_stamp`` (a TSA: SHA-256 digest in, RFC 3161 token out) adds the spec signature's
    optional ``timeSignature``; when the TSA fails the package is still signed, and
    datapackage-digest.json says why the time signature is missing.
    """
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
    names = resource_names(list(files))
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
                "name": names[path],
                "path": path,
                "hash": sha256_label(data),
                "bytes": len(data),
            }
            for path, data in sorted(files.items())
        ],
        "ipwatch": {"snapshots": sorted(snapshots), "evidence_dir": EVIDENCE_DIR},
    }
    files[DATAPACKAGE] = json.dumps(datapackage, indent=2, ensure_ascii=False).encode("utf-8")
    files[DIGEST] = _digest_file(
        files[DATAPACKAGE], signer, wacz_signer, stamp, software, time_stamp
    )
    return files


def _pages_jsonl(pages: list[WaczPage], title: str) -> bytes:
    header = {"format": "json-pages-1.0", "id": "pages", "title": title[:MAX_PAGE_TITLE]}
    lines = [json.dumps(header, ensure_ascii=False)]
    for page in pages:
        entry = {"id": page.id, "url": page.url, "ts": page.ts, "title": page.title[:500]}
        lines.append(json.dumps(entry, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _digest_file(
    datapackage: bytes,
    signer: Signer,
    wacz_signer: WaczSigner,
    created: str,
    software: str,
    time_stamp: Callable[[bytes], bytes] | None,
) -> bytes:
    hash_label = sha256_label(datapackage)
    spec_key = wacz_signer.public_key_b64
    spec_signed = wacz_signer.signed_data(hash_label, created, software)
    time_error = None
    if time_stamp is not None:
        try:
            add_time_signature(spec_signed, time_stamp)
        except TimestampError as exc:
            time_error = f"no timeSignature: {str(exc)[:300]}"
    signature = signer.sign(digest_message(hash_label, created, software, spec_key))
    spki = load_public_key(signer.public_key_pem()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    ours: dict[str, str] = {
        "hash": hash_label,
        "created": created,
        "software": software,
        "signature": base64.b64encode(signature).decode("ascii"),
        "publicKey": base64.b64encode(spki).decode("ascii"),
        "algorithm": "Ed25519",
        "keyId": signer.key_id,
        "publicKeyPem": signer.public_key_pem().decode("ascii"),
        SPEC_KEY: spec_key,
        "signedMessage": "'ipwatch wacz datapackage digest v1\\n' + canonical JSON of "
        f"{{created, hash, software, {SPEC_KEY}}} (sorted keys, no spaces)",
        "note": "signedData is the WACZ Auth 0.1.0 anonymous ECDSA P-384 signature that "
        "spec tools check; this Ed25519 signature vouches for its key. "
        "`ipwatch evidence verify FILE.wacz --public-key KEY.pem` checks both.",
    }
    if time_error is not None:
        ours["timeSignatureError"] = time_error
    digest = {
        "path": DATAPACKAGE,
        "hash": hash_label,
        SPEC_SIGNED_DATA: spec_signed,
        SIGNED_DATA: ours,
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
