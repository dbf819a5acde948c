"""A deterministic drawing of one network: the seller in the middle, the others around it.

The others sit evenly on one circle, nearest first (by links away, then by key), so the same
network is always drawn the same way: no force simulation, no randomness, no script.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from enforcement.networks.index import Edge


def hops_from(focus: str, members: Iterable[str], edges: Iterable[Edge]) -> dict[str, int]:
    """Links away from ``focus`` for every member it reaches."""
    links: dict[str, set[str]] = {key: set() for key in (*members, focus)}
    for edge in edges:
        if edge.a in links and edge.b in links:
            links[edge.a].add(edge.b)
            links[edge.b].add(edge.a)
    hops, frontier = {focus: 0}, [focus]
    while frontier:
        following = []
        for key in frontier:
            for other in sorted(links[key] - hops.keys()):
                hops[other] = hops[key] + 1
                following.append(other)
        frontier = following
    return hops


def ring_layout(
    focus: str, members: Iterable[str], edges: Iterable[Edge], size: int = 480
) -> dict[str, tuple[float, float]]:
    """Key -> (x, y) inside a ``size`` x ``size`` square; ``focus`` at the centre."""
    wanted = sorted(set(members) - {focus})
    hops = hops_from(focus, wanted, edges)
    far = len(wanted) + 1
    order = sorted(wanted, key=lambda k: (hops.get(k, far), k))
    centre, radius = size / 2, size / 2 - 60
    out = {focus: (centre, centre)}
    for i, key in enumerate(order):
        angle = 2 * math.pi * i / len(order) - math.pi / 2
        out[key] = (
            round(centre + radius * math.cos(angle), 1),
            round(centre + radius * math.sin(angle), 1),
        )
    return out
