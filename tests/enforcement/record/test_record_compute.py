"""The record's counts and DSA Art. 23 factors from findings, each with its finding ids."""

from __future__ import annotations

from enforcement.record import FindingFacts, Thresholds, combine_records, seller_record

LIMITS = Thresholds(warning=2, suspend=3, manifest_risk=0.9, gravity={"word_mark": 3, "x": 0})


def facts(fid: str, listing: str, status: str, risk: float = 0.5, **more: object) -> FindingFacts:
    kinds = more.pop("kinds", frozenset({"word_mark"}))
    return FindingFacts(fid, listing, "m", status, risk, kinds, **more)  # type: ignore[arg-type]


def test_one_listing_matching_two_assets_is_one_strike_and_levels_follow_thresholds() -> None:
    findings = [
        facts("F1", "L1", "confirmed", 0.95),
        facts("F2", "L1", "confirmed", 0.5),
        facts("F3", "L2", "removed", history=frozenset({"confirmed", "notice_sent"})),
        facts("F4", "L3", "dismissed", 0.99),
        facts("F5", "L4", "new"),
    ]
    record = seller_record("S", "n", findings, listings_seen=8, thresholds=LIMITS)
    row = record.to_dict()
    assert (row["confirmed"], row["strikes"], row["strike_level"]) == (3, 2, "warning")
    assert row["finding_ids"]["notices_sent"] == ["F3"] and row["removals"] == 1
    assert row["manifestly_illegal"] == 1 and row["finding_ids"]["manifestly_illegal"] == ["F1"]
    assert row["infringing_share"] == 0.25 and row["manifestly_illegal_share"] == 0.125
    assert row["intent"] is False and row["gravity"] == 3
    more = seller_record("S", "n", [*findings, facts("F6", "L6", "confirmed")], 8, LIMITS)
    assert more.strike_level == "suspend"


def test_no_confirmed_finding_has_no_gravity_and_no_share_without_listings() -> None:
    row = seller_record("S", None, [facts("F1", "L1", "new")], 0, LIMITS).to_dict()
    assert row["gravity"] == 0 and row["finding_ids"]["gravity"] == []
    assert row["listings_seen"] == 1  # the finding's own listing is at least seen


def test_network_joins_ids_and_keeps_the_gravest() -> None:
    a = seller_record("A", "a", [facts("F1", "L1", "confirmed", disguised=True)], 2, LIMITS)
    b = seller_record(
        "B", "b", [facts("F2", "L2", "reappeared", kinds=frozenset({"x"}))], 3, LIMITS
    )
    net = combine_records("A", [a, b], LIMITS).to_dict()
    assert net["sellers"] == ["A", "B"] and net["listings_seen"] == 5
    assert net["finding_ids"]["intent"] == ["F1", "F2"]  # disguised mark; back after removal
    assert net["gravity"] == 3 and net["finding_ids"]["gravity"] == ["F1"]
    assert net["strike_level"] == "warning"
