"""Self-contained evidence bundles: everything needed to verify one snapshot offline.

A bundle is a folder or a ``.zip`` (byte-for-byte reproducible: fixed dates, sorted names):

    manifest.json          the sealed manifest, exact bytes
    seal.json              signature, log index, inclusion proof and the signed tree head
    timestamp.tsr          RFC 3161 token over the manifest digest (when one was obtained)
    timestamp-error.json   why there is no token (when the TSA failed)
    public-key.pem         the sealing key's public half (compare its id with the published one)
    custody.jsonl          the snapshot's signed chain-of-custody events
    artifacts/<name>       every artifact the manifest lists (response.warc, images/...)
    README.txt             how to verify it
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence.exceptions import BlobNotFoundError, EvidenceError
from evidence.seal.manifest import parse_manifest

if TYPE_CHECKING:
    from evidence.seal.custody import CustodyLog
    from evidence.seal.seals import SealStore
    from evidence.storage.blobstore import BlobStore

MANIFEST, SEAL, TOKEN, TOKEN_ERROR = (
    "manifest.json",
    "seal.json",
    "timestamp.tsr",
    ("timestamp-error.json"),
)
PUBLIC_KEY, CUSTODY, ARTIFACTS, README = (
    "public-key.pem",
    "custody.jsonl",
    "artifacts",
    "README.txt",
)
MAX_PART_BYTES = 512 * 1024 * 1024  # one artifact; a bundle part larger than this is refused
_NAME_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_README = """\
Evidence bundle for snapshot {snapshot_id}, sealed by ipwatch.

Verify it offline with the public key the sealing organisation published:

    ipwatch evidence verify {name} --public-key their-key.pem [--tsa-ca tsa-root.pem]

Every check is reported as passed, failed or not checked; the exit status is 0 only when
nothing failed. Without --public-key the bundle's own public-key.pem is used and reported as
such: compare its key id with the published one.
"""


class BundleError(EvidenceError, ValueError):
    """A bundle cannot be written or read (exists already, unsafe name, too large)."""


def artifact_path(name: str) -> str:
    """The bundle path of an artifact; names from a manifest are checked so none escapes."""
    parts = name.split("/")
    if len(name) > 400 or not all(_NAME_PART.fullmatch(p) and p not in (".", "..") for p in parts):
        raise BundleError(f"artifact name {name[:80]!r} is not a safe relative path")
    return f"{ARTIFACTS}/{name}"


class HomeSource:
    """A workspace snapshot as an ``EvidenceSource``: blobs, seal folder, custody log."""

    def __init__(
        self,
        snapshot_id: str,
        *,
        store: BlobStore,
        seals: SealStore,
        custody: CustodyLog,
        public_key: bytes | None = None,
    ) -> None:
        self.snapshot_id = snapshot_id
        self.store, self.seals, self.custody = store, seals, custody
        self.public_key = public_key

    def seal_record_bytes(self) -> bytes | None:
        return self.seals.raw(self.snapshot_id)

    def manifest_bytes(self, sha256: str) -> bytes:
        return self.store.get(sha256)

    def artifact(self, artifact: dict[str, Any]) -> bytes:
        return self.store.get(artifact["sha256"])

    def timestamp_token(self) -> bytes | None:
        return self.seals.token(self.snapshot_id)

    def timestamp_error(self) -> str | None:
        error = self.seals.token_error(self.snapshot_id)
        return None if error is None else f"{error.get('at', '?')}: {error.get('error', '?')}"

    def custody_lines(self) -> list[bytes]:
        return self.custody.lines(self.snapshot_id)

    def bundled_public_key(self) -> bytes | None:
        return self.public_key


def read_zip_part(archive: zipfile.ZipFile, name: str, where: Path) -> bytes | None:
    """A member's bytes with the size cap, or None when the zip lacks it."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise BundleError(f"{name} in {where} is over {MAX_PART_BYTES} bytes")
    try:
        with archive.open(info) as fh:
            return fh.read(MAX_PART_BYTES + 1)[:MAX_PART_BYTES]
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:
        raise BundleError(
            f"{name} in {where} is corrupt: it cannot be decompressed ({exc})"
        ) from None


class PartsSource:
    """An ``EvidenceSource`` over a snapshot's bundle parts; subclasses say how a part is read.

    A bundle folder or zip and a snapshot inside a WACZ hold the same parts, so they verify the
    same way.
    """

    container = "the bundle"  # what a missing artifact is missing from
    location = "the bundle"  # where the parts live, for a missing manifest

    def part(self, name: str) -> bytes | None:
        """A part's bytes, or None when it is missing."""
        raise NotImplementedError

    def seal_record_bytes(self) -> bytes | None:
        return self.part(SEAL)

    def manifest_bytes(self, sha256: str) -> bytes:
        data = self.part(MANIFEST)
        if data is None:
            raise BundleError(f"{self.location} has no {MANIFEST}")
        return data

    def artifact(self, artifact: dict[str, Any]) -> bytes:
        data = self.part(artifact_path(artifact["name"]))
        if data is None:
            raise BlobNotFoundError(f"{artifact['name']} is missing from {self.container}")
        return data

    def timestamp_token(self) -> bytes | None:
        return self.part(TOKEN)

    def timestamp_error(self) -> str | None:
        data = self.part(TOKEN_ERROR)
        if data is None:
            return None
        try:
            error = json.loads(data)
            return f"{error.get('at', '?')}: {error.get('error', '?')}"
        except (ValueError, AttributeError):
            return "the recorded failure is unreadable"

    def custody_lines(self) -> list[bytes]:
        data = self.part(CUSTODY)
        return [] if not data else data.rstrip(b"\n").split(b"\n")

    def bundled_public_key(self) -> bytes | None:
        return self.part(PUBLIC_KEY)


class BundleSource(PartsSource):
    """A bundle folder or zip as an ``EvidenceSource``; nothing is extracted to disk."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        if self.path.is_dir():
            self._zip: zipfile.ZipFile | None = None
        elif zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
        else:
            raise BundleError(f"{self.path} is neither a bundle folder nor a zip file")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def part(self, name: str) -> bytes | None:
        return self.read(name)

    def read(self, name: str) -> bytes | None:
        """A part's bytes, or None when the bundle lacks it."""
        if self._zip is not None:
            return read_zip_part(self._zip, name, self.path)
        target = self.path / name
        if not target.is_file():
            return None
        if target.stat().st_size > MAX_PART_BYTES:
            raise BundleError(f"{target} is over {MAX_PART_BYTES} bytes")
        return target.read_bytes()


def bundle_parts(source: HomeSource) -> dict[str, bytes]:
    """Every file of the snapshot's bundle, by bundle path (artifacts read from the store)."""
    record = source.seal_record_bytes()
    if record is None:
        raise BundleError(
            f"{source.snapshot_id} has no seal record; only version-2 snapshots can be bundled "
            "(`ipwatch evidence verify` says what is wrong with it)"
        )
    from evidence.seal.seals import SealRecord

    sealed = SealRecord.from_json(record)
    manifest_bytes = source.manifest_bytes(sealed.manifest_sha256)
    manifest = parse_manifest(manifest_bytes)
    parts = {MANIFEST: manifest_bytes, SEAL: record}
    for artifact in manifest["artifacts"]:
        parts[artifact_path(artifact["name"])] = source.artifact(artifact)
    token = source.timestamp_token()
    if token is not None:
        parts[TOKEN] = token
    elif (error := source.seals.token_error(source.snapshot_id)) is not None:
        parts[TOKEN_ERROR] = json.dumps(error, sort_keys=True).encode("utf-8")
    if source.public_key is not None:
        parts[PUBLIC_KEY] = source.public_key
    lines = source.custody_lines()
    if lines:
        parts[CUSTODY] = b"\n".join(lines) + b"\n"
    return parts


def write_bundle(parts: dict[str, bytes], out: Path, snapshot_id: str) -> Path:
    """Write ``parts`` as a folder, or as a reproducible zip when ``out`` ends in ``.zip``."""
    parts = {**parts, README: _README.format(snapshot_id=snapshot_id, name=out.name).encode()}
    if out.exists() and (out.is_file() or any(out.iterdir())):
        raise BundleError(f"{out} already exists; choose a new path (bundles are never merged)")
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "x") as zf:
            for name in sorted(parts):
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, parts[name])
        return out
    for name in sorted(parts):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(parts[name])
    return out
