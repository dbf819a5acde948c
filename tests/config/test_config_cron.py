"""Crontab expressions: the fields crontab(5) allows, Sunday as 0 or 7, and clear refusals."""

from __future__ import annotations

import pytest

from config.cron import parse_cron


def test_five_fields_with_ranges_steps_lists_and_names() -> None:
    spec = parse_cron("*/15 9-17/4 1,15 jan,jul-aug *")
    assert spec.second.values == (0,) and not spec.has_seconds
    assert spec.minute.values == (0, 15, 30, 45)
    assert spec.hour.values == (9, 13, 17)
    assert spec.day.values == (1, 15)
    assert spec.month.values == (1, 7, 8)
    assert not spec.weekday.restricted


def test_day_of_week_counts_from_sunday_and_seven_is_sunday_too() -> None:
    assert parse_cron("0 3 * * 1-5").weekday.values == (1, 2, 3, 4, 5)
    assert parse_cron("0 3 * * 5-7").weekday.values == (0, 5, 6)
    assert parse_cron("0 3 * * SUN,sat").weekday.values == (0, 6)
    assert not parse_cron("0 3 * * 0-7").weekday.restricted


def test_a_sixth_leading_field_is_seconds() -> None:
    spec = parse_cron("*/20 * * * * *")
    assert spec.has_seconds and spec.second.values == (0, 20, 40)
    assert not spec.minute.restricted


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 3 * *", "4 field(s)"),
        ("@daily", "1 field(s)"),
        ("60 3 * * *", "minute: '60' is not a number from 0 to 59"),
        ("0 3 0 * *", "day-of-month: '0' is not a number from 1 to 31"),
        ("0 3 * foo *", "or a name (jan,"),
        ("0 3 * * 8", "day-of-week: '8'"),
        ("*/0 * * * *", "step '0'"),
        ("0 17-9 * * *", "runs backwards"),
        ("0 3 L * *", "day-of-month: 'L'"),
        ("0 3 1 * mon", "restricts both day-of-month and day-of-week"),
    ],
)
def test_bad_expressions_name_the_field_and_the_fix(expression: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_cron(expression)
    assert message in str(raised.value)
