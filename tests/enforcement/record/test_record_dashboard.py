"""Takedown success and time to removal from status histories, per marketplace and per day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from enforcement.record.dashboard import FindingHistory, summarise

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def history(fid: str, market: str, *steps: tuple[float, str]) -> FindingHistory:
    events = tuple((T0 + timedelta(hours=h), status) for h, status in steps)
    return FindingHistory(fid, market, T0 - timedelta(days=1), events)


def test_success_rate_and_median_hours_per_marketplace() -> None:
    series, takedowns = summarise(
        [
            history("F1", "ebay", (0, "confirmed"), (1, "notice_sent"), (11, "removed")),
            history("F2", "ebay", (0, "confirmed"), (2, "notice_sent"), (32, "removed")),
            history("F3", "ebay", (0, "confirmed"), (3, "notice_sent")),
            history(
                "F4",
                "amazon",
                (0, "confirmed"),
                (5, "notice_sent"),
                (53, "removed"),
                (80, "reappeared"),
            ),
            history("F5", "amazon", (0, "dismissed")),
            history("F6", "jd"),
        ]
    )
    rows = {t.marketplace: t.to_dict() for t in takedowns}
    assert list(rows) == ["amazon", "ebay"]
    assert rows["ebay"]["success_rate"] == round(2 / 3, 4)
    assert rows["ebay"]["median_hours_to_removal"] == 20.0  # 10 h and 30 h
    assert rows["amazon"]["median_hours_to_removal"] == 48.0
    assert series.findings == {"2026-02-28": 6}
    assert series.confirmations == {"2026-03-01": 4}
    assert series.removals == {"2026-03-01": 1, "2026-03-02": 1, "2026-03-03": 1}
    assert series.days() == ["2026-02-28", "2026-03-01", "2026-03-02", "2026-03-03"]


def test_days_have_no_gaps_and_span_at_most_a_year() -> None:
    far = FindingHistory("F9", "m", T0 + timedelta(days=800))
    series, _ = summarise([history("F1", "m"), far])
    days = series.days()
    assert len(days) == 366 and days[-1] == (T0 + timedelta(days=800)).date().isoformat()
    series, _ = summarise([history("F1", "m", (0, "confirmed"), (50, "confirmed"))])
    assert series.days() == ["2026-02-28", "2026-03-01"]


def test_a_removal_before_any_notice_is_not_a_takedown() -> None:
    _, takedowns = summarise([history("F1", "m", (0, "removed"), (5, "notice_sent"))])
    assert takedowns[0].to_dict()["removed"] == 0
