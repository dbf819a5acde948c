"""The seller entity: one per marketplace seller, stored once and referenced by ``key``.

Contact fields seen on pages are kept under normalised keys (``email``, ``phone``,
``store_url``) so sellers can later be linked by a shared contact: e-mails lower-cased, phones
as digits with their country code, URLs without scheme, ``www.`` or trailing slash.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

CONTACT_KEYS = ("email", "phone", "store_url")
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


NORMALISERS = {"email": normalise_email, "phone": normalise_phone, "store_url": normalise_url}


def normalise_contacts(raw: Mapping[str, str | None]) -> dict[str, str]:
    """Known contact keys normalised; empty values and unknown keys dropped."""
    out: dict[str, str] = {}
    for key, value in raw.items():
        normalise = NORMALISERS.get(key)
        if normalise is not None and isinstance(value, str) and (clean := normalise(value)):
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
