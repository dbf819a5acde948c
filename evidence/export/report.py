"""What an evidence report shows, gathered from a snapshot's sealed bundle parts.

Everything comes from the parts that are also in the WACZ (manifest, seal record, timestamp
token, custody events, artifacts), so the report states only what a verifier can check. The
index and registry add what the manifest does not seal: the signals' evidence (matched span,
matched image pair) and the registered image, passed in as plain values and lookups.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PIL import Image as PILImage

from evidence.export.bundle import CUSTODY, MANIFEST, SEAL, TOKEN, artifact_path
from evidence.seal.custody import CustodyEvent, parse_event
from evidence.seal.manifest import format_utc, sha256_hex
from evidence.seal.seals import SealRecord
from evidence.timestamp import TimestampError, parse_timestamp_token

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

INLINE_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
MAX_TEXT = 2000  # listing text shown in a report is cut here


@dataclass(frozen=True)
class ImageFile:
    data: bytes
    media_type: str
    label: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Comparison:
    """One finding the snapshot is evidence for: the asset beside what the listing shows."""

    finding_id: str
    asset_id: str
    asset_name: str
    registration_number: str | None
    owner: str
    risk: str
    signals: list[dict[str, str]]
    registered_image: ImageFile | None = None
    listing_image: ImageFile | None = None
    mark: str | None = None
    listing_text: str = ""
    span: tuple[int, int] | None = None  # the matched characters of ``listing_text``
    region: tuple[float, float, float, float] | None = None  # found box, fractions of the image


@dataclass(frozen=True)
class TimelineEvent:
    at: str
    what: str
    who: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SnapshotReport:
    snapshot_id: str
    url: str
    marketplace: str
    title: str
    seller: str
    captured_at: str
    manifest_sha256: str
    key_id: str
    log_index: int
    tree_size: int
    tree_root: str
    hashes: list[tuple[str, str, int]]  # (file in the WACZ, sha256, bytes)
    timeline: list[TimelineEvent]
    comparisons: list[Comparison]
    screenshot: ImageFile | None = None
    price: str = ""  # "12.99 USD" as sealed in the manifest; empty when the listing had none
    timestamped: bool = False  # an RFC 3161 token is part of the snapshot


@dataclass(frozen=True)
class CaseReport:
    title: str
    created: str
    software: str
    package_name: str
    key_id: str
    snapshots: list[SnapshotReport] = field(default_factory=list)
    operator: str = ""  # who exported the package (the custody log's operator)

    @property
    def timestamped(self) -> bool:
        """Any snapshot carries an RFC 3161 token, so the verify steps include the TSA's."""
        return any(s.timestamped for s in self.snapshots)


def snapshot_report(
    parts: Mapping[str, bytes],
    *,
    wacz_path: Callable[[str], str],
    finding_signals: Mapping[str, list[dict[str, Any]]] | None = None,
    asset_name: Callable[[str], str | None] = lambda _: None,
    reference_image: Callable[[str], ImageFile | None] = lambda _: None,
) -> SnapshotReport:
    """Build one snapshot's report from its bundle parts; ``wacz_path`` maps part -> zip path."""
    manifest = json.loads(parts[MANIFEST])
    record = SealRecord.from_json(parts[SEAL])
    by_sha = {a["sha256"]: a for a in manifest["artifacts"]}

    def artifact_image(sha: str) -> ImageFile | None:
        artifact = by_sha.get(sha)
        if artifact is None:
            return None
        data = parts.get(artifact_path(artifact["name"]))
        if data is None:
            return None
        return ImageFile(data, artifact["media_type"], artifact["name"], sha)

    screenshot = next(
        (
            artifact_image(a["sha256"])
            for a in manifest["artifacts"]
            if a["name"].rsplit("/", 1)[-1].startswith("screenshot")
            and a["media_type"] in INLINE_IMAGE_TYPES
        ),
        None,
    )
    listing = manifest["listing"]
    seller = listing.get("seller") or {}
    comparisons = [
        _comparison(
            citation,
            (finding_signals or {}).get(citation["finding_id"]),
            listing.get("title") or "",
            asset_name,
            reference_image,
            artifact_image,
        )
        for citation in manifest["findings"]
    ]
    hashes = [(wacz_path(MANIFEST), sha256_hex(parts[MANIFEST]), len(parts[MANIFEST]))]
    for artifact in manifest["artifacts"]:
        path = wacz_path(artifact_path(artifact["name"]))
        hashes.append((path, artifact["sha256"], int(artifact["size"])))
    hashes.append((wacz_path(SEAL), sha256_hex(parts[SEAL]), len(parts[SEAL])))
    return SnapshotReport(
        snapshot_id=record.snapshot_id,
        url=str(listing.get("url") or manifest["capture"].get("final_url") or ""),
        marketplace=str(listing.get("marketplace") or ""),
        title=str(listing.get("title") or "")[:MAX_TEXT],
        seller=" ".join(str(v) for v in (seller.get("name"), seller.get("id")) if v)[:MAX_TEXT],
        captured_at=manifest["captured_at"],
        manifest_sha256=record.manifest_sha256,
        key_id=record.key_id,
        log_index=record.log_index,
        tree_size=record.tree_head.size,
        tree_root=record.tree_head.root,
        hashes=hashes,
        timeline=_timeline(manifest, record, parts),
        comparisons=comparisons,
        screenshot=screenshot,
        price=_price(listing.get("price")),
        timestamped=TOKEN in parts,
    )


def _price(sealed: object) -> str:
    if not isinstance(sealed, dict) or not sealed.get("amount"):
        return ""
    return " ".join(str(v) for v in (sealed.get("amount"), sealed.get("currency")) if v)[:40]


IMAGE_SIGNALS = ("image_copy", "logo")  # signals that pair a registered and a listing image


def _region(bbox: object, image: ImageFile | None) -> tuple[float, float, float, float] | None:
    """The box where a logo or pasted photo was found, as fractions of the listing image."""
    if image is None or not isinstance(bbox, list) or len(bbox) != 4:
        return None
    if not all(isinstance(v, int | float) for v in bbox):
        return None
    try:
        with PILImage.open(io.BytesIO(image.data)) as im:
            width, height = im.size
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None
    x0, y0, x1, y1 = (float(v) for v in bbox)
    fractions = (x0 / width, y0 / height, x1 / width, y1 / height)
    clipped = tuple(min(1.0, max(0.0, f)) for f in fractions)
    if clipped[2] <= clipped[0] or clipped[3] <= clipped[1]:
        return None
    return clipped  # type: ignore[return-value]


def _comparison(
    citation: dict[str, Any],
    indexed: list[dict[str, Any]] | None,
    title: str,
    asset_name: Callable[[str], str | None],
    reference_image: Callable[[str], ImageFile | None],
    artifact_image: Callable[[str], ImageFile | None],
) -> Comparison:
    signals = [
        {"kind": str(s["kind"]), "score": str(s["score"]), "detail": str(s["detail"])[:MAX_TEXT]}
        for s in citation["signals"]
    ]
    name = asset_name(citation["asset_id"]) or citation["asset_id"]
    found: dict[str, Any] = {"asset_name": name}
    for signal in indexed or []:
        evidence = signal.get("evidence") or {}
        if signal.get("kind") in IMAGE_SIGNALS and "registered_image" not in found:
            found["registered_image"] = reference_image(str(evidence.get("reference_sha256")))
            found["listing_image"] = artifact_image(str(evidence.get("listing_image_sha256")))
            found["region"] = _region(evidence.get("bbox"), found["listing_image"])
        if signal.get("kind") == "word_mark" and "mark" not in found:
            found["mark"] = str(evidence.get("form") or name)
            start, end = evidence.get("start"), evidence.get("end")
            if evidence.get("field") == "title" and isinstance(start, int) and isinstance(end, int):
                if 0 <= start < end <= len(title) and title[start:end] == evidence.get("text"):
                    found["span"] = (start, end)
                found["listing_text"] = title[:MAX_TEXT]
            else:
                found["listing_text"] = str(evidence.get("text") or "")[:MAX_TEXT]
    if "mark" not in found and "registered_image" not in found:
        found["mark"], found["listing_text"] = name, title[:MAX_TEXT]
    return Comparison(
        finding_id=str(citation["finding_id"]),
        asset_id=str(citation["asset_id"]),
        registration_number=citation.get("registration_number"),
        owner=str(citation.get("owner") or ""),
        risk=str(citation.get("risk") or ""),
        signals=signals,
        **found,
    )


def _timeline(
    manifest: dict[str, Any], record: SealRecord, parts: Mapping[str, bytes]
) -> list[TimelineEvent]:
    capture = manifest["capture"]
    tool = capture.get("tool") or {}
    events = [
        TimelineEvent(
            manifest["captured_at"],
            "captured",
            f"{tool.get('name', 'ipwatch')} {tool.get('version', '')}".strip(),
            f"HTTP {capture.get('status')} from {capture.get('server_ip') or 'unknown IP'}, "
            f"user agent {capture.get('user_agent')}",
        ),
        TimelineEvent(
            record.tree_head.timestamp,
            "sealed",
            f"key {record.key_id[:16]}…",
            f"manifest signed; entry {record.log_index} of the transparency log, "
            f"signed tree head of size {record.tree_head.size}",
        ),
    ]
    token = parts.get(TOKEN)
    if token is not None:
        try:
            parsed = parse_timestamp_token(token)
            events.append(
                TimelineEvent(
                    format_utc(parsed.gen_time),
                    "timestamped",
                    parsed.tsa_name or parsed.signer or "RFC 3161 TSA",
                    f"RFC 3161 token, serial {parsed.serial_number}",
                )
            )
        except TimestampError as exc:
            events.append(TimelineEvent("", "timestamp unreadable", "", str(exc)[:300]))
    for line in (parts.get(CUSTODY) or b"").splitlines():
        event = parse_event(line)
        if isinstance(event, CustodyEvent):
            events.append(TimelineEvent(event.at, event.action, event.operator, event.detail))
    return sorted(events, key=lambda e: e.at)
