"""``ipwatch rescan``: a newly registered asset finds listings crawled before it existed."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from PIL import Image, ImageFilter

from crawler.extraction.model import ExtractedListing, ExtractedSeller
from crawler.items import FetchedImage
from crawler.listing_id import listing_id
from ipwatch.services.workspace import Workspace
from model import FindingStatus, ListingRecord, Seller, SnapshotRef, finding_id
from tests.support import findings_json, run_ipwatch

LAST_MONTH = datetime(2026, 10, 1, tzinfo=UTC)
WORD, PHOTO_ASSET = "novaflex-word", "novaflex-photo"


def product_photo() -> Image.Image:
    blocks = np.random.default_rng(5).integers(0, 256, (12, 16, 3), dtype=np.uint8)
    image = Image.fromarray(blocks).resize((640, 480), Image.Resampling.NEAREST)
    return image.filter(ImageFilter.GaussianBlur(3))


PHOTO = product_photo()


def jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.resize((400, 300)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def store_crawled(
    workspace: Workspace, marketplace: str, item: str, title: str, images: list[bytes]
) -> str:
    """Write a listing as the crawl's media and index pipelines do: blobs, then the record."""
    url = f"https://{marketplace}.example/item/{item}"
    extracted = ExtractedListing(
        url=url,
        title=title,
        price="12.00",
        currency="USD",
        images=tuple(f"{url}/{i}.jpg" for i in range(len(images))),
        seller=ExtractedSeller(name="Shady Deals", id="shady-77", url=None),
    )
    fetched = [
        FetchedImage(
            url=f"{url}/{i}.jpg", sha256=workspace.blobs.put(data), media_type="image/jpeg"
        )
        for i, data in enumerate(images)
    ]
    record = ListingRecord(
        id=listing_id(marketplace, item, url),
        marketplace=marketplace,
        url=url,
        title=title,
        content_hash=f"hash-{marketplace}-{item}",
        first_seen=LAST_MONTH,
        last_seen=LAST_MONTH,
        price="12.00",
        currency="USD",
        seller=Seller(id="shady-77", name="Shady Deals"),
        item_id=item,
        data={
            **extracted.to_dict(),
            "images_fetched": [dataclasses.asdict(image) for image in fetched],
            "crawl_run_id": "R-last-month",
        },
    )
    workspace.index.upsert_listing(record)
    return record.id


def write_registry(folder: Path, with_photo: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    PHOTO.save(folder / "runner.png")
    assets: list[dict[str, Any]] = [
        {
            "id": WORD,
            "kind": "word_mark",
            "name": "NOVAFLEX",
            "registration_number": "EU018000001",
            "authorized_sellers": ["acme-official"],
        }
    ]
    if with_photo:
        assets.append(
            {
                "id": PHOTO_ASSET,
                "kind": "product_image",
                "name": "NovaFlex Runner photo",
                "authorized_sellers": ["acme-official"],
                "images": ["runner.png"],
            }
        )
    path = folder / "registry.yaml"
    path.write_text(yaml.safe_dump({"owners": [{"name": "Acme", "assets": assets}]}))
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A workspace whose index holds last month's crawl: two copies and an unrelated listing."""
    path = tmp_path / "home"
    workspace = Workspace.open(path)
    copy = jpeg(PHOTO)
    store_crawled(workspace, "shop", "1", "N0VAFLEX trainers", [copy])
    store_crawled(workspace, "shop", "2", "Garden hose 20 m", [])
    store_crawled(workspace, "other", "1", "NOVAFLEX socks", [copy])
    workspace.close()
    return path


def ok(home: Path, *args: str) -> str:
    result = run_ipwatch(home, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def findings(home: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["listing_id"], f["asset_id"]): f for f in findings_json(home, "--all")}


def test_new_asset_finds_last_months_listings(home: Path, tmp_path: Path) -> None:
    nothing = run_ipwatch(home, "rescan")
    assert nothing.returncode == 2 and "no assets registered" in nothing.stderr

    ok(home, "assets", "import", str(write_registry(tmp_path / "v1", with_photo=False)))
    out = ok(home, "rescan")
    assert "rescanned 3 stored listing(s): 2 new finding(s)" in out
    found = findings(home)
    assert set(found) == {("shop:1", WORD), ("other:1", WORD)}
    disguised = found["shop:1", WORD]
    # The same record the crawl's index pipeline writes: id, owner, registration, listing.
    assert disguised["id"] == finding_id("shop:1", WORD)
    assert disguised["flagged"] is True and disguised["status"] == "new"
    assert (disguised["owner"], disguised["registration_number"]) == ("Acme", "EU018000001")
    assert (disguised["title"], disguised["url"]) == (
        "N0VAFLEX trainers",
        "https://shop.example/item/1",
    )
    assert (disguised["seller_id"], disguised["seller_name"]) == ("shady-77", "Shady Deals")
    assert {s["kind"] for s in disguised["signals"]} == {"word_mark", "unauthorized_seller"}
    # No evidence was sealed for either: said so, with the crawl that would capture it.
    assert "2 flagged finding(s) without sealed evidence" in out
    assert finding_id("shop:1", WORD) in out and finding_id("other:1", WORD) in out
    assert "ipwatch crawl shop" in out and "ipwatch crawl other" in out
    assert not list(Workspace.open(home).index.iter_snapshots())


def test_rescan_keeps_review_status_and_evidence(home: Path, tmp_path: Path) -> None:
    ok(home, "assets", "import", str(write_registry(tmp_path / "v1", with_photo=False)))
    ok(home, "rescan")
    reviewed, sealed = finding_id("shop:1", WORD), finding_id("other:1", WORD)
    workspace = Workspace.open(home)
    workspace.index.set_status(reviewed, FindingStatus.CONFIRMED, actor="alice", reason="fake")
    created = workspace.index.get_finding(reviewed).created  # type: ignore[union-attr]
    workspace.index.add_snapshot(
        SnapshotRef(
            id="S-1",
            finding_ids=[sealed],
            listing_id="other:1",
            manifest_sha256="0" * 64,
            ledger_seq=1,
            captured_at=LAST_MONTH,
            url="https://other.example/item/1",
            artifacts=[],
        )
    )
    workspace.close()

    # A product photo registered today: only its findings, only in the shop marketplace.
    ok(home, "assets", "import", str(write_registry(tmp_path / "v2", with_photo=True)))
    out = ok(home, "rescan", "--asset", PHOTO_ASSET, "--marketplace", "shop")
    assert "rescanned 2 stored listing(s) from shop: 1 new finding(s)" in out
    found = findings(home)
    assert ("shop:1", PHOTO_ASSET) in found and ("other:1", PHOTO_ASSET) not in found
    copy = found["shop:1", PHOTO_ASSET]
    assert copy["flagged"] is True
    image_signal = next(s for s in copy["signals"] if s["kind"] == "image_copy")
    assert image_signal["evidence"]["listing_image_url"] == "https://shop.example/item/1/0.jpg"

    assert "1 new finding(s)" in ok(home, "rescan")  # other:1 x photo
    again = ok(home, "rescan")
    assert "rescanned 3 stored listing(s): 0 new finding(s)" in again
    assert len(findings(home)) == 4

    workspace = Workspace.open(home)
    kept = workspace.index.get_finding(reviewed)
    assert kept is not None and kept.status is FindingStatus.CONFIRMED and kept.created == created
    with_evidence = workspace.index.get_finding(sealed)
    assert with_evidence is not None and with_evidence.snapshot_ids == ["S-1"]
    workspace.close()
    assert reviewed in again and sealed not in again  # only evidence-less ones are listed


def test_unknown_asset_is_a_usage_error(home: Path, tmp_path: Path) -> None:
    ok(home, "assets", "import", str(write_registry(tmp_path / "v1", with_photo=False)))
    result = run_ipwatch(home, "rescan", "--asset", "nope")
    assert result.returncode == 2
    assert "no asset with id 'nope'" in result.stderr
