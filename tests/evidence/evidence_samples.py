"""Sample inputs for sealing tests: a fixed clock, a counting id source, a capture, two images."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from evidence.capture.browser_record import BrowserCapture
from evidence.export.wacz_auth import WaczSigner
from evidence.log.translog import TransparencyLog
from evidence.seal.custody import CustodyLog
from evidence.seal.ledger import Ledger
from evidence.seal.manifest import parse_manifest
from evidence.seal.sealing import Sealer, Timestamper
from evidence.seal.seals import SealStore
from evidence.seal.signing import Signer
from evidence.seal.snapshot import (
    Capture,
    CapturedImage,
    Citation,
    ListingInfo,
    SealedSnapshot,
    seal,
)
from evidence.storage.blobstore import BlobStore
from evidence.verify.artifacts import VerificationReport
from evidence.verify.home import HomeEvidence, verify_home_snapshot
from model import Signal

CAPTURED_AT = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)


class FixedClock:
    """Ticks one second per call, from a fixed start, so times are known and distinct."""

    def __init__(self, start: datetime = CAPTURED_AT + timedelta(seconds=5)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        current = self.now
        self.now += timedelta(seconds=1)
        return current


class CountingIds:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"{self.n:020x}{self.n:012x}"  # 32 hex, distinct in the first 20


def png_bytes(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buf, format="PNG")
    return buf.getvalue()


def sample_capture() -> Capture:
    body = "<html><title>Nikee Air — 70% off</title><p>réplica</p></html>".encode()
    return Capture(
        requested_url="http://127.0.0.1:8080/item/42?ref=search",
        final_url="http://127.0.0.1:8080/item/42",
        status=200,
        request_headers=[("User-Agent", "ipwatch/0.1"), ("Accept", "text/html")],
        response_headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ],
        body=body,
        captured_at=CAPTURED_AT,
        user_agent="ipwatch/0.1",
        server_ip="127.0.0.1",
        crawl_run_id="R-1",
    )


def sample_listing() -> ListingInfo:
    return ListingInfo(
        id="L-1",
        url="http://127.0.0.1:8080/item/42",
        marketplace="demomarket",
        title="Nikee Air — 70% off",
        item_id="42",
        seller_id="s-9",
        seller_name="Cheap Kicks",
    )


def sample_images() -> list[CapturedImage]:
    return [
        CapturedImage("http://127.0.0.1:8080/img/1.png", png_bytes((255, 0, 0)), "image/png"),
        CapturedImage("http://127.0.0.1:8080/img/2", b"\xff\xd8\xff\xe0fake-jpeg", "IMAGE/JPEG"),
    ]


def sample_citations() -> list[Citation]:
    return [
        Citation(
            finding_id="F-1",
            asset_id="A-1",
            registration_number="US 1234567",
            owner="Nike, Inc.",
            risk=0.87,
            signals=[
                Signal("disguised_mark", 0.91, "'Nikee' is one edit from 'Nike'"),
                {"kind": "price_floor", "score": 0.5, "detail": "price below floor"},
            ],
        )
    ]


def flip_byte(path: Path, offset: int) -> None:
    """Tamper with a stored (read-only) file the way an attacker with disk access could."""
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def seal_sample(
    store: BlobStore, ledger: Ledger, clock: FixedClock, ids: CountingIds
) -> SealedSnapshot:
    """Seal the sample capture, listing, images and citations with the given clock and ids."""
    return seal(
        sample_capture(),
        sample_listing(),
        sample_images(),
        sample_citations(),
        store=store,
        ledger=ledger,
        clock=clock,
        new_id=ids,
    )


TEST_KEY_SEED = bytes(range(32))  # a fixed key, so signatures and seals are reproducible
OTHER_KEY_SEED = bytes(range(32, 64))


def fixed_signer(seed: bytes = TEST_KEY_SEED) -> Signer:
    """An Ed25519 signer from a fixed seed (never use a known seed outside tests)."""
    return Signer(Ed25519PrivateKey.from_private_bytes(seed))


def fixed_wacz_signer(secret: int = 0x1BADC0FFEE) -> WaczSigner:
    """A fixed ECDSA P-384 key for WACZ Auth signatures (deterministic, so exports reproduce)."""
    return WaczSigner(ec.derive_private_key(secret, ec.SECP384R1()))


def make_sealer(
    root: Path,
    clock: FixedClock,
    signer: Signer | None = None,
    timestamper: Timestamper | None = None,
) -> Sealer:
    """A sealer over ``root``'s log and seal folders, with the fixed key and the given clock."""
    return Sealer(
        log=TransparencyLog(root / "log", clock=clock),
        signer=signer or fixed_signer(),
        seals=SealStore(root / "seals"),
        timestamper=timestamper,
        clock=clock,
    )


def seal_sample_v2(store: BlobStore, sealer: Sealer, ids: CountingIds) -> SealedSnapshot:
    """Seal the sample capture into the transparency log with the sealer's key."""
    return seal(
        sample_capture(),
        sample_listing(),
        sample_images(),
        sample_citations(),
        store=store,
        sealer=sealer,
        new_id=ids,
    )


def seal_browser_capture(root: Path, browser: BrowserCapture) -> BrowserSealed:
    """Seal the sample exchange plus ``browser`` under ``root``, ready to verify."""
    store = BlobStore(root / "blobs")
    sealer = make_sealer(root, FixedClock())
    sealed = seal(
        sample_capture(),
        sample_listing(),
        [],
        sample_citations(),
        store=store,
        sealer=sealer,
        new_id=CountingIds(),
        browser=browser,
    )
    return BrowserSealed(root, sealed, store, sealer)


class BrowserSealed:
    """A sealed browser capture and what it takes to check it again (after tampering, say)."""

    def __init__(self, root: Path, sealed: SealedSnapshot, store: BlobStore, sealer: Sealer):
        self.root, self.sealed, self.store, self.sealer = root, sealed, store, sealer
        self.manifest = parse_manifest(store.get(sealed.manifest_sha256))
        self.artifacts = {a.name: store.get(a.sha256) for a in sealed.artifacts}

    def verify(self) -> VerificationReport:
        home = HomeEvidence(
            store=self.store,
            ledger=Ledger(self.root / "ledger.jsonl"),
            log=self.sealer.log,
            seals=self.sealer.seals,
            custody=CustodyLog(self.root / "custody.jsonl"),
            index=None,
            public_key=self.sealer.signer.public_key_pem(),
            tsa_roots=(),
        )
        return verify_home_snapshot(home, self.sealed.id)

    def blob_path(self, name: str) -> Path:
        sha = next(a.sha256 for a in self.sealed.artifacts if a.name == name)
        return self.root / "blobs" / sha[:2] / sha[2:]
