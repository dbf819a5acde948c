"""Seal a captured page: WARC, images and a canonical manifest into blobs, then commit it.

A ``Sealer`` commits version-2 manifests (signature, transparency log, signed tree head,
optional timestamp); a ``Ledger`` commits version-1 ones, kept for workspaces made before.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from config.version import TOOL_VERSION
from evidence.capture.browser_warc import BROWSER_WARC_NAME, build_browser_warc
from evidence.capture.tls_peer import chain_pem
from evidence.capture.warc import WARC_MEDIA_TYPE, build_exchange_warc, record_ids_for
from evidence.exceptions import SnapshotError
from evidence.seal.manifest import build_manifest, canonical_json, score_text
from model import Listing, SnapshotRef

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from evidence.capture.browser_record import BrowserCapture
    from evidence.seal.ledger import Ledger
    from evidence.seal.signing import Signer
    from evidence.storage.blobstore import BlobStore
    from model import Signal

WARC_NAME = "response.warc"
SCREENSHOT_NAME = "screenshot.png"
RENDERED_HTML_NAME = "rendered.html"
TLS_CHAIN_NAME = "tls/chain.pem"
_ID_RE = re.compile(r"[0-9a-f]{20,}")
_MEDIA_TYPE_RE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
    "image/svg+xml": "svg",
}


class Committed(Protocol):
    """Where a commit put the manifest: its transparency-log index (or a placeholder)."""

    @property
    def log_index(self) -> int: ...


class Committer(Protocol):
    """What ``seal`` commits through: the workspace's ``Sealer``, or a hand-off to the one
    sealer of a distributed run (``crawler.distributed.sealing``), which commits it later."""

    @property
    def signer(self) -> Signer: ...

    def commit(
        self, snapshot_id: str, manifest_bytes: bytes, manifest_sha256: str
    ) -> Committed: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def random_id() -> str:
    """128 random bits as hex; tests pass a counter instead so seals are reproducible."""
    return secrets.token_hex(16)


def tool_version() -> str:
    """The ipwatch version recorded in every manifest."""
    return TOOL_VERSION


@dataclass(frozen=True)
class Capture:
    """One HTTP exchange as fetched; headers are ordered (name, value) pairs, repeats kept."""

    requested_url: str
    final_url: str
    status: int
    request_headers: Sequence[tuple[str, str]]
    response_headers: Sequence[tuple[str, str]]
    body: bytes
    captured_at: datetime
    user_agent: str
    server_ip: str | None = None
    crawl_run_id: str | None = None
    body_decoded: bool = False  # True when the client already undid gzip/chunked encoding


@dataclass(frozen=True)
class CapturedImage:
    url: str
    data: bytes
    media_type: str


@dataclass(frozen=True)
class Citation:
    """A finding the snapshot is evidence for; signals are detector ``Signal``s or dicts."""

    finding_id: str
    asset_id: str
    registration_number: str | None
    owner: str
    risk: float | str
    signals: Sequence[Signal | Mapping[str, Any]] = ()


@dataclass(frozen=True)
class ListingInfo:
    id: str
    url: str
    marketplace: str
    title: str
    item_id: str | None = None
    seller_id: str | None = None
    seller_name: str | None = None
    seller_url: str | None = None
    price: str | None = None  # decimal string; sealed, as a price-floor claim rests on it
    currency: str | None = None

    @classmethod
    def from_listing(cls, listing: Listing, item_id: str | None = None) -> ListingInfo:
        seller = listing.seller
        return cls(
            id=listing.id,
            url=listing.url,
            marketplace=listing.marketplace,
            title=listing.title,
            item_id=item_id,
            seller_id=seller.id if seller else None,
            seller_name=seller.name if seller else None,
            seller_url=seller.url if seller else None,
            price=None if listing.price is None else str(listing.price),
            currency=listing.currency,
        )


@dataclass(frozen=True)
class Artifact:
    name: str
    sha256: str
    size: int
    media_type: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
        }


@dataclass(frozen=True)
class SealedSnapshot:
    id: str
    manifest_sha256: str
    ledger_seq: int  # position in the transparency log (v2) or the hash-chained ledger (v1)
    captured_at: datetime
    url: str
    artifacts: tuple[Artifact, ...] = field(default_factory=tuple)

    def to_record(self, listing_id: str, finding_ids: Sequence[str]) -> SnapshotRef:
        return SnapshotRef(
            id=self.id,
            finding_ids=list(finding_ids),
            listing_id=listing_id,
            manifest_sha256=self.manifest_sha256,
            ledger_seq=self.ledger_seq,
            captured_at=self.captured_at,
            url=self.url,
            artifacts=[a.to_dict() for a in self.artifacts],
        )


def seal(
    capture: Capture,
    listing_info: ListingInfo | Listing,
    images: Sequence[CapturedImage],
    citations: Sequence[Citation],
    *,
    store: BlobStore,
    sealer: Committer | None = None,
    ledger: Ledger | None = None,
    clock: Callable[[], datetime] = utc_now,
    new_id: Callable[[], str] = random_id,
    browser: BrowserCapture | None = None,
) -> SealedSnapshot:
    """Store every artifact, then the manifest, then commit it (the log or ledger append).

    Pass ``sealer`` (version 2); ``ledger`` (version 1) only to reproduce old workspaces.
    ``browser`` adds the browser capture (complete or failed) as artifacts and metadata.
    """
    if (sealer is None) == (ledger is None):
        raise SnapshotError("seal needs exactly one of sealer= (current) or ledger= (legacy)")
    if isinstance(listing_info, Listing):
        listing_info = ListingInfo.from_listing(listing_info)
    token = str(new_id()).lower()
    if not _ID_RE.fullmatch(token):
        raise SnapshotError(
            f"id source returned {token!r}; it must return at least 20 hex characters"
        )
    snapshot_id = f"S-{token[:20]}"

    warc = build_exchange_warc(
        url=capture.final_url,
        status=capture.status,
        request_headers=capture.request_headers,
        response_headers=capture.response_headers,
        body=capture.body,
        captured_at=capture.captured_at,
        record_ids=record_ids_for(snapshot_id),
        server_ip=capture.server_ip,
        body_decoded=capture.body_decoded,
    )
    artifacts = [Artifact(WARC_NAME, store.put(warc), len(warc), WARC_MEDIA_TYPE)]
    for n, image in enumerate(images, start=1):
        media_type = _media_type(image.media_type)
        sha = store.put(image.data)
        name = f"images/{n}-{sha[:12]}.{_EXTENSIONS.get(media_type, 'bin')}"
        artifacts.append(Artifact(name, sha, len(image.data), media_type))
    if browser is not None:
        artifacts += _browser_artifacts(browser, snapshot_id, store)

    manifest = build_manifest(
        snapshot_id=snapshot_id,
        captured_at=capture.captured_at,
        capture=_capture_dict(capture),
        listing=_listing_dict(listing_info),
        findings=[_citation_dict(c) for c in citations],
        artifacts=[a.to_dict() for a in artifacts],
        signer_key_id=sealer.signer.key_id if sealer else None,
        browser=browser.metadata() if browser is not None else None,
    )
    manifest_bytes = canonical_json(manifest)
    manifest_sha = store.put(manifest_bytes)
    if sealer is not None:
        position = sealer.commit(snapshot_id, manifest_bytes, manifest_sha).log_index
    else:
        assert ledger is not None
        position = ledger.append(snapshot_id, manifest_sha, clock()).seq
    return SealedSnapshot(
        id=snapshot_id,
        manifest_sha256=manifest_sha,
        ledger_seq=position,
        captured_at=capture.captured_at,
        url=capture.final_url,
        artifacts=tuple(artifacts),
    )


def _browser_artifacts(
    browser: BrowserCapture, snapshot_id: str, store: BlobStore
) -> list[Artifact]:
    """Whatever the browser obtained; a failed capture may have some, none, or all of these."""
    parts: list[tuple[str, bytes | None, str]] = [
        (SCREENSHOT_NAME, browser.screenshot, "image/png"),
        (RENDERED_HTML_NAME, browser.rendered_html, "text/html"),
    ]
    if browser.exchanges:
        warc = build_browser_warc(
            browser.exchanges, snapshot_id=snapshot_id, captured_at=browser.captured_at
        )
        parts.insert(0, (BROWSER_WARC_NAME, warc, WARC_MEDIA_TYPE))
    if browser.tls is not None and browser.tls.chain:
        parts.append((TLS_CHAIN_NAME, chain_pem(browser.tls), "application/x-pem-file"))
    return [
        Artifact(name, store.put(data), len(data), media_type)
        for name, data, media_type in parts
        if data
    ]


def _media_type(raw: str) -> str:
    """Listing-supplied media types are untrusted: keep only a well-formed ``type/subtype``."""
    value = str(raw).split(";", 1)[0].strip().lower()
    return value if _MEDIA_TYPE_RE.fullmatch(value) else "application/octet-stream"


def _pairs(headers: Sequence[tuple[str, str]]) -> list[list[str]]:
    return [[str(name), str(value)] for name, value in headers]


def _capture_dict(capture: Capture) -> dict[str, Any]:
    return {
        "requested_url": capture.requested_url,
        "final_url": capture.final_url,
        "status": int(capture.status),
        "request_headers": _pairs(capture.request_headers),
        "response_headers": _pairs(capture.response_headers),
        "user_agent": capture.user_agent,
        "server_ip": capture.server_ip,
        "crawl_run_id": capture.crawl_run_id,
        "tool": {"name": "ipwatch", "version": tool_version()},
    }


def _listing_dict(info: ListingInfo) -> dict[str, Any]:
    seller = None
    if info.seller_id or info.seller_name or info.seller_url:
        seller = {"id": info.seller_id, "name": info.seller_name, "url": info.seller_url}
    listing: dict[str, Any] = {
        "id": info.id,
        "url": info.url,
        "marketplace": info.marketplace,
        "title": info.title,
        "item_id": info.item_id,
        "seller": seller,
    }
    if info.price is not None:  # absent, not null, so manifests of unpriced listings are unchanged
        listing["price"] = {"amount": info.price, "currency": info.currency}
    return listing


def _citation_dict(citation: Citation) -> dict[str, Any]:
    signals = []
    for signal in citation.signals:
        if isinstance(signal, Mapping):
            kind, score, detail = signal["kind"], signal["score"], signal.get("detail", "")
        else:
            kind, score, detail = signal.kind, signal.score, signal.detail
        signals.append({"kind": str(kind), "score": score_text(score), "detail": str(detail)})
    return {
        "finding_id": citation.finding_id,
        "asset_id": citation.asset_id,
        "registration_number": citation.registration_number,
        "owner": citation.owner,
        "risk": score_text(citation.risk),
        "signals": signals,
    }


def sealed_listing(info: ListingInfo) -> dict[str, Any]:
    """The listing part of a manifest as ``seal`` writes it, to compare with a sealed one."""
    return _listing_dict(info)
