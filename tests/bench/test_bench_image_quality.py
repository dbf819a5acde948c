"""The image quality bench: which signals count as found in the picture, groups, attribution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PIL import Image

from bench import image_quality
from model import AssetKind, Signal

if TYPE_CHECKING:
    from pathlib import Path


def test_only_signals_from_the_picture_count() -> None:
    image_signal = image_quality.image_signal
    assert image_signal(Signal("image_copy", 0.9, "d", {"level": "region"})) == "image_copy"
    assert image_signal(Signal("logo", 0.7, "d", {})) == "logo"
    read = {"field": "image_text", "text": "DIOR"}
    assert image_signal(Signal("word_mark", 0.9, "d", read)) == "image_text"
    in_title = {"field": "title", "matches": [{"field": "title"}, read]}
    assert image_signal(Signal("word_mark", 0.9, "d", in_title)) == "image_text"
    assert image_signal(Signal("word_mark", 0.9, "d", {"field": "title"})) is None
    assert image_signal(Signal("below_price_floor", 0.5, "d", {})) is None


def test_found_by_counts_true_positives_by_their_strongest_signal() -> None:
    cases = [
        {"id": "a", "expect": "match", "asset_id": "logo-x"},
        {"id": "b", "expect": "match", "asset_id": "logo-y"},
        {"id": "c", "expect": "match", "asset_id": "logo-z"},
        {"id": "n", "expect": "no_match"},
    ]
    methods = {
        "a": {"logo-x": "logo"},
        "b": {"logo-y": "image_text", "logo-x": "logo"},  # the wrong asset is not credited
        "c": {},
        "n": {"logo-x": "logo"},
    }
    line = image_quality.found_by(cases, methods)
    assert line.endswith("image_text 1, logo 1")
    assert image_quality.found_by(cases[2:], methods).endswith("nothing")


def _manifest(tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "refs").mkdir()
    (tmp_path / "images").mkdir()
    Image.new("RGB", (8, 8), "white").save(tmp_path / "refs" / "logo-a.png")
    cases = []
    for n in range(6):
        group = "copy" if n % 2 else "logo"
        Image.new("RGB", (8, 8), (n, n, n)).save(tmp_path / "images" / f"{n}.png")
        cases.append(
            {"id": f"case-{n}", "group": group, "file": f"images/{n}.png", "sha256": f"s{n}"}
        )
    asset = {
        "id": "logo-a",
        "kind": "figurative_mark",
        "name": "A",
        "keywords": ["ACME"],
        "file": "refs/logo-a.png",
        "sha256": "r",
    }
    return {"assets": [asset], "cases": cases}


def test_load_picks_a_group_and_registers_word_elements(tmp_path: Path) -> None:
    document = _manifest(tmp_path)
    loaded = image_quality.load(document, tmp_path, 1, "copy")
    assert [c["id"] for c in loaded.cases] == ["case-1", "case-3", "case-5"]
    assert set(loaded.images) == {"case-1", "case-3", "case-5"}
    (asset,) = loaded.assets
    assert asset.kind is AssetKind.FIGURATIVE_MARK and asset.keywords == ("ACME",)
    assert len(image_quality.load(document, tmp_path).cases) == 6
    halves = [image_quality.load(document, tmp_path, 2, None, k).cases for k in (0, 1)]
    ids = [c["id"] for half in halves for c in half]
    assert sorted(ids) == [f"case-{n}" for n in range(6)]  # the two halves split the set
