"""The classifier tells walls (challenge, captcha, rate limit, access denied) from pages."""

from __future__ import annotations

import pytest

from config.profile import BlockRules
from crawler.blocks import BlockClassifier, classify
from demomarket import walls
from demomarket.catalog import CATALOG
from demomarket.listing import listing_page


def test_cloudflare_interstitial_is_a_challenge() -> None:
    status, body, headers = walls.challenge()
    reason = classify(status, headers, body.decode())
    assert reason is not None and reason.kind == "challenge"
    assert "just a moment" in reason.detail


def test_slider_captcha_served_with_200_is_a_captcha() -> None:
    status, body, headers = walls.captcha()
    reason = classify(status, headers, body.decode())
    assert reason is not None and reason.kind == "captcha"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<title>Attention Required! | Cloudflare</title>", "forbidden"),
        ("<p>访问受限，请稍后再试</p>", "forbidden"),
        ('<div id="px-captcha"></div>', "captcha"),
        ('<script src="https://geo.captcha-delivery.com/captcha/"></script>', "captcha"),
        ("<p>请输入验证码</p>", "captcha"),
    ],
)
def test_walls_own_words_count_at_any_status(text: str, kind: str) -> None:
    reason = classify(200, {}, f"<html><body>{text}</body></html>")
    assert reason is not None and reason.kind == kind


def test_vendor_scripts_on_an_ordinary_page_are_not_a_block() -> None:
    """Shops load DataDome, PerimeterX and reCAPTCHA scripts on normal pages too."""
    page = '<script src="https://js.datadome.co/tags.js"></script><div class="g-recaptcha">'
    assert classify(200, {}, page) is None
    reason = classify(403, {}, page)
    assert reason is not None and reason.kind == "captcha"  # on a wall status they do count


def test_statuses() -> None:
    limited = classify(429, {"Retry-After": "3"}, "Too many requests")
    assert limited is not None and limited.kind == "rate_limited"
    assert classify(503, {}, "Server error") is None  # a failing server, not a wall
    busy = classify(503, {"retry-after": "5"}, "busy")
    assert busy is not None and busy.kind == "rate_limited"
    assert classify(403, {}, "<h1>Sign in</h1>") is None  # a real sign-in page
    mitigated = classify(403, {"cf-mitigated": "challenge"}, "")
    assert mitigated is not None and mitigated.kind == "forbidden"


def test_every_demo_listing_page_passes() -> None:
    """No false alarms on real listing pages, including the hostile and Chinese ones."""
    for item in CATALOG.items:
        page = listing_page(item, CATALOG.sellers[item.seller_id], "http://127.0.0.1:1/")
        assert classify(200, {}, page) is None, item.id


def test_profile_patterns_and_status_codes() -> None:
    rules = BlockRules(patterns=(r"Robot check #\d+",), status_codes=(418,))
    check = BlockClassifier(rules)
    matched = check(200, {}, "<p>Robot check #42</p>")
    assert matched is not None and matched.kind == "pattern" and "Robot check #42" in matched.detail
    teapot = check(418, {}, "")
    assert teapot is not None and teapot.kind == "pattern"
    assert check(200, {}, "<p>Robot check</p>") is None
