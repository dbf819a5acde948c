"""The catalog's ground truth is coherent: kinds, prices, sellers and reachability agree."""

from __future__ import annotations

from decimal import Decimal

from demomarket import CATALOG
from demomarket.records import normalise
from demomarket.testing import expected_flagged, ground_truth


def _floor(asset_id: str) -> tuple[Decimal, str] | None:
    asset = CATALOG.asset(asset_id)
    assert asset is not None
    return (Decimal(asset.price_floor[0]), asset.price_floor[1]) if asset.price_floor else None


def test_kinds_decide_the_expected_flag() -> None:
    truth = ground_truth()
    for item in CATALOG.items:
        clean = item.kind in ("genuine", "unrelated", "hard_negative", "hostile")
        assert truth[item.id].expected_flag is not clean, item.id
    assert 20 <= len(expected_flagged()) <= len(truth) - 15


def test_genuine_listings_are_sold_by_the_owner_above_every_floor() -> None:
    for item in (i for i in CATALOG.items if i.kind == "genuine"):
        owner = next(o for o in CATALOG.owners if item.seller_id in o.authorized_sellers)
        relevant = [a for a in owner.assets if a.kind == "word_mark" or a.image in item.images]
        assert len(relevant) >= 2, item.id
        for asset in relevant:
            floor = _floor(asset.id)
            if floor and floor[1] == item.currency:
                assert item.price >= floor[0], (item.id, asset.id)


def test_exact_mark_listings_undercut_the_floor_from_unauthorized_sellers() -> None:
    authorized = {s for owner in CATALOG.owners for s in owner.authorized_sellers}
    for item in (i for i in CATALOG.items if i.kind == "exact_unauthorized"):
        assert item.seller_id not in authorized
        floors = [_floor(a) for a in item.expected_asset_ids]
        assert any(f and f[1] == item.currency and item.price < f[0] for f in floors), item.id


def test_disguised_titles_do_not_contain_the_plain_mark() -> None:
    for item in (i for i in CATALOG.items if i.kind == "disguised"):
        marks = [CATALOG.asset(a).name for a in item.expected_asset_ids if a.endswith("-word")]
        assert marks, item.id
        assert not any(mark in item.title for mark in marks), item.id


def test_normalise_folds_width_case_and_invisible_characters() -> None:
    assert normalise("ＮＯＶＡＦＬＥＸ") == "novaflex"
    assert normalise("NOVA\u200bFLEX  Storm") == "novaflex storm"
    assert normalise("NОVAFLЕX") != "novaflex"  # homoglyphs survive, as on real marketplaces


def test_every_searchable_flagged_listing_is_found_by_a_registered_keyword() -> None:
    keywords = [k for o in CATALOG.owners for a in o.assets for k in a.keywords]
    found = {item.id for keyword in keywords for item in CATALOG.search(keyword)}
    for item in CATALOG.items:
        if item.expected_flag and item.searchable:
            assert item.id in found, item.id


def test_listings_cover_every_markup_style_and_both_languages() -> None:
    assert {i.style for i in CATALOG.items if i.expected_flag} == {"jsonld", "microdata", "plain"}
    assert {i.currency for i in CATALOG.items} >= {"USD", "CNY"}
    assert all(1 <= len(i.images) <= 3 for i in CATALOG.items)
