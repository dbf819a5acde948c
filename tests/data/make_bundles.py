"""Write the evidence bundles in tests/data/bundles/: one good, the others each broken one way.

Deterministic: a fixed key, clock and id source make every byte the same on every run. The one
thing that cannot be made so, an RFC 3161 token (a TSA stamps its own time), is fetched once
from a local `openssl ts` TSA and kept in ``bundles/_tokens/``; later runs reuse it.

    python -m tests.data.make_bundles              # rewrite tests/data/bundles
    python -m tests.data.make_bundles --out DIR    # write elsewhere (the tests compare)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from evidence.export.bundle import (
    SEAL,
    TOKEN,
    HomeSource,
    artifact_path,
    bundle_parts,
    write_bundle,
)
from evidence.seal.custody import CustodyLog
from evidence.seal.manifest import canonical_json
from evidence.seal.seals import SealRecord, manifest_message
from evidence.storage.blobstore import BlobStore
from evidence.timestamp import parse_timestamp_token, request_timestamp
from tests.evidence.evidence_samples import (
    OTHER_KEY_SEED,
    CountingIds,
    FixedClock,
    fixed_signer,
    make_sealer,
    seal_sample_v2,
)

HERE = Path(__file__).parent / "bundles"
TOKENS = "_tokens"
TARGET = 2  # bundle the third of four snapshots: its inclusion proof has two hashes
OTHER_DIGEST = hashlib.sha256(b"some other manifest").digest()
CASES = (
    "good",
    "tampered-artifact",
    "truncated-warc",
    "tampered-manifest",
    "resigned-manifest",
    "forged-inclusion-proof",
    "timestamp-other-digest",
    "broken-head-signature",
)


def good_parts(work: Path, tokens: Path) -> dict[str, bytes]:
    """Seal four sample snapshots with the fixed key; the bundle parts of the third."""
    clock, ids = FixedClock(), CountingIds()
    store = BlobStore(work / "blobs")
    sealer = make_sealer(work, clock)
    sealed = [seal_sample_v2(store, sealer, ids) for _ in range(4)][TARGET]
    digest = bytes.fromhex(sealed.manifest_sha256)
    sealer.seals.put_token(sealed.id, _token(tokens, "good.tsr", digest))
    custody = CustodyLog(work / "custody.jsonl", clock=clock)
    signer = sealer.signer
    custody.append(sealed.id, "verified", operator="make_bundles", signer=signer, detail="ok")
    custody.append(sealed.id, "bundled", operator="make_bundles", signer=signer)
    source = HomeSource(
        sealed.id,
        store=store,
        seals=sealer.seals,
        custody=custody,
        public_key=signer.public_key_pem(),
    )
    return bundle_parts(source)


def _token(tokens: Path, name: str, digest: bytes) -> bytes:
    """A stored token over ``digest``, or a fresh one from a local TSA (kept for next time)."""
    path = tokens / name
    if path.exists() and parse_timestamp_token(path.read_bytes()).hashed_message == digest:
        return path.read_bytes()
    from tests.services.tsa import LocalTsa

    with LocalTsa(name="ipwatch test-data TSA") as tsa:
        token = request_timestamp(digest, tsa.url).der
    tokens.mkdir(parents=True, exist_ok=True)
    path.write_bytes(token)
    return token


def variants(good: dict[str, bytes], tokens: Path) -> dict[str, dict[str, bytes]]:
    """Each case: the good parts with one thing broken, as an attacker or an accident would."""
    record = json.loads(good[SEAL])
    manifest = json.loads(good["manifest.json"])
    warc, image = artifact_path("response.warc"), artifact_path(manifest["artifacts"][1]["name"])
    out = {"good": dict(good)}

    out["tampered-artifact"] = {**good, image: _flip(good[image], 40)}
    out["truncated-warc"] = {**good, warc: good[warc][: len(good[warc]) // 2]}
    edited = canonical_json({**manifest, "listing": {**manifest["listing"], "title": "Genuine"}})
    out["tampered-manifest"] = {**good, "manifest.json": edited}

    other = fixed_signer(OTHER_KEY_SEED)
    forged_manifest = canonical_json(
        {
            **manifest,
            "listing": {**manifest["listing"], "title": "Genuine"},
            "signer": {**manifest["signer"], "key_id": other.key_id},
        }
    )
    forged_sha = hashlib.sha256(forged_manifest).hexdigest()
    forged = SealRecord.from_json(good[SEAL])
    forged = SealRecord(
        snapshot_id=forged.snapshot_id,
        manifest_sha256=forged_sha,
        key_id=other.key_id,
        signature=other.sign(manifest_message(forged_manifest)).hex(),
        log_index=forged.log_index,
        inclusion_proof=forged.inclusion_proof,
        tree_head=forged.tree_head,
    )
    out["resigned-manifest"] = {
        **good,
        "manifest.json": forged_manifest,
        SEAL: forged.to_json(),
        "public-key.pem": other.public_key_pem(),
    }

    proof = list(record["log"]["inclusion_proof"])
    proof[0] = _flip_hex(proof[0])
    forged_proof = {**record, "log": {**record["log"], "inclusion_proof": proof}}
    out["forged-inclusion-proof"] = {**good, SEAL: canonical_json(forged_proof)}

    out["timestamp-other-digest"] = {**good, TOKEN: _token(tokens, "other.tsr", OTHER_DIGEST)}

    head = dict(record["log"]["tree_head"])
    head["signature"] = _flip_hex(head["signature"])
    broken_head = {**record, "log": {**record["log"], "tree_head": head}}
    out["broken-head-signature"] = {**good, SEAL: canonical_json(broken_head)}
    assert list(out) == list(CASES)
    return out


def _flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


def _flip_hex(text: str) -> str:
    return ("1" if text[0] == "0" else "0") + text[1:]


def build(out: Path, tokens: Path) -> None:
    """Write every case folder under ``out`` (replacing them); tokens are read from ``tokens``."""
    with tempfile.TemporaryDirectory() as work:
        good = good_parts(Path(work), tokens)
    snapshot_id = json.loads(good[SEAL])["snapshot_id"]
    for name, parts in variants(good, tokens).items():
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        write_bundle(parts, target, snapshot_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the bundles")
    args = parser.parse_args(argv)
    build(args.out, HERE / TOKENS)
    print(f"wrote {len(CASES)} bundles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
