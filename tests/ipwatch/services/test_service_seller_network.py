"""Seller networks, the repeat-infringer record and the dashboard through the services, on
both backends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from ipwatch.services.dashboard import dashboard
from ipwatch.services.errors import NotFoundError
from ipwatch.services.identity import Principal
from ipwatch.services.repeat_record import repeat_record
from ipwatch.services.seller_network import seller_network, seller_networks
from tests.ipwatch.services.network_data import ACME, GLOBEX, HELP, World, build

OPERATOR = Principal.operator("root")
ALICE = Principal("alice", "reviewer", (ACME,))
GARY = Principal("gary", "reviewer", (GLOBEX,))


@pytest.fixture(scope="module", params=["sqlite", "opensearch"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    index_url = None
    if request.param == "opensearch":
        url = request.getfixturevalue("opensearch_url")
        index_url = f"{url}/?prefix=t-net-{uuid.uuid4().hex[:8]}"
    built = build(tmp_path_factory.mktemp("net") / "home", index_url)
    yield built
    built.workspace.close()


def test_operator_sees_the_whole_network_with_every_reason(world: World) -> None:
    k = world.sellers
    found = seller_network(world.workspace, OPERATOR, k["s1"])
    assert sorted(s.key for s in found.members) == sorted(k[x] for x in ("s1", "s2", "s3", "s4"))
    kinds = {(link.kind, frozenset((link.a, link.b))) for link in found.links}
    assert ("email", frozenset((k["s1"], k["s2"]))) in kinds
    assert ("wechat", frozenset((k["s2"], k["s3"]))) in kinds
    assert ("photo_near", frozenset((k["s3"], k["s4"]))) in kinds
    assert len(found.links) == 3
    photo = next(link for link in found.links if link.kind == "photo_near")
    assert "near-identical product photo pHash" in photo.reason
    assert set(found.positions) == {s.key for s in found.members}
    assert (world.workspace.home / "cache/photo-phash.json").is_file()


def test_an_authorized_sellers_original_photos_link_nobody(world: World) -> None:
    """S5 (Acme's official shop) shows the photo S3 copied: no link, S5 stands alone."""
    found = seller_network(world.workspace, OPERATOR, world.sellers["s5"])
    assert [s.key for s in found.members] == [world.sellers["s5"]] and found.links == []


def test_the_help_address_links_nobody_and_says_why(world: World) -> None:
    found = seller_network(world.workspace, OPERATOR, world.sellers["g1"])
    assert [s.key for s in found.members] == [world.sellers["g1"]]
    assert [(i.kind, i.value) for i in found.ignored] == [("email", HELP)]
    assert "more than 3 sellers" in found.ignored[0].reason


def test_tenant_sees_only_sellers_and_links_through_its_findings(world: World) -> None:
    """Acme never learns of S3 (Globex's), so S4's photo link through S3 is not shown."""
    k = world.sellers
    found = seller_network(world.workspace, ALICE, k["s1"])
    assert sorted(s.key for s in found.members) == sorted([k["s1"], k["s2"]])
    assert [link.kind for link in found.links] == ["email"]
    assert seller_network(world.workspace, ALICE, k["s4"]).members[0].key == k["s4"]
    with pytest.raises(NotFoundError):
        seller_network(world.workspace, ALICE, k["s3"])
    with pytest.raises(NotFoundError):
        seller_network(world.workspace, GARY, k["s1"])
    rows = seller_networks(world.workspace, ALICE)
    assert [sorted(r.members) for r in rows] == [sorted([k["s1"], k["s2"]])]
    assert seller_networks(world.workspace, GARY) == []  # S3 alone in Globex's scope
    everyone = seller_networks(world.workspace, OPERATOR)
    assert [r.sellers for r in everyone] == [4]


def test_record_counts_are_traceable_to_their_findings(world: World) -> None:
    k = world.sellers
    record = repeat_record(world.workspace, ALICE)
    rows = {r["key"]: r for r in record.rows() if r["scope"] == "seller"}
    s1 = rows[k["s1"]]
    ids = s1["finding_ids"]
    assert ids["confirmed"] == ["F-1", "F-1b"]
    assert (s1["confirmed"], s1["strikes"], s1["strike_level"]) == (2, 2, "warning")
    assert (ids["notices_sent"], ids["removals"], ids["reappearances"]) == (
        ["F-1b"],
        ["F-1b"],
        ["F-1b"],
    )
    assert s1["counter_notices"] == 0
    assert s1["listings_seen"] == 3 and s1["infringing_share"] == round(2 / 3, 4)
    assert ids["manifestly_illegal"] == ["F-1", "F-1b"] and s1["manifestly_illegal"] == 2
    assert s1["gravity"] == 3 and ids["gravity"] == ["F-1", "F-1b"]
    assert ids["intent"] == ["F-1", "F-1b"]  # a disguised mark; a listing back after removal
    assert s1["marketplaces"] == ["amazon"]
    assert k["s3"] not in rows and "F-3" not in str(record.rows())  # Globex's, not Acme's
    (network,) = [r for r in record.rows() if r["scope"] == "network"]
    assert network["sellers"] == sorted([k["s1"], k["s2"]])
    assert network["finding_ids"]["confirmed"] == ["F-1", "F-1b", "F-2"]
    assert network["notices_sent"] == 2 and network["strikes"] == 3
    gary = repeat_record(world.workspace, GARY).rows()
    assert {r["key"] for r in gary} == {k["s3"], k["g1"]}


def test_dashboard_counts_takedowns_per_marketplace_in_scope(world: World) -> None:
    data = dashboard(world.workspace, ALICE).to_dict()
    assert data["findings_read"] == 8 and sum(data["findings"].values()) == 8
    assert sum(data["confirmations"].values()) == 3  # F-1, F-1b, F-2
    assert sum(data["notices"].values()) == 2 and sum(data["removals"].values()) == 1
    takedowns = {t["marketplace"]: t for t in data["takedowns"]}
    assert takedowns["amazon"]["success_rate"] == 1.0
    assert takedowns["amazon"]["finding_ids"] == {"noticed": ["F-1b"], "removed": ["F-1b"]}
    assert takedowns["ebay"]["success_rate"] == 0.0
    assert takedowns["ebay"]["median_hours_to_removal"] is None
    assert data["top_sellers"][0]["key"] == world.sellers["s1"]
    assert "F-3" not in str(data) and "F-G" not in str(data)  # Globex's findings
