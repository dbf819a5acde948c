"""Seller networks as a user may see them: built from every seller, shown within their scope.

Linking reads every seller's contacts and the photos of its listings (``enforcement.networks``),
except the photos of the rights holders' authorized sellers.
A seller has no owner, so a user sees only the sellers named by findings of their owners
(as ``services.sellers``), and only the links between two such sellers: a network is shown as
the part of it those links connect, and a seller outside the scope never appears, even as a
bridge. Whether an identifier is too common to link is decided over every seller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from detector.rules import seller_key as fold_seller
from enforcement.networks import Edge, Ignored, NetworkIndex, SellerFacts
from enforcement.networks.facts import KIND_LABELS
from enforcement.networks.layout import ring_layout
from enforcement.networks.unionfind import UnionFind
from ipwatch.services.errors import NotFoundError
from ipwatch.services.seller_photos import PhotoHashes
from model import FindingQuery

if TYPE_CHECKING:
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import Seller

PAGE = 500
MAX_PHOTOS = 12  # photos per listing read for linking


@dataclass(frozen=True)
class Link:
    """One explained edge, as a row: both sellers and the sentence that says why."""

    a: str
    b: str
    kind: str
    label: str
    value: str
    reason: str  # seen from ``a``

    def to_dict(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "label": self.label,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SellerNetwork:
    """A seller's network in the caller's scope, with the drawing's coordinates."""

    focus: str
    members: list[Seller]
    links: list[Link]
    ignored: list[Ignored]
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "seller": self.focus,
            "members": [
                {
                    "key": s.key,
                    "name": s.name,
                    "marketplace": s.marketplace,
                    "url": s.url,
                    "contacts": dict(s.contacts),
                }
                for s in self.members
            ],
            "links": [link.to_dict() for link in self.links],
            "ignored": [
                {"kind": i.kind, "value": i.value, "reason": i.reason} for i in self.ignored
            ],
        }


@dataclass(frozen=True)
class NetworkRow:
    """One network in the caller's scope: its sellers and what links them."""

    network: str  # its first seller key: a stable name while the network keeps that seller
    sellers: int
    marketplaces: list[str]
    members: list[str]
    names: list[str | None]
    links: int
    reasons: list[str]


def authorized_names(workspace: Workspace) -> set[str]:
    """Every rights holder's authorized sellers (ids or names), compared as the detector does."""
    return {
        fold_seller(name)
        for asset in workspace.registry.list_assets()
        for name in asset.authorized_sellers
        if fold_seller(name)
    }


def build_index(workspace: Workspace) -> tuple[NetworkIndex, dict[str, Seller]]:
    """Every seller and its listings' photos in one network index (exact and near photos).

    An authorized seller's photos link nobody: they are the brand's originals, which
    counterfeiters copy, so sharing them says nothing about who runs a shop."""
    settings = workspace.config.enforcement
    authorized = authorized_names(workspace)
    index = NetworkIndex(settings.fanout_cap, settings.photo_max_distance)
    sellers = {seller.key: seller for seller in workspace.index.iter_sellers()}
    photos: dict[str, set[str]] = {}
    for listing in workspace.index.iter_listings():
        if listing.seller_key in sellers:
            fetched = listing.data.get("images_fetched") or []
            shas = photos.setdefault(listing.seller_key, set())
            for image in fetched[:MAX_PHOTOS] if isinstance(fetched, list) else []:
                sha = image.get("sha256") if isinstance(image, dict) else None
                if isinstance(sha, str) and len(sha) == 64:
                    shas.add(sha)
    hashes = PhotoHashes(workspace)
    for key in sorted(sellers):
        seller = sellers[key]
        shas = photos.get(key, set())
        if {fold_seller(v) for v in (seller.id, seller.name) if v} & authorized:
            shas = set()
        phashes = {h for sha in sorted(shas) if (h := hashes.phash(sha)) is not None}
        index.add(
            SellerFacts(
                key=key,
                marketplace=seller.marketplace,
                name=seller.name,
                contacts=dict(seller.contacts),
                photos=frozenset(shas),
                phashes=frozenset(phashes),
            )
        )
    hashes.save()
    return index, sellers


def visible_sellers(workspace: Workspace, principal: Principal) -> set[str] | None:
    """Seller keys named by findings in scope; None when the caller sees every owner."""
    principal.require("read")
    if principal.all_owners:
        return None
    keys: set[str] = set()
    after: tuple[float, str] | None = None
    while True:
        batch = workspace.index.list_findings(
            principal.scope(FindingQuery(limit=PAGE, search_after=after))
        )
        keys.update(f.seller_key for f in batch if f.seller_key)
        if len(batch) < PAGE:
            return keys
        after = (batch[-1].risk, batch[-1].id)


def _link(edge: Edge, index: NetworkIndex) -> Link:
    label = KIND_LABELS.get(edge.kind, edge.kind)
    return Link(edge.a, edge.b, edge.kind, label, edge.value, edge.explain(edge.a, index.sellers))


def scoped_component(index: NetworkIndex, key: str, visible: set[str] | None) -> list[str]:
    """``key``'s network walked through visible sellers only."""
    seen, todo = {key}, [key]
    while todo:
        current = todo.pop()
        for _, other in index.neighbours(current):
            if other not in seen and (visible is None or other in visible):
                seen.add(other)
                todo.append(other)
    return sorted(seen)


def seller_network(workspace: Workspace, principal: Principal, key: str) -> SellerNetwork:
    """The network of one seller the caller can see; NotFound for any other seller."""
    visible = visible_sellers(workspace, principal)
    if visible is not None and key not in visible:
        raise NotFoundError(f"no seller {key[:200]!r}")
    index, sellers = build_index(workspace)
    if key not in sellers:
        raise NotFoundError(f"no seller {key[:200]!r}")
    members = scoped_component(index, key, visible)
    edges = index.edges_among(members)
    return SellerNetwork(
        focus=key,
        members=[sellers[k] for k in members],
        links=[_link(e, index) for e in edges],
        ignored=index.ignored(key),
        positions=ring_layout(key, members, edges),
    )


def seller_networks(workspace: Workspace, principal: Principal) -> list[NetworkRow]:
    """Every network of two or more sellers in scope, largest first: one row each."""
    visible = visible_sellers(workspace, principal)
    index, sellers = build_index(workspace)
    rows = []
    for group in index.groups(min_size=2):
        shown = [k for k in group if visible is None or k in visible]
        parts = UnionFind()
        for k in shown:
            parts.add(k)
        edges = index.edges_among(shown)
        for edge in edges:
            parts.union(edge.a, edge.b)
        for members in parts.groups().values():
            if len(members) < 2:
                continue
            inside = [e for e in edges if e.a in members]
            rows.append(
                NetworkRow(
                    network=members[0],
                    sellers=len(members),
                    marketplaces=sorted({sellers[k].marketplace for k in members}),
                    members=members,
                    names=[sellers[k].name for k in members],
                    links=len(inside),
                    reasons=sorted({KIND_LABELS.get(e.kind, e.kind) for e in inside}),
                )
            )
    return sorted(rows, key=lambda r: (-r.sellers, r.network))
