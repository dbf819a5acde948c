"""Asset ids: ASCII-safe, deterministic, readable in URLs and folder names."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# One segment of an id; explicit ids are one segment, derived ids are owner/kind/name.
SEGMENT = r"[a-z0-9][a-z0-9._-]*"
ASSET_ID_RE = re.compile(rf"^{SEGMENT}(?:/{SEGMENT})*$")
MAX_ID_LENGTH = 200
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII slug; text that loses characters gets a short sha1 so it stays unique.

    ``"Café Noir"`` -> ``cafe-noir``; ``"耐克"`` -> ``x-<sha1>``; ``"耐克 Nike"`` -> ``nike-<sha1>``
    (otherwise it would collide with plain ``"Nike"``).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lossy = any(ord(ch) > 127 for ch in kept)
    ascii_text = kept.encode("ascii", "ignore").decode("ascii").lower()
    base = _NON_SLUG.sub("-", ascii_text).strip("-")[:80].strip("-")
    if not lossy and base:
        return base
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    return f"{base or 'x'}-{digest}"


def derive_asset_id(owner: str, kind: str, registration_number: str | None, name: str) -> str:
    """The default id: ``slug(owner)/kind/slug(registration_number or name)``."""
    return f"{slug(owner)}/{kind}/{slug(registration_number or name)}"
