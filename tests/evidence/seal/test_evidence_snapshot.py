from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from evidence.capture.warc import read_warc
from evidence.exceptions import SnapshotError
from evidence.seal.ledger import Ledger
from evidence.seal.manifest import parse_manifest
from evidence.seal.snapshot import CapturedImage, ListingInfo, _listing_dict, seal
from evidence.storage.blobstore import BlobStore
from model import Listing, Seller
from tests.evidence.evidence_samples import (
    CAPTURED_AT,
    CountingIds,
    FixedClock,
    sample_capture,
    sample_citations,
    sample_images,
    sample_listing,
)


def do_seal(root, images=None, new_id=None):
    store = BlobStore(root / "blobs")
    ledger = Ledger(root / "ledger.jsonl")
    sealed = seal(
        sample_capture(),
        sample_listing(),
        sample_images() if images is None else images,
        sample_citations(),
        store=store,
        ledger=ledger,
        clock=FixedClock(),
        new_id=new_id or CountingIds(),
    )
    return sealed, store, ledger


def test_seal_stores_warc_images_and_manifest_then_ledger(tmp_path):
    sealed, store, ledger = do_seal(tmp_path)
    assert sealed.id == "S-" + "0" * 19 + "1"
    assert sealed.ledger_seq == 0
    names = [a.name for a in sealed.artifacts]
    png_sha = hashlib.sha256(sample_images()[0].data).hexdigest()
    jpg_sha = hashlib.sha256(sample_images()[1].data).hexdigest()
    assert names == [
        "response.warc",
        f"images/1-{png_sha[:12]}.png",
        f"images/2-{jpg_sha[:12]}.jpg",
    ]
    assert [a.media_type for a in sealed.artifacts] == [
        "application/warc",
        "image/png",
        "image/jpeg",
    ]
    for artifact in sealed.artifacts:
        assert store.verify(artifact.sha256)
        assert store.size(artifact.sha256) == artifact.size

    manifest = parse_manifest(store.get(sealed.manifest_sha256))
    assert manifest["snapshot_id"] == sealed.id
    assert manifest["captured_at"] == "2024-05-01T12:30:15.250000Z"
    assert manifest["capture"]["response_headers"][1:] == [
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
    ]
    assert manifest["capture"]["tool"]["name"] == "ipwatch"
    assert manifest["listing"]["seller"] == {"id": "s-9", "name": "Cheap Kicks", "url": None}
    finding = manifest["findings"][0]
    assert finding["risk"] == "0.87"
    assert finding["signals"][0] == {
        "kind": "disguised_mark",
        "score": "0.91",
        "detail": "'Nikee' is one edit from 'Nike'",
    }
    assert manifest["artifacts"] == [a.to_dict() for a in sealed.artifacts]

    entry = ledger.find(sealed.id)
    assert entry.manifest_sha256 == sealed.manifest_sha256
    assert entry.recorded_at == "2024-05-01T12:30:20.250000Z"

    records = read_warc(store.get(sealed.artifacts[0].sha256))
    assert [r.status for r in records] == ["passed", "passed"]
    assert records[1].payload == sample_capture().body


def test_sealing_twice_with_same_inputs_is_byte_identical(tmp_path):
    a, store_a, ledger_a = do_seal(tmp_path / "a")
    b, store_b, ledger_b = do_seal(tmp_path / "b")
    assert a == b
    assert store_a.get(a.manifest_sha256) == store_b.get(b.manifest_sha256)
    for art in a.artifacts:
        assert store_a.get(art.sha256) == store_b.get(art.sha256)
    assert ledger_a.path.read_bytes() == ledger_b.path.read_bytes()


def test_second_seal_chains_in_the_same_ledger(tmp_path):
    ids = CountingIds()
    first, _, _ = do_seal(tmp_path, new_id=ids)
    second, _, ledger = do_seal(tmp_path, new_id=ids)
    assert (first.ledger_seq, second.ledger_seq) == (0, 1)
    assert first.id != second.id
    assert ledger.verify() == []


def test_to_record(tmp_path):
    sealed, _, _ = do_seal(tmp_path)
    record = sealed.to_record("L-1", ["F-1"])
    assert record.id == sealed.id and record.listing_id == "L-1"
    assert record.finding_ids == ["F-1"]
    assert record.captured_at == CAPTURED_AT
    assert record.url == sample_capture().final_url
    assert record.artifacts[0]["name"] == "response.warc"
    assert json.dumps(record.artifacts)  # JSON-ready


def test_hostile_media_type_is_not_trusted(tmp_path):
    image = CapturedImage("http://127.0.0.1/x", b"data", 'image/png"><script>; x=1\n')
    sealed, _, _ = do_seal(tmp_path, images=[image])
    assert sealed.artifacts[1].media_type == "application/octet-stream"
    assert sealed.artifacts[1].name.endswith(".bin")


@pytest.mark.parametrize("token", ["short", "zz" * 16, ""])
def test_bad_id_source_is_refused(tmp_path, token):
    with pytest.raises(SnapshotError, match="20 hex"):
        do_seal(tmp_path, new_id=lambda: token)
    assert not (tmp_path / "ledger.jsonl").exists()


def test_listing_info_from_detector_listing():
    listing = Listing(
        id="L-2",
        marketplace="m",
        url="http://127.0.0.1/2",
        title="t",
        seller=Seller(id="s", name="n", url="http://127.0.0.1/s"),
    )
    info = ListingInfo.from_listing(listing, item_id="2")
    assert info == ListingInfo(
        "L-2", "http://127.0.0.1/2", "m", "t", "2", "s", "n", "http://127.0.0.1/s"
    )


def test_the_listed_price_is_sealed_and_an_unpriced_listing_has_no_price_key() -> None:
    """A price-floor claim rests on the price the page showed, so the manifest carries it."""
    listing = Listing(
        id="L-1",
        marketplace="m",
        url="http://x/1",
        title="t",
        price=Decimal("12.90"),
        currency="EUR",
    )
    sealed = _listing_dict(ListingInfo.from_listing(listing))
    assert sealed["price"] == {"amount": "12.90", "currency": "EUR"}
    unpriced = _listing_dict(ListingInfo.from_listing(Listing("L-2", "m", "http://x/2", "t")))
    assert "price" not in unpriced
