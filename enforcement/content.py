"""What a notice says, gathered by the services from confirmed findings: plain values only.

Everything from a listing (title, seller, URL, signal sentences) is hostile text; the renderer
escapes it for the output it writes. Nothing here is escaped yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Notifier:
    """Who sends the notice (DSA Art. 16(2)(c); DMCA §512(c)(3)(A)(i), (iv))."""

    name: str
    email: str
    address: str = ""
    phone: str = ""
    signature: str = ""


@dataclass(frozen=True)
class Statements:
    bona_fide: str
    dmca_good_faith: str
    dmca_accuracy: str


@dataclass(frozen=True)
class Right:
    """A registered right as the notice names it (DSA Art. 16(2)(a): the explanation)."""

    asset_id: str
    kind: str  # word_mark | figurative_mark | design_patent | utility_patent | product_image
    kind_label: str  # "trade mark", "registered design", ... in plain words
    name: str
    registration_number: str = ""
    jurisdiction: str = ""
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceRef:
    """Sealed evidence the notice cites: the snapshot and its manifest digest."""

    snapshot_id: str
    manifest_sha256: str
    captured_at: str = ""
    wacz: str = ""  # the exported WACZ file name, when one was exported


@dataclass(frozen=True)
class Item:
    """One infringing listing: where it is (DSA Art. 16(2)(b)) and why it infringes."""

    finding_id: str
    url: str
    item_id: str
    title: str
    seller_name: str
    seller_id: str
    right: Right
    signals: tuple[str, ...]  # the detector's sentences
    signal_kinds: tuple[str, ...]
    photo_copy: bool  # an image copy is claimed: the DMCA part applies
    evidence: tuple[EvidenceRef, ...] = ()


@dataclass(frozen=True)
class NoticeContent:
    """One notice: to one marketplace, for one rights holder, about confirmed findings."""

    notice_id: str
    date: str  # YYYY-MM-DD, UTC
    marketplace: str
    owner: str
    notifier: Notifier
    statements: Statements
    items: tuple[Item, ...]
    rights: tuple[Right, ...] = field(default=())

    @property
    def photo_copies(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.photo_copy)
