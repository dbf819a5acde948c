"""Seller networks: exact groups and explained edges on sellers whose operators are known."""

from __future__ import annotations

import random

import pytest

from bench.seller_network_data import generate
from bench.seller_networks import naive, score
from enforcement.networks import NetworkIndex, SellerFacts, store_name_key
from model.sellers import normalise_contacts

PHOTO = 0xF0F0_1234_ABCD_0077


def _seller(key: str, market: str, name: str, phashes: tuple[int, ...] = (), **raw: str):
    return SellerFacts(key, market, name, normalise_contacts(raw), phashes=frozenset(phashes))


def known_sellers() -> list[SellerFacts]:
    """Three operators and a loner; every link kind; traps that must not link."""
    return [
        # operator 1: e-mail (written two ways), then WeChat, then a near-identical photo
        _seller("S-a1", "amazon", "Sunny Goods", email="Sales@Sunny.example"),
        _seller(
            "S-a2", "ebay", "sg outlet", email="mailto:sales@sunny.example", wechat="微信: sunny_88"
        ),
        _seller("S-a3", "taobao", "阳光", (PHOTO,), wechat="WeChat ID: Sunny_88"),
        _seller("S-a4", "jd", "sunshine trade", (PHOTO ^ 0b101,)),
        # operator 2: phone in two formats; registration number; store name variants
        _seller("S-b1", "amazon", "Kestrel Official Store", phone="+49 (30) 1234-5678"),
        _seller("S-b2", "ebay", "other", phone="0049 30 12345678", business_reg="DE 123.456.789"),
        _seller("S-b3", "aliexpress", "KESTREL shop", business_reg="de123456789"),
        # operator 3: Telegram link vs handle; WhatsApp link vs number
        _seller("S-c1", "aliexpress", "Moon One", telegram="https://t.me/moon_seller"),
        _seller(
            "S-c2", "taobao", "Moon Two", telegram="@Moon_Seller", whatsapp="wa.me/8613800001111"
        ),
        _seller("S-c3", "jd", "Moon Three", whatsapp="+86 138 0000 1111"),
        # a loner whose photo is 9 bits from operator 1's: not near-identical
        _seller("S-d1", "ebay", "Lonely", (PHOTO ^ 0x1FF,)),
    ]


def test_exact_groups_from_every_identifier_kind() -> None:
    index = NetworkIndex(fanout_cap=5, photo_max_distance=3)
    index.add_all(known_sellers())
    assert index.groups() == [
        ["S-a1", "S-a2", "S-a3", "S-a4"],
        ["S-b1", "S-b2", "S-b3"],
        ["S-c1", "S-c2", "S-c3"],
    ]
    assert index.group_of("S-d1") == ["S-d1"]
    assert index.group_of("S-a4") == ["S-a1", "S-a2", "S-a3", "S-a4"]


def test_every_edge_is_explained() -> None:
    index = NetworkIndex(fanout_cap=5)
    index.add_all(known_sellers())
    sentences = {e.explain("S-a2", index.sellers) for e, _ in index.neighbours("S-a2")}
    assert sentences == {
        "shares e-mail sales@sunny.example with seller Sunny Goods (S-a1) on marketplace amazon",
        "shares WeChat id sunny_88 with seller 阳光 (S-a3) on marketplace taobao",
    }
    (photo,) = index.edges_among(["S-a3", "S-a4"])
    assert photo.explain("S-a4", index.sellers) == (
        "shares near-identical product photo pHash f0f01234abcd0072 ~ f0f01234abcd0077 "
        "(2 bits apart) with seller 阳光 (S-a3) on marketplace taobao"
    )
    kinds = {(e.kind, e.value) for e in index.edges_among(["S-b1", "S-b2", "S-b3"])}
    assert kinds == {
        ("phone", "493012345678"),
        ("business_reg", "DE123456789"),
        ("store_name", "kestrel"),
    }
    kinds = {(e.kind, e.value) for e in index.edges_among(["S-c1", "S-c2", "S-c3"])}
    assert kinds == {("telegram", "moon_seller"), ("phone", "8613800001111")}


def test_a_whatsapp_number_links_to_the_same_number_given_as_a_phone() -> None:
    index = NetworkIndex()
    index.add(_seller("S-1", "m", "one", whatsapp="https://wa.me/447700900123"))
    index.add(_seller("S-2", "n", "two", phone="+44 7700 900123", whatsapp="+44 7700 900123"))
    ((edge, _),) = index.neighbours("S-1")
    assert edge.explain("S-1", index.sellers) == (
        "shares phone or WhatsApp number 447700900123 with seller two (S-2) on marketplace n"
    )


def test_fan_out_cap_support_email_and_no_image_photo_link_nobody() -> None:
    """A marketplace's support address and its 'no image' picture on every page: no network."""
    index = NetworkIndex(fanout_cap=3)
    for i in range(4):
        index.add(_seller(f"S-{i}", "m", f"name {i} x", (PHOTO,), email="help@market.example"))
    assert index.groups() == []
    assert index.rebuilds == 1  # the fourth seller pushed both over the cap
    assert [(i.kind, i.value) for i in index.ignored("S-0")] == [
        ("email", "help@market.example"),
        ("photo_near", f"pHash {PHOTO:016x}"),
    ]
    assert "more than 3 sellers" in index.ignored("S-0")[0].reason
    index.add(_seller("S-9", "m", "other", email="own@x.example"))
    index.add(_seller("S-10", "m", "other two", email="own@x.example"))
    assert index.groups() == [["S-10", "S-9"]]


def test_incremental_adds_match_one_batch_in_any_order() -> None:
    sellers = generate(600, seed=3).sellers
    batch = NetworkIndex(fanout_cap=5)
    batch.add_all(sellers)
    shuffled = sellers[:]
    random.Random(1).shuffle(shuffled)
    incremental = NetworkIndex(fanout_cap=5)
    for facts in shuffled:
        incremental.add(facts)
        incremental.group_of(facts.key)  # read between adds, as a crawl would
    assert incremental.groups(1) == batch.groups(1)


def test_generated_operators_are_found_exactly_and_agree_with_all_pairs() -> None:
    data = generate(800, seed=11, copy_bits=1)  # copies at most 2 bits apart: all linkable
    index = NetworkIndex(fanout_cap=20, photo_max_distance=3)
    index.add_all(data.sellers)
    groups = index.groups(1)
    assert score(groups, data.operator) == (1.0, 1.0)
    naive_groups, _ = naive(data.sellers)
    assert sorted(map(sorted, naive_groups)) == sorted(map(sorted, groups))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ACME Official Store!", "acme"),
        ("acme-store", "acme"),
        ("Ａｃｍｅ　Ｓｈｏｐ", "acme"),
        ("Café Löwe", "cafelowe"),
        ("Store", None),
        ("abc", None),
        (None, None),
    ],
)
def test_store_name_key(name: str | None, key: str | None) -> None:
    assert store_name_key(name) == key


def test_fanout_cap_below_two_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        NetworkIndex(fanout_cap=1)
