"""What a seller shows that can link it to another: contacts, store name, photos.

Each is an *identifier*, a ``(kind, value)`` pair compared exactly after normalising, except
near-identical photos, which the photo index compares by perceptual-hash distance.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from model.sellers import CONTACT_KEYS

# Words that make a store name look distinct without naming anyone; dropped before comparing.
_FILLER = frozenset(
    {
        "official", "store", "shop", "flagship", "outlet", "online", "the", "co", "ltd",
        "limited", "inc", "llc", "gmbh", "trading", "company", "旗舰店", "专卖店", "店",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+")
MIN_NAME_KEY = 4  # a folded store name shorter than this ("abc") links nothing
PHOTO_SHA = "photo"  # the kind of an identical photo (same SHA-256 bytes)
STORE_NAME = "store_name"
PHONE = "phone"
KIND_LABELS = {
    "email": "e-mail",
    "phone": "phone or WhatsApp number",
    "store_url": "store URL",
    "wechat": "WeChat id",
    "telegram": "Telegram handle",
    "business_reg": "business registration number",
    STORE_NAME: "store name",
    PHOTO_SHA: "identical product photo",
    "photo_near": "near-identical product photo",
}


@dataclass(frozen=True)
class SellerFacts:
    """One seller as linking sees it; ``phashes`` are 64-bit perceptual hashes of its photos."""

    key: str
    marketplace: str
    name: str | None = None
    contacts: dict[str, str] = field(default_factory=dict, hash=False)
    photos: frozenset[str] = frozenset()  # SHA-256 of product photo bytes
    phashes: frozenset[int] = frozenset()


def store_name_key(name: str | None) -> str | None:
    """'ACME Official Store!' and 'acme-store' -> 'acme': case, width, accents, punctuation and
    filler words dropped; None when too little is left to tell one shop from another."""
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = [w for w in _WORD.findall(text) if w not in _FILLER]
    key = "".join(words).replace("_", "")
    return key if len(key) >= MIN_NAME_KEY else None


def identifiers_of(facts: SellerFacts) -> list[tuple[str, str]]:
    """Every exact identifier of a seller, in a fixed order (contacts, name, photos).

    A WhatsApp number is a phone number: one shop printing it as its phone and another as its
    WhatsApp contact share it, so both are compared as ``phone``."""
    out: list[tuple[str, str]] = []
    for kind in CONTACT_KEYS:
        value = facts.contacts.get(kind)
        if value and (ident := (PHONE if kind == "whatsapp" else kind, value)) not in out:
            out.append(ident)
    name = store_name_key(facts.name)
    if name is not None:
        out.append((STORE_NAME, name))
    out.extend((PHOTO_SHA, sha) for sha in sorted(facts.photos))
    return out
