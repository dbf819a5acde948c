from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from crawler.middlewares.retry import parse_retry_after


def test_delta_seconds() -> None:
    assert parse_retry_after(b"7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0


def test_http_date_is_relative_to_now() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(header, now=now.timestamp()) == 30.0


def test_past_dates_mean_now() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    header = format_datetime(now - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(header, now=now.timestamp()) == 0.0


def test_garbage_is_ignored() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after(b"") is None
    assert parse_retry_after(b"soon") is None
    assert parse_retry_after(b"-5") is None
