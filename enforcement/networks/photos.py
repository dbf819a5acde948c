"""Near-identical photos found without comparing every pair: a banded (multi-index) lookup.

A 64-bit perceptual hash is cut into ``max_distance + 1`` bands. Two hashes that differ in at
most ``max_distance`` bits agree exactly on at least one band (pigeonhole), so looking up each
band of a hash in its own table finds every near neighbour; only those candidates are compared
bit by bit (Norouzi et al., "Fast search in Hamming space with multi-index hashing", 2012).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

BITS = 64


def _bands(max_distance: int) -> list[tuple[int, int]]:
    """(shift, mask) of each band: ``max_distance + 1`` bands as equal as 64 bits allow."""
    count = max_distance + 1
    out, start = [], 0
    for i in range(count):
        width = BITS // count + (1 if i < BITS % count else 0)
        out.append((start, (1 << width) - 1))
        start += width
    return out


class PhotoIndex:
    """Perceptual hash -> sellers showing it, searchable by Hamming distance."""

    def __init__(self, max_distance: int) -> None:
        if not 0 <= max_distance <= 16:
            raise ValueError(f"photo max_distance must be 0 to 16 bits, not {max_distance}")
        self.max_distance = max_distance
        self._bands = _bands(max_distance)
        self._tables: list[dict[int, set[int]]] = [{} for _ in self._bands]
        self.holders: dict[int, set[str]] = {}  # hash -> seller keys

    def add(self, phash: int, seller: str) -> None:
        if phash not in self.holders:
            for table, (shift, mask) in zip(self._tables, self._bands, strict=True):
                table.setdefault((phash >> shift) & mask, set()).add(phash)
        self.holders.setdefault(phash, set()).add(seller)

    def near(self, phash: int) -> dict[int, int]:
        """Stored hashes within ``max_distance`` bits of ``phash`` (itself included) -> distance."""
        found: dict[int, int] = {}
        for table, (shift, mask) in zip(self._tables, self._bands, strict=True):
            for candidate in table.get((phash >> shift) & mask, ()):
                if candidate not in found:
                    distance = (candidate ^ phash).bit_count()
                    if distance <= self.max_distance:
                        found[candidate] = distance
        return found

    def sellers_near(self, phash: int) -> set[str]:
        """Every seller showing a photo within ``max_distance`` bits of ``phash``."""
        out: set[str] = set()
        for candidate in self.near(phash):
            out |= self.holders[candidate]
        return out

    def crowd(
        self, phash: int, most: int, near: Iterable[int] | None = None, without: str = ""
    ) -> int:
        """How many sellers (other than ``without``) show a photo near ``phash``, counted only
        up to ``most + 1``: a "no image" picture on thousands of pages costs no more than the
        cap to judge. Pass ``near`` when it is already known."""
        seen: set[str] = set()
        for candidate in self.near(phash) if near is None else near:
            seen |= self.holders[candidate]
            seen.discard(without)
            if len(seen) > most:
                return most + 1
        return len(seen)
