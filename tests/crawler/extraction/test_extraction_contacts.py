"""Messenger handles and registration numbers a shop page prints, captured into seller contacts."""

from __future__ import annotations

from crawler.extraction import extract_listing
from model.sellers import MAX_CONTACT, normalise_contacts

URL = "https://shop.example/p/1"
LD = (
    '<script type="application/ld+json">{"@type":"Product","name":"Shoe","offers":{"price":"9",'
    '"priceCurrency":"USD","seller":{"@type":"Organization","name":"Sunny","email":"s@x.example"}}}'
    "</script>"
)


def page(body: str) -> str:
    return f"<html><head>{LD}</head><body><h1>Shoe</h1>{body}</body></html>"


def contacts(body: str) -> dict[str, str]:
    seller = extract_listing(page(body), URL).seller
    assert seller is not None
    return normalise_contacts(seller.contacts)


def test_labelled_handles_links_and_numbers_are_captured() -> None:
    got = contacts(
        "<p>加微信: Sunny_Shop88 for wholesale</p>"
        '<a href="https://wa.me/8613800001111">chat</a>'
        '<a href="https://t.me/sunny_seller">channel</a>'
        "<footer>统一社会信用代码：91310000MA1FL0X123 · VAT: DE 123 456 789</footer>"
    )
    assert got == {
        "email": "s@x.example",
        "wechat": "sunny_shop88",
        "whatsapp": "8613800001111",
        "telegram": "sunny_seller",
        "business_reg": "91310000MA1FL0X123",
    }


def test_eu_vat_and_labelled_whatsapp_number_in_text() -> None:
    got = contacts(
        "<p>WhatsApp: +44 7700 900123</p><p>Telegram: @moon_seller</p><p>VAT No. FR40303265045</p>"
    )
    assert got["whatsapp"] == "447700900123"
    assert got["telegram"] == "moon_seller"
    assert got["business_reg"] == "FR40303265045"


def test_unlabelled_numbers_and_script_text_are_not_contacts() -> None:
    got = contacts(
        "<p>Order 91310000MA1FL0X123 now</p><script>var wechat = 'wechat: spy_spy_1';</script>"
    )
    assert got == {"email": "s@x.example"}


def test_hostile_contact_text_is_capped_and_never_a_handle() -> None:
    """A megabyte of 'WeChat: aaaa...' and an injected formula: dropped, not stored whole."""
    got = contacts(
        "<p>WeChat: " + "a" * 1_000_000 + "</p><p>Telegram: =cmd|' /C calc'!A0</p>"
        "<p>VAT: <script>alert(1)</script></p>"
    )
    assert got == {"email": "s@x.example"}
    raw = {"email": "x" * 10_000 + "@e.example", "wechat": "wechat: =cmd|calc"}
    capped = normalise_contacts(raw)
    assert len(capped["email"]) == MAX_CONTACT
    assert "wechat" not in capped
