from __future__ import annotations

from tests.ipwatch.web.conftest import login


def test_queue_groups_a_listings_findings_into_one_card(desk) -> None:
    _data, server = desk
    alice = login(server.url, "alice")
    cards = alice.get(f"{server.url}/queue.json", timeout=10).json()["items"]
    by_listing = {c["listing_id"]: c for c in cards}
    assert set(by_listing) == {"L-1", "L-2"}  # Globex's L-3 is not alice's
    assert by_listing["L-1"]["finding_ids"] == ["F-a1", "F-a2"]  # word mark + logo: one card
    assert [c["listing_id"] for c in cards] == ["L-1", "L-2"]  # riskiest card first
