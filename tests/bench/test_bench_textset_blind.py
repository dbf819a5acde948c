"""The blind text set generator: deterministic for a seed, and no positive names its mark plainly.

Titles are an input of the generator, so these tests build from a small in-test list and need
neither the network nor the device_detector wheel.
"""

from __future__ import annotations

import json
import unicodedata

import yaml

from bench.textset_blind import MARKS, NEGATIVES, Product, generate, names_mark
from bench.textset_blind_disguise import DISGUISES

PRODUCTS = [
    Product("smartphone", "Motorola", "Moto G8"),
    Product("smartphone", "Motorola", "Edge 40 Pro"),
    Product("tablet", "Lenovo", "Tab M10"),
    Product("tv", "Panasonic", "TX-55GZ950"),
    Product("smartphone", "Huawei", "P30 Lite"),
    Product("smartphone", "Apple", "iPhone 12"),
    Product("smartphone", "Meitu", "T9"),
    Product("tablet", "Sigma", "X-Style Tab A82"),
    Product("smartphone", "Wiko", "View 3"),
    Product("smartphone", "Alcatel", "One Touch 991"),
    Product("tv", "Hisense", "55A6G"),
    Product("smartphone", "Blu", "Vivo 8"),
]
WORDS = ["apple", "hair", "meter", "doodle", "consort", "sigma", "lemon", "vertex", "table"]
COUNTS = {kind: 6 for kind in NEGATIVES}


def _build(seed: int) -> dict[str, str]:
    return generate(PRODUCTS, WORDS, seed, per_kind=4, counts=COUNTS)


def _rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_same_seed_same_files_other_seed_other_files() -> None:
    first = _build(5)
    assert first == _build(5)
    assert first["listings.jsonl"] != _build(6)["listings.jsonl"]


def test_every_positive_hides_its_mark() -> None:
    files = _build(5)
    marks = {m.id: m for m in MARKS}
    titles = {row["id"]: row["title"] for row in _rows(files["listings.jsonl"])}
    positives = [label for label in _rows(files["labels.jsonl"]) if label["expect"] == "flag"]
    assert {label["kind"] for label in positives} == {*DISGUISES, "zh_title"}
    for label in positives:
        mark = marks[label["asset_id"]]
        title = unicodedata.normalize("NFC", titles[label["listing_id"]])
        assert not names_mark(title, mark), (title, mark.name)
        assert mark.name.casefold() not in title.casefold().split()


def test_registry_and_labels_agree() -> None:
    files = _build(5)
    registry = yaml.safe_load(files["registry.yaml"])
    ids = {a["id"] for owner in registry["owners"] for a in owner["assets"]}
    assert ids == {m.id for m in MARKS}
    labels = _rows(files["labels.jsonl"])
    listings = _rows(files["listings.jsonl"])
    assert [row["id"] for row in listings] == [label["listing_id"] for label in labels]
    for label in labels:
        assert label["expect"] in {"flag", "no_flag"}
        assert label["asset_id"] is None or label["asset_id"] in ids
