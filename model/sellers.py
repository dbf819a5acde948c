"""The seller entity: one per marketplace seller, stored once and referenced by ``key``.

Contact fields seen on pages are kept under normalised keys (``email``, ``phone``,
``store_url``, ``wechat``, ``whatsapp``, ``telegram``, ``business_reg``) so sellers can be
linked by a shared contact: e-mails lower-cased, phones as digits with their country code, URLs
without scheme, ``www.`` or trailing slash, messenger handles folded, registration numbers
compact upper case. Contact text is hostile: a value is capped before and after normalising,
and one that cannot be a real handle or number is dropped rather than kept to link on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

CONTACT_KEYS = ("email", "phone", "store_url", "wechat", "whatsapp", "telegram", "business_reg")
MAX_CONTACT = 200  # characters of one contact value, raw and normalised
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def normalise_email(value: str) -> str:
    return value.strip().removeprefix("mailto:").strip().lower()


def normalise_phone(value: str) -> str:
    """Digits only, the country code kept: '+1 (555) 010-0000' and '001 555 010 0000' agree."""
    text = value.strip().removeprefix("tel:")
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and digits.startswith("00"):
        digits = digits[2:]
    return digits


def normalise_url(value: str) -> str:
    """'https://www.Shop.example/acme/' -> 'shop.example/acme' (host lower-cased, path kept)."""
    text = _SCHEME.sub("", value.strip())
    host, sep, rest = text.partition("/")
    host = host.lower().removeprefix("www.")
    return f"{host}{sep}{rest}".rstrip("/")


_WECHAT = re.compile(r"^(?:wxid_[a-z0-9]{6,30}|[a-z][a-z0-9_-]{5,19})$")
_TELEGRAM = re.compile(r"^[a-z][a-z0-9_]{4,31}$")
# China's unified social credit code (GB 32100-2015): 18 characters, no I, O, S, V or Z.
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# EU VAT identifiers: the member state prefix (EL for Greece, XI for Northern Ireland) and
# 2 to 12 letters or digits, the shape VIES accepts.
_EU_VAT = re.compile(
    r"^(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)"
    r"[0-9A-Z+*]{2,12}$"
)


def normalise_wechat(value: str) -> str:
    """A WeChat id as WeChat accepts it (6-20 characters, a letter first, or ``wxid_...``)."""
    label = r"^(?:wechat|weixin|微信)\s*(?:id|号)?\s*[:：]\s*"
    text = re.sub(label, "", value.strip(), flags=re.I)
    handle = text.strip().casefold()
    return handle if _WECHAT.match(handle) else ""


def normalise_whatsapp(value: str) -> str:
    """A WhatsApp number, from 'wa.me/8613...', 'api.whatsapp.com/send?phone=...' or as dialled."""
    text = value.strip()
    link = re.search(r"(?:wa\.me/|phone=)\+?([\d\s-]+)", text)
    digits = normalise_phone("+" + link.group(1) if link else text)
    return digits if 7 <= len(digits) <= 15 else ""


def normalise_telegram(value: str) -> str:
    """A Telegram username from '@name', 't.me/name' or 'telegram.me/name', lower-cased."""
    text = re.sub(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/", "", value.strip(), flags=re.I)
    handle = text.strip().removeprefix("@").split("/")[0].split("?")[0].casefold()
    return handle if _TELEGRAM.match(handle) else ""


def normalise_business_reg(value: str) -> str:
    """A unified social credit code or an EU VAT id, compact upper case; anything else dropped."""
    compact = re.sub(r"[\s.\-/]", "", value).upper()
    return compact if _USCC.match(compact) or _EU_VAT.match(compact) else ""


NORMALISERS = {
    "email": normalise_email,
    "phone": normalise_phone,
    "store_url": normalise_url,
    "wechat": normalise_wechat,
    "whatsapp": normalise_whatsapp,
    "telegram": normalise_telegram,
    "business_reg": normalise_business_reg,
}


def normalise_contacts(raw: Mapping[str, str | None]) -> dict[str, str]:
    """Known contact keys normalised and capped; empty values and unknown keys dropped."""
    out: dict[str, str] = {}
    for key, value in raw.items():
        normalise = NORMALISERS.get(key)
        if normalise is None or not isinstance(value, str):
            continue
        if clean := normalise(value[: MAX_CONTACT * 4])[:MAX_CONTACT]:
            out[key] = clean
    return out


def fold_name(name: str | None) -> str | None:
    """Case-insensitive seller name, as filters match it."""
    folded = name.casefold().strip() if name else ""
    return folded or None


def seller_key(
    marketplace: str, seller_id: str | None, name: str | None = None, url: str | None = None
) -> str:
    """Deterministic: the marketplace's seller id, else the folded name, else the store URL."""
    if seller_id:
        basis = f"id\x00{seller_id}"
    elif fold_name(name):
        basis = f"name\x00{fold_name(name)}"
    else:
        basis = f"url\x00{normalise_url(url or '')}"
    digest = hashlib.sha256(f"{marketplace}\x00{basis}".encode()).hexdigest()
    return f"S-{digest[:16]}"


@dataclass(frozen=True)
class Seller:
    """Who sells a listing: one marketplace seller, wherever it appears."""

    id: str | None = None  # the marketplace's own seller id
    name: str | None = None
    url: str | None = None
    marketplace: str = ""
    contacts: dict[str, str] = field(default_factory=dict, hash=False)
    # Bookkeeping, not identity: two reads of one seller compare equal whenever they were seen.
    first_seen: datetime | None = field(default=None, compare=False)
    last_seen: datetime | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return seller_key(self.marketplace, self.id, self.name, self.url)

    @property
    def name_folded(self) -> str | None:
        return fold_name(self.name)
