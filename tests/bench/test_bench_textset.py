"""The labelled text-detection set: reproducible, committed as generated, covering every kind."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
from opencc import OpenCC
from pypinyin import lazy_pinyin

from bench import textset, textset_vocab
from bench.textset_disguise import apply_latin, confusables
from bench.textset_disguise_zh import homophone
from model import AssetKind
from registry import Registry

if TYPE_CHECKING:
    from pathlib import Path

MIN_PER_KIND = 40
# Disguises after which the registered spelling (case-folded) must no longer be in the title.
HIDING_KINDS = frozenset(textset.POSITIVE_KINDS) - {"exact", "counterfeit_wording", "case_camel"}


@pytest.fixture(scope="module")
def generated() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    return textset.generate(textset.DEFAULT_SEED)


def test_generation_is_deterministic_for_a_seed() -> None:
    assert textset.render(3) == textset.render(3)
    assert textset.render(3)["listings.jsonl"] != textset.render(5)["listings.jsonl"]


def test_committed_files_equal_a_fresh_generation() -> None:
    fresh = textset.render(textset.DEFAULT_SEED)
    for name, text in fresh.items():
        on_disk = (textset.DEFAULT_DIR / name).read_text(encoding="utf-8")
        assert on_disk == text, f"{name} is stale; run .venv/bin/python bench/textset.py"
    assert textset.main(["--check"]) == 0


def test_check_reports_stale_files(tmp_path: Path) -> None:
    assert textset.main(["--out", str(tmp_path)]) == 0
    assert textset.main(["--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "labels.jsonl").write_text("{}\n", encoding="utf-8")
    assert textset.main(["--out", str(tmp_path), "--check"]) == 1


def test_every_kind_has_enough_cases_and_negatives_are_over_a_third(generated: Any) -> None:
    _, _, labels = generated
    kinds = Counter(label["kind"] for label in labels)
    for kind in (*textset.POSITIVE_KINDS, *textset.NEGATIVE_KINDS):
        assert kinds[kind] >= MIN_PER_KIND, kind
    negatives = sum(label["expect"] == "no_flag" for label in labels)
    assert negatives / len(labels) >= 0.35
    assert {label["expect"] for label in labels if label["kind"] in textset.POSITIVE_KINDS} == {
        "flag"
    }


def test_english_and_chinese_where_the_kind_applies(generated: Any) -> None:
    _, _, labels = generated
    langs: dict[str, Counter[str]] = {}
    for label in labels:
        langs.setdefault(label["kind"], Counter())[label["lang"]] += 1
    both = ("exact", "spacing", "punctuation", "zero_width", "counterfeit_wording", "combination",
            "pinyin", "genuine", "compatibility", "resale")  # fmt: skip
    for kind in both:
        assert langs[kind]["en"] >= 5 and langs[kind]["zh"] >= 5, (kind, langs[kind])
    for kind in ("traditional", "homophone", "zh_no_mark"):
        assert set(langs[kind]) == {"zh"}


def test_labels_match_listings_and_registered_assets(generated: Any) -> None:
    registry, listings, labels = generated
    asset_ids = {a["id"] for owner in registry["owners"] for a in owner["assets"]}
    assert [label["listing_id"] for label in labels] == [row["id"] for row in listings]
    assert len({row["id"] for row in listings}) == len(listings)
    for label in labels:
        assert label["expect"] in ("flag", "no_flag")
        assert label["lang"] in ("en", "zh")
        assert label["asset_id"] is None or label["asset_id"] in asset_ids
        if label["expect"] == "flag":
            assert label["asset_id"] is not None
    assert {label["asset_id"] for label in labels if label["expect"] == "flag"} == asset_ids


def test_listings_use_the_detect_input_format(generated: Any) -> None:
    _, listings, _ = generated
    allowed = {"id", "url", "marketplace", "title", "description", "price", "currency", "seller"}
    for row in listings:
        assert set(row) <= allowed and row["title"]
        if "seller" in row:
            assert set(row["seller"]) == {"id", "name"}
        if "price" in row:
            assert float(row["price"]) > 0 and row["currency"] in ("USD", "CNY")


def test_disguises_hide_the_registered_spelling(generated: Any) -> None:
    _, listings, labels = generated
    names = {m.id: m.name for m in textset.MARKS}
    for row, label in zip(listings, labels, strict=True):
        if label["kind"] in HIDING_KINDS:
            assert not _mentions(row["title"], names[label["asset_id"]], words=True), row
        if label["kind"] in ("exact", "genuine", "counterfeit_wording"):
            assert _mentions(row["title"], names[label["asset_id"]], words=True), row


def _mentions(text: str, mark: str, *, words: bool = False) -> bool:
    """Whether ``mark`` is in ``text`` (case-folded); whole words only for short or ``words``."""
    folded = text.casefold()
    if mark.isascii() and (words or len(mark) <= 4):
        return (
            re.search(rf"(?<![a-z0-9]){re.escape(mark.casefold())}(?![a-z0-9])", folded) is not None
        )
    return mark.casefold() in folded


def test_mark_free_negatives_and_vocabulary_name_no_mark(generated: Any) -> None:
    _, listings, labels = generated
    vocabulary = [
        text
        for name in dir(textset_vocab)
        if name.isupper() and isinstance(getattr(textset_vocab, name), tuple)
        for text in getattr(textset_vocab, name)
    ]
    vocabulary += [p for en, zh in textset_vocab.CLASS_PRODUCTS.values() for p in (*en, *zh)]
    titles = [r["title"] for r, lab in zip(listings, labels, strict=True)
              if lab["kind"] in ("unrelated", "zh_no_mark", "lookalike_word")]  # fmt: skip
    for text in vocabulary + titles:
        for mark in textset.MARKS:
            assert not _mentions(text, mark.name), (text, mark.name)


def test_homophones_read_the_same_and_traditional_differs() -> None:
    rng = random.Random(1)
    to_simplified = OpenCC("t2s")
    for mark in (m for m in textset.MARKS if m.lang == "zh"):
        for _ in range(20):
            found = homophone(rng, mark.name)
            assert found is not None
            assert found[0] != mark.name and lazy_pinyin(found[0]) == lazy_pinyin(mark.name)
            assert to_simplified.convert(found[0]) != mark.name
        traditional = OpenCC("s2t").convert(mark.name)
        assert traditional != mark.name and to_simplified.convert(traditional) == mark.name


def test_latin_disguises_change_the_text_and_use_tr39_lookalikes() -> None:
    rng = random.Random(2)
    for kind in ("homoglyph", "mixed_script", "fullwidth", "zero_width", "spacing"):
        for shown in ("NOVAFLEX", "Lumora", "silver fjord"):
            found = apply_latin(rng, kind, shown, 0)
            assert found is not None and found[0] != shown, (kind, shown)
    assert "а" in confusables("a")["CYRILLIC"]  # CYRILLIC SMALL LETTER A
    assert all(not g.isascii() for s in confusables("o").values() for g in s)


def test_registry_file_imports_cleanly(tmp_path: Path) -> None:
    registry = Registry(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        result = registry.import_file(textset.DEFAULT_DIR / "registry.yaml")
        assets = registry.detector_assets()
    finally:
        registry.close()
    assert result.assets_created == len(textset.MARKS)
    by_id = {a.id: a for a in assets}
    assert set(by_id) == {m.id for m in textset.MARKS}
    for mark in textset.MARKS:
        asset = by_id[mark.id]
        assert asset.kind is AssetKind.WORD_MARK and asset.name == mark.name
        assert asset.authorized_sellers == mark.authorized
        assert asset.classes == mark.classes and asset.price_floor is not None
    text = (textset.DEFAULT_DIR / "labels.jsonl").read_text(encoding="utf-8")
    labels = [json.loads(line) for line in text.splitlines()]
    assert {label["asset_id"] for label in labels} - {None} <= set(by_id)
