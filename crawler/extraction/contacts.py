"""Seller contacts a page prints in its text or links: WeChat, WhatsApp, Telegram, registration.

Structured data rarely carries these, but shop pages print them ("微信: shoes_vip88",
"wa.me/8613...", "VAT: DE123456789") so buyers can reach the operator off-platform: exactly what
links one operator's shop names. Only labelled values count (a bare number is not a contact),
the scanned text is capped, and each value is normalised and checked by ``model.sellers``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from model.sellers import MAX_CONTACT

if TYPE_CHECKING:
    from crawler.extraction.document import Document

MAX_TEXT = 200_000  # characters of page text scanned
MAX_LINKS = 2_000  # links scanned

_LABELLED = {
    "wechat": re.compile(
        r"(?:wechat|weixin|微信)(?:\s*(?:id|号))?\s*[:：]\s*(wxid_[a-z0-9]{6,30}|[a-z][a-z0-9_-]{5,19})(?![\w-])",
        re.I,
    ),
    "whatsapp": re.compile(r"whats\s?app\s*[:：]?\s*(\+?\d[\d\s()-]{6,22}\d)", re.I),
    "telegram": re.compile(r"telegram\s*[:：]?\s*@?([a-z][a-z0-9_]{4,31})\b", re.I),
    "business_reg": re.compile(
        r"(?:统一社会信用代码|社会信用代码|USCC|VAT(?:\s*(?:ID|No\.?|number|reg\.?))?"
        r"|USt-?IdNr\.?|N°\s*TVA|P\.?\s?IVA)\s*[:：]?\s*([A-Z0-9][A-Z0-9 .-]{7,22}[A-Z0-9])",
        re.I,
    ),
}
_LINKS = {
    "whatsapp": re.compile(r"^(?:https?://)?(?:wa\.me/|api\.whatsapp\.com/send\?phone=)", re.I),
    "telegram": re.compile(r"^(?:https?://)?(?:t|telegram)\.me/", re.I),
}


def page_contacts(doc: Document) -> dict[str, str]:
    """Raw contact values found on the page, the first of each kind; normalise before use."""
    found: dict[str, str] = {}
    for href in doc.sel.xpath("//a/@href").getall()[:MAX_LINKS]:
        for key, pattern in _LINKS.items():
            if key not in found and pattern.match(href.strip()):
                found[key] = href.strip()[:MAX_CONTACT]
    text = " ".join(
        t.strip() for t in doc.sel.xpath("//body//text()[not(ancestor::script)]").getall()
    )[:MAX_TEXT]
    for key, pattern in _LABELLED.items():
        if key not in found and (match := pattern.search(text)):
            found[key] = match.group(1)[:MAX_CONTACT]
    return found
