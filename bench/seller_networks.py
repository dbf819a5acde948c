"""Seller-network linking: precision/recall of links on generated sellers with known operators,
and the time of the indexed linking for 100,000 sellers against a naive all-pairs comparison
on 5,000 (the ratio is per seller, both measured here).

    .venv/bin/python -m bench.seller_networks [--sellers 100000] [--naive 5000]
        [--name-collisions 0.02]

Links are scored as pairs: two sellers are "linked" when they end in one network; precision is
the share of linked pairs run by one operator, recall the share of one operator's account pairs
that are linked.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from itertools import combinations

from bench.seller_network_data import Generated, generate
from enforcement.networks import NetworkIndex, SellerFacts, identifiers_of
from enforcement.networks.unionfind import UnionFind

FANOUT_CAP = 20
MAX_DISTANCE = 3


def _pairs(sizes: Counter[object]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score(groups: list[list[str]], truth: dict[str, int]) -> tuple[float, float]:
    """(precision, recall) of same-network pairs against same-operator pairs."""
    predicted = {key: i for i, members in enumerate(groups) for key in members}
    both = Counter((predicted[k], truth[k]) for k in truth)
    agree = _pairs(both)
    linked = _pairs(Counter(predicted[k] for k in truth))
    related = _pairs(Counter(truth.values()))
    precision = agree / linked if linked else 1.0
    recall = agree / related if related else 1.0
    return precision, recall


def edge_precision(data: Generated) -> str:
    """Per identifier kind: the share of explained links that join one operator's accounts."""
    index = NetworkIndex(FANOUT_CAP, MAX_DISTANCE)
    index.add_all(data.sellers)
    right, every = Counter[str](), Counter[str]()
    for group in index.groups():
        for edge in index.edges_among(group):
            every[edge.kind] += 1
            right[edge.kind] += data.operator[edge.a] == data.operator[edge.b]
    return "  ".join(
        f"{kind}={right[kind] / every[kind]:.3f}({every[kind]})" for kind in sorted(every)
    )


def indexed(sellers: list[SellerFacts]) -> tuple[list[list[str]], float, int]:
    start = time.perf_counter()
    index = NetworkIndex(FANOUT_CAP, MAX_DISTANCE)
    index.add_all(sellers)
    groups = index.groups(min_size=1)
    return groups, time.perf_counter() - start, index.rebuilds


def naive(sellers: list[SellerFacts]) -> tuple[list[list[str]], float]:
    """Every pair compared: shared identifier (within the fan-out cap) or photos within range."""
    start = time.perf_counter()
    ids = [set(identifiers_of(s)) for s in sellers]
    holders = Counter(i for s in ids for i in s)
    usable = [{i for i in s if holders[i] <= FANOUT_CAP} for s in ids]
    hashes = [sorted(s.phashes) for s in sellers]
    crowd = Counter[int]()
    for a, b in combinations(range(len(sellers)), 2):  # how many sellers show each photo
        for x in hashes[a]:
            for y in hashes[b]:
                if (x ^ y).bit_count() <= MAX_DISTANCE:
                    crowd[x] += 1
                    crowd[y] += 1
    groups = UnionFind()
    for s in sellers:
        groups.add(s.key)
    for a, b in combinations(range(len(sellers)), 2):
        if usable[a] & usable[b] or any(
            (x ^ y).bit_count() <= MAX_DISTANCE and crowd[x] < FANOUT_CAP and crowd[y] < FANOUT_CAP
            for x in hashes[a]
            for y in hashes[b]
        ):
            groups.union(sellers[a].key, sellers[b].key)
    return list(groups.groups().values()), time.perf_counter() - start


def report(name: str, data: Generated, groups: list[list[str]], seconds: float) -> float:
    precision, recall = score(groups, data.operator)
    per = seconds / len(data.sellers) * 1e6
    networks = sum(1 for g in groups if len(g) > 1)
    print(
        f"{name:<8} sellers={len(data.sellers):>7}  networks={networks:>6}  "
        f"precision={precision:.4f}  recall={recall:.4f}  time={seconds:8.2f}s  "
        f"({per:8.1f} us/seller)"
    )
    return per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sellers", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=5_000)
    parser.add_argument(
        "--name-collisions", type=float, default=0.02, help="share of ordinary shared names"
    )
    args = parser.parse_args()
    small = generate(args.naive, name_collisions=args.name_collisions)
    big = generate(args.sellers, name_collisions=args.name_collisions)
    groups, seconds, _ = indexed(small.sellers)
    report("index", small, groups, seconds)
    naive_groups, naive_seconds = naive(small.sellers)
    naive_per = report("naive", small, naive_groups, naive_seconds)
    print(f"link precision by kind (links): {edge_precision(small)}")
    same = sorted(map(sorted, groups)) == sorted(map(sorted, naive_groups))
    print(f"index and naive agree on every network of {args.naive}: {same}")
    groups, seconds, rebuilds = indexed(big.sellers)
    big_per = report("index", big, groups, seconds)
    scaled = naive_seconds * (args.sellers / args.naive) ** 2
    print(f"index on {args.sellers} took {seconds:.2f}s ({rebuilds} rebuild(s) after an")
    print(
        f"identifier passed the fan-out cap); naive all-pairs on {args.naive}: {naive_seconds:.2f}s"
    )
    print(f"per seller the index is {naive_per / big_per:.1f}x faster than naive, at")
    print(
        f"{args.sellers // args.naive}x the size; naive on {args.sellers} would take ~{scaled:.0f}s"
    )


if __name__ == "__main__":
    main()
