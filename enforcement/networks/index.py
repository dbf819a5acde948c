"""Sellers linked into networks, incrementally: an inverted index from identifier to sellers.

Adding a seller touches only its own identifiers: each posting list it joins links it to the
sellers already there (union-find), and each photo hash is looked up through the banded photo
index. An identifier shown by more than ``fanout_cap`` sellers (a marketplace's support
address, a placeholder phone, a "no image" picture) links nobody: it is reported as ignored
with that reason. When a seller pushes an identifier over the cap, the links it made earlier
no longer hold, so the groups are rebuilt once from the posting lists (rare, and linear).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from enforcement.networks.facts import KIND_LABELS, SellerFacts, identifiers_of
from enforcement.networks.photos import PhotoIndex
from enforcement.networks.unionfind import UnionFind

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

Identifier = tuple[str, str]
PHOTO_NEAR = "photo_near"


@dataclass(frozen=True, order=True)
class Edge:
    """Two sellers (``a`` < ``b``) and the identifier they share; ``value`` is what it is."""

    a: str
    b: str
    kind: str
    value: str

    def explain(self, source: str, sellers: Mapping[str, SellerFacts]) -> str:
        """'shares e-mail x@y with seller Bee Shop (S-...) on marketplace demo', seen from
        ``source``."""
        other = sellers[self.b if source == self.a else self.a]
        label = KIND_LABELS.get(self.kind, self.kind)
        who = f"{other.name} ({other.key})" if other.name else other.key
        return f"shares {label} {self.value} with seller {who} on marketplace {other.marketplace}"


@dataclass(frozen=True)
class Ignored:
    """An identifier of a seller that links nobody, and why."""

    kind: str
    value: str
    reason: str


class NetworkIndex:
    """Every seller's identifiers, the sellers sharing each, and the groups they form."""

    def __init__(self, fanout_cap: int = 20, photo_max_distance: int = 3) -> None:
        if fanout_cap < 2:
            raise ValueError(f"fanout_cap must be at least 2 (a link needs two), not {fanout_cap}")
        self.fanout_cap = fanout_cap
        self.sellers: dict[str, SellerFacts] = {}
        self.postings: dict[Identifier, set[str]] = {}
        self.photos = PhotoIndex(photo_max_distance)
        self._groups = UnionFind()
        self._stale = False
        self.rebuilds = 0

    # -- building --------------------------------------------------------------------------

    def add(self, facts: SellerFacts) -> None:
        """Add a seller, or what is new about a known one (contacts, photos)."""
        known = self.sellers.get(facts.key)
        if known is not None:
            facts = replace(
                known,
                name=known.name or facts.name,
                contacts={**facts.contacts, **known.contacts},
                photos=known.photos | facts.photos,
                phashes=known.phashes | facts.phashes,
            )
        self.sellers[facts.key] = facts
        self._groups.add(facts.key)
        for ident in identifiers_of(facts):
            holders = self.postings.setdefault(ident, set())
            if facts.key in holders:
                continue
            holders.add(facts.key)
            if 2 <= len(holders) <= self.fanout_cap:
                # The others already share one group: joining any one of them joins it.
                self._groups.union(facts.key, next(k for k in holders if k != facts.key))
            elif len(holders) == self.fanout_cap + 1:
                self._stale = True  # earlier links through it no longer hold
        for phash in sorted(facts.phashes - (known.phashes if known else frozenset())):
            self._add_photo(facts.key, phash)

    def add_all(self, sellers: Iterable[SellerFacts]) -> None:
        for facts in sellers:
            self.add(facts)

    def _add_photo(self, key: str, phash: int) -> None:
        cap, photos = self.fanout_cap, self.photos
        photos.add(phash, key)
        around = photos.near(phash)
        crowds: dict[int, int] = {}
        for h in around:
            near = around if h == phash else photos.near(h)
            crowds[h] = photos.crowd(h, cap, near)
            if crowds[h] > cap and photos.crowd(h, cap, near, without=key) <= cap:
                self._stale = True  # a photo just became too common: its links are undone
        if crowds[phash] > cap:
            return
        for other, count in crowds.items():
            if count <= cap:
                for holder in photos.holders[other]:
                    self._groups.union(key, holder)

    def _rebuild(self) -> None:
        """Groups from scratch: every posting within the cap, every photo pair within it."""
        groups = UnionFind()
        for key in self.sellers:
            groups.add(key)
        for holders in self.postings.values():
            if 2 <= len(holders) <= self.fanout_cap:
                first, *rest = sorted(holders)
                for holder in rest:
                    groups.union(first, holder)
        usable = {h for h in self.photos.holders if self._photo_usable(h)}
        for phash in usable:
            holders = self.photos.holders[phash]
            for near in usable.intersection(self.photos.near(phash)):
                for a in holders:
                    for b in self.photos.holders[near]:
                        groups.union(a, b)
        self._groups, self._stale = groups, False
        self.rebuilds += 1

    def _photo_usable(self, phash: int) -> bool:
        return self.photos.crowd(phash, self.fanout_cap) <= self.fanout_cap

    # -- reading ---------------------------------------------------------------------------

    def group_of(self, key: str) -> list[str]:
        """The sorted members of ``key``'s network (itself alone when it shares nothing)."""
        if key not in self.sellers:
            return []
        # A walk of the links from ``key`` visits its group only: no scan of every seller.
        seen, todo = {key}, [key]
        while todo:
            current = todo.pop()
            for _, other in self.neighbours(current):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return sorted(seen)

    def groups(self, min_size: int = 2) -> list[list[str]]:
        """Every network of at least ``min_size`` sellers, largest first, then by first key."""
        if self._stale:
            self._rebuild()
        found = [m for m in self._groups.groups().values() if len(m) >= min_size]
        return sorted(found, key=lambda m: (-len(m), m[0]))

    def neighbours(self, key: str) -> list[tuple[Edge, str]]:
        """Every explained link of ``key``: (edge, the other seller), sorted."""
        facts = self.sellers[key]
        out: set[tuple[Edge, str]] = set()
        for kind, value in identifiers_of(facts):
            holders = self.postings.get((kind, value), set())
            if len(holders) <= self.fanout_cap:
                for other in holders - {key}:
                    out.add((_edge(key, other, kind, value), other))
        for phash in facts.phashes:
            if not self._photo_usable(phash):
                continue
            for near, distance in self.photos.near(phash).items():
                if not self._photo_usable(near):
                    continue
                for other in self.photos.holders[near] - {key}:
                    if distance == 0:
                        value = f"pHash {phash:016x}"
                    else:
                        low, high = sorted((phash, near))  # one value, whichever side asks
                        value = f"pHash {low:016x} ~ {high:016x} ({distance} bits apart)"
                    out.add((_edge(key, other, PHOTO_NEAR, value), other))
        return sorted(out)

    def edges_among(self, members: Iterable[str]) -> list[Edge]:
        """Every link between two of ``members``, each once, sorted."""
        wanted = set(members)
        edges: set[Edge] = set()
        for key in wanted & self.sellers.keys():
            for edge, other in self.neighbours(key):
                if other in wanted:
                    edges.add(edge)
        return sorted(edges)

    def ignored(self, key: str) -> list[Ignored]:
        """The seller's identifiers that link nobody because too many sellers show them."""
        facts = self.sellers.get(key)
        if facts is None:
            return []
        reason = (
            f"shown by more than {self.fanout_cap} sellers (a marketplace-wide or placeholder "
            "value, not one operator's): not used to link"
        )
        out = [
            Ignored(kind, value, reason)
            for kind, value in identifiers_of(facts)
            if len(self.postings.get((kind, value), ())) > self.fanout_cap
        ]
        out.extend(
            Ignored(PHOTO_NEAR, f"pHash {phash:016x}", reason)
            for phash in sorted(facts.phashes)
            if not self._photo_usable(phash)
        )
        return out


def _edge(a: str, b: str, kind: str, value: str) -> Edge:
    return Edge(a, b, kind, value) if a < b else Edge(b, a, kind, value)
