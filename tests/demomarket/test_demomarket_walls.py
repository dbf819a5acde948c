"""The shop's anti-bot walls on demand: a challenge, a captcha, a soft-blocked empty page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from demomarket.testing import fetch

if TYPE_CHECKING:
    from demomarket import DemoMarket


def test_challenge_is_a_403_cloudflare_interstitial(shop: DemoMarket) -> None:
    page = fetch(shop.url("/item/1001?fault=challenge"))
    assert page.status == 403
    assert page.headers["cf-mitigated"] == "challenge"
    assert "<title>Just a moment...</title>" in page.text


def test_captcha_is_served_with_200_after_the_first_hits(shop: DemoMarket) -> None:
    url = shop.url("/item/1002?fault=captcha&after=1&times=1")
    first, second, third = (fetch(url) for _ in range(3))
    assert "listing-title" in first.text
    assert second.status == 200 and "滑动验证" in second.text and "listing-title" not in second.text
    assert "listing-title" in third.text


def test_empty_is_a_page_without_listings_or_a_result_count(shop: DemoMarket) -> None:
    page = fetch(shop.url("/search?q=novaflex&fault=empty"))
    assert page.status == 200
    assert "result-link" not in page.text and "result-count" not in page.text
    assert "result-link" in fetch(shop.url("/search?q=novaflex")).text
