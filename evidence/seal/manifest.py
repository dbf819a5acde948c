"""Canonical JSON (RFC 8785 spirit) and the snapshot manifest that seals a capture.

Version 1 manifests were committed to the hash-chained ledger; version 2 adds ``signer`` (the
Ed25519 key id whose signature and tree heads vouch for it) and goes to the transparency log.
Both stay readable: sealed evidence is never rewritten.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from evidence.exceptions import ManifestError

MANIFEST_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)
SIGNATURE_ALGORITHM = "Ed25519"
_TOP_KEYS = ("version", "snapshot_id", "captured_at", "capture", "listing", "findings", "artifacts")
_V2_KEYS = ("signer",)
_ARTIFACT_KEYS = ("name", "sha256", "size", "media_type")


def canonical_json(value: Any) -> bytes:
    """One byte form per value: sorted keys, no spaces, UTF-8, no floats (they round unevenly)."""
    parts: list[str] = []
    _emit(value, parts, "$")
    try:
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ManifestError(
            f"text with an unpaired surrogate cannot be sealed ({exc.reason}); "
            "decode listing text with errors='replace' before sealing"
        ) from None


def _emit(value: Any, out: list[str], where: str) -> None:
    if value is None or isinstance(value, bool):
        out.append(json.dumps(value))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, float):
        raise ManifestError(
            f"float at {where} cannot be hashed reproducibly; store it as a decimal string"
        )
    elif isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise ManifestError(f"non-string key {key!r} at {where}; JSON keys must be strings")
        # RFC 8785 orders keys by their UTF-16 code units, not by code points.
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        out.append("{")
        for i, key in enumerate(keys):
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _emit(value[key], out, f"{where}.{key}")
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _emit(item, out, f"{where}[{i}]")
        out.append("]")
    else:
        raise ManifestError(
            f"{type(value).__name__} at {where} is not JSON; convert it to str, int, list or dict"
        )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def format_utc(moment: datetime) -> str:
    """ISO-8601 in UTC with a ``Z``; microseconds only when present, so whole seconds stay short."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ManifestError(
            f"naive datetime {moment.isoformat()} is ambiguous; pass an aware one "
            "(datetime.now(UTC))"
        )
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


def parse_utc(text: str) -> datetime:
    """Inverse of ``format_utc``."""
    if not text.endswith("Z"):
        raise ManifestError(f"timestamp {text!r} is not UTC with a trailing Z")
    try:
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError as exc:
        raise ManifestError(f"timestamp {text!r} is not ISO-8601: {exc}") from None


def score_text(score: float | str) -> str:
    """Scores go into hashed data as the shortest round-tripping decimal string."""
    if isinstance(score, str):
        return score
    value = float(score)
    if value != value or value in (float("inf"), float("-inf")):
        raise ManifestError(f"score {score!r} is not a finite number; fix the detector output")
    return repr(value)


def build_manifest(
    *,
    snapshot_id: str,
    captured_at: datetime,
    capture: dict[str, Any],
    listing: dict[str, Any],
    findings: list[dict[str, Any]],
    artifacts: list[dict[str, Any]],
    signer_key_id: str | None = None,
    browser: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble a manifest; ``canonical_json`` of it is what gets hashed, signed and stored.

    With ``signer_key_id`` it is version 2 (signed, transparency log); without, version 1
    (hash-chained ledger), kept so old workspaces and their tests can still be produced.
    ``browser`` is the browser capture's metadata (optional: absent when none was made).
    """
    manifest: dict[str, Any] = {
        "version": 2 if signer_key_id else 1,
        "snapshot_id": snapshot_id,
        "captured_at": format_utc(captured_at),
        "capture": capture,
        "listing": listing,
        "findings": findings,
        "artifacts": artifacts,
    }
    if browser is not None:
        manifest["browser"] = browser
    if signer_key_id:
        manifest["signer"] = {"algorithm": SIGNATURE_ALGORITHM, "key_id": signer_key_id}
    canonical_json(manifest)  # fail now, with a path to the bad value, not at hashing time
    return manifest


def parse_manifest(data: bytes) -> dict[str, Any]:
    """Parse stored manifest bytes and check they are canonical and of a known version."""
    try:
        manifest = json.loads(data.decode("utf-8"), parse_float=_reject_float)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"manifest is not UTF-8 JSON: {exc}") from None
    if not isinstance(manifest, dict):
        raise ManifestError("manifest is not a JSON object")
    missing = [key for key in _TOP_KEYS if key not in manifest]
    if missing:
        raise ManifestError(f"manifest lacks {', '.join(missing)}")
    version = manifest["version"]
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise ManifestError(f"manifest version {version!r} is not supported; upgrade ipwatch")
    if version >= 2:
        missing = [key for key in _V2_KEYS if key not in manifest]
        signer = manifest.get("signer")
        if missing or not (
            isinstance(signer, dict)
            and signer.get("algorithm") == SIGNATURE_ALGORITHM
            and isinstance(signer.get("key_id"), str)
        ):
            raise ManifestError(
                f"version {version} manifest lacks a signer with algorithm "
                f"{SIGNATURE_ALGORITHM} and a key_id"
            )
    artifacts = manifest["artifacts"]
    if not isinstance(artifacts, list) or not all(
        isinstance(a, dict) and all(k in a for k in _ARTIFACT_KEYS) for a in artifacts
    ):
        raise ManifestError(f"manifest artifacts must be objects with {', '.join(_ARTIFACT_KEYS)}")
    if canonical_json(manifest) != data:
        raise ManifestError("manifest bytes are not in canonical form; they were re-encoded")
    return manifest


def _reject_float(text: str) -> Any:
    raise ManifestError(f"manifest holds the float {text}; sealed manifests never contain floats")
