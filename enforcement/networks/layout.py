"""A deterministic drawing of one network: the seller in the middle, the others in rings.

Ring ``n`` holds the sellers ``n`` links away, evenly spaced in key order, so the same network
is always drawn the same way (no force simulation, no randomness, no script in the page).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from enforcement.networks.index import Edge


def ring_layout(
    focus: str, members: Iterable[str], edges: Iterable[Edge], size: int = 480
) -> dict[str, tuple[float, float]]:
    """Key -> (x, y) inside a ``size`` x ``size`` square; members not reached go outermost."""
    wanted = sorted(set(members) | {focus})
    links: dict[str, set[str]] = {key: set() for key in wanted}
    for edge in edges:
        if edge.a in links and edge.b in links:
            links[edge.a].add(edge.b)
            links[edge.b].add(edge.a)
    hops = {focus: 0}
    frontier = [focus]
    while frontier:
        following = []
        for key in frontier:
            for other in sorted(links[key]):
                if other not in hops:
                    hops[other] = hops[key] + 1
                    following.append(other)
        frontier = following
    outer = max(hops.values(), default=0) + 1
    rings: dict[int, list[str]] = {}
    for key in wanted:
        rings.setdefault(hops.get(key, outer), []).append(key)
    centre = size / 2
    step = (size / 2 - 40) / max(len(rings) - 1, 1)
    out: dict[str, tuple[float, float]] = {}
    for ring, keys in sorted(rings.items()):
        for i, key in enumerate(keys):
            angle = 2 * math.pi * i / len(keys) - math.pi / 2 + ring * 0.35
            radius = ring * step
            out[key] = (
                round(centre + radius * math.cos(angle), 1),
                round(centre + radius * math.sin(angle), 1),
            )
    return out
