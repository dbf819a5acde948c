"""A small marketplace world with one operator behind four shop names, for networks and records.

Sunny's accounts: S1 and S2 share an e-mail; S2 and S3 a WeChat id; S3 and S4 a product photo
re-encoded as JPEG (near-identical, not the same bytes). S5, Acme's authorized shop, shows
S3's photo too: the brand's original, which links nobody. Acme's findings name S1, S2 and S4;
Globex's name S3 and Globex Outlet. Four shops show the marketplace's help address (fan-out 3).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from PIL import Image

from config.networks import EnforcementConfig
from config.settings import AppConfig
from ipwatch.services.workspace import Workspace
from model import FindingRecord, FindingStatus, ListingRecord, Seller
from registry.models import Asset, Owner

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
ACME, GLOBEX = "Acme", "Globex"
HOSTILE = "=cmd|' /C calc'!A0<script>alert(\"n\")</script>"
HELP = "help@market.example"


@dataclass
class World:
    workspace: Workspace
    sellers: dict[str, str]  # short name -> seller key


def photo(seed: int, quality: int | None = None) -> bytes:
    blocks = np.random.default_rng(seed).integers(0, 256, (8, 8), dtype=np.uint8)
    image = Image.fromarray(blocks).resize((256, 256), Image.Resampling.BICUBIC).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG" if quality else "PNG", quality=quality or 95)
    return out.getvalue()


def _seller(ident: str, market: str, name: str, **contacts: str) -> Seller:
    return Seller(id=ident, name=name, marketplace=market, contacts=contacts)


def _listing(lid: str, seller: Seller, photo: str | None = None) -> ListingRecord:
    images = [{"url": f"http://img.example/{lid}.jpg", "sha256": photo}] if photo else []
    return ListingRecord(
        id=lid,
        marketplace=seller.marketplace,
        url=f"http://shop.example/{lid}",
        title=f"listing {lid}",
        content_hash="h-" + lid,
        first_seen=NOW - timedelta(days=3),
        last_seen=NOW,
        seller=seller,
        data={"images_fetched": images},
    )


def _finding(
    fid: str, listing: ListingRecord, owner: str, risk: float, kind: str, disguised: bool = False
) -> FindingRecord:
    return FindingRecord(
        id=fid,
        listing_id=listing.id,
        asset_id=f"{owner.lower()}-word",
        owner=owner,
        marketplace=listing.marketplace,
        risk=risk,
        flagged=True,
        signals=[
            {"kind": kind, "score": risk, "detail": "x", "evidence": {"disguised": disguised}}
        ],
        created=NOW - timedelta(days=2),
        updated=NOW,
        seller=listing.seller,
        title=listing.title,
        url=listing.url,
    )


def build(home: Path, index_url: str | None = None) -> World:
    home.mkdir(parents=True, exist_ok=True)
    config = AppConfig(index=index_url, enforcement=EnforcementConfig(fanout_cap=3))
    workspace = Workspace(home, config)
    official = "Sunny Brand Official"  # Acme's authorized shop: its photos are the originals
    acme = Owner(name=ACME)
    acme.assets.append(
        Asset(id="acme-word", kind="word_mark", name="ACME", authorized_sellers=[official])
    )
    with workspace.registry.session() as session:
        session.add_all([acme, Owner(name=GLOBEX)])
    original = workspace.blobs.put(photo(5))
    copy = workspace.blobs.put(photo(5, quality=60))
    other = workspace.blobs.put(photo(99))
    s1 = _seller("s1", "amazon", "Sunny Goods", email="sales@sunny.example")
    s2 = _seller("s2", "ebay", HOSTILE, email="sales@sunny.example", wechat="sunny_88")
    s3 = _seller("s3", "taobao", "阳光", wechat="sunny_88")
    s4 = _seller("s4", "jd", "Bright Trade")
    g1 = _seller("g1", "demo", "Globex Outlet", email=HELP)
    s5 = _seller("s5", "amazon", official)
    helpers = [_seller(f"h{i}", "demo", f"helper shop {i}", email=HELP) for i in range(3)]
    listings = {
        "L1": _listing("L1", s1, other),
        "L1b": _listing("L1b", s1),
        "L1c": _listing("L1c", s1),
        "L2": _listing("L2", s2),
        "L3": _listing("L3", s3, original),
        "L4": _listing("L4", s4, copy),
        "LG": _listing("LG", g1),
        "L5": _listing("L5", s5, original),
        **{f"LH{i}": _listing(f"LH{i}", s) for i, s in enumerate(helpers)},
    }
    index = workspace.index
    for listing in listings.values():
        index.upsert_listing(listing)
    findings = [
        _finding("F-1", listings["L1"], ACME, 0.95, "word_mark", disguised=True),
        _finding("F-1b", listings["L1b"], ACME, 0.92, "logo"),
        _finding("F-1c", listings["L1c"], ACME, 0.40, "below_price_floor"),
        _finding("F-2", listings["L2"], ACME, 0.70, "image_copy"),
        _finding("F-3", listings["L3"], GLOBEX, 0.99, "word_mark"),
        _finding("F-4", listings["L4"], ACME, 0.60, "word_mark"),
        _finding("F-G", listings["LG"], GLOBEX, 0.90, "word_mark"),
        *[_finding(f"F-H{i}", listings[f"LH{i}"], ACME, 0.5, "word_mark") for i in range(3)],
    ]
    for finding in findings:
        index.upsert_finding(finding)
    for fid, path in {
        "F-1": ["confirmed"],
        "F-1b": ["confirmed", "notice_sent", "removed", "reappeared"],
        "F-1c": ["dismissed"],
        "F-2": ["confirmed", "notice_sent"],
        "F-3": ["confirmed"],
    }.items():
        for status in path:
            index.set_status(fid, FindingStatus(status), "tester")
    keys = {s.id or "": s.key for s in (s1, s2, s3, s4, s5, g1)}
    return World(workspace, keys)
