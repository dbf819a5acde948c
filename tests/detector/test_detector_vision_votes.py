"""One vote index over every reference's features: the right reference is voted for, exactly
for a small registry and through an inverted file for a large one."""

from __future__ import annotations

import numpy as np
import pytest

from detector.vision.votes import VoteIndex, overlap


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    rows = np.abs(rng.normal(size=(n, 128))).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("exact_up_to", [1_000_000, 2_000], ids=["exact", "inverted-file"])
def test_a_noisy_copy_of_one_reference_votes_for_it_among_many(exact_up_to: int) -> None:
    rng = np.random.default_rng(3)
    references = [unit_rows(rng, 60) for _ in range(300)]
    index = VoteIndex(references, exact_up_to=exact_up_to)
    noisy = references[137][:40] + rng.normal(0, 0.01, (40, 128)).astype(np.float32)
    query = np.vstack([noisy, unit_rows(rng, 200)])  # the copy's features among unrelated ones
    shortlist = index.shortlist(query, top=3, min_votes=10)
    assert shortlist[0][0] == 137
    assert shortlist[0][1] >= 30
    assert index.approximate is (exact_up_to < 300 * 60)


def test_unrelated_features_vote_for_no_reference_strongly() -> None:
    rng = np.random.default_rng(4)
    index = VoteIndex([unit_rows(rng, 60) for _ in range(300)], exact_up_to=2_000)
    assert index.shortlist(unit_rows(rng, 500), top=3, min_votes=10) == []


def test_a_feature_shared_by_two_references_votes_for_neither() -> None:
    rng = np.random.default_rng(5)
    shared = unit_rows(rng, 20)
    index = VoteIndex(
        [np.vstack([shared, unit_rows(rng, 5)]), np.vstack([shared, unit_rows(rng, 5)])]
    )
    assert sum(index.votes(shared).values()) == 0


def test_an_empty_registry_votes_for_nothing() -> None:
    assert VoteIndex([]).shortlist(np.zeros((5, 128), np.float32), top=3) == []


def test_overlap_is_over_the_smaller_box() -> None:
    assert overlap((0, 0, 10, 10), (0, 0, 100, 100)) == 1.0
    assert overlap((0, 0, 10, 10), (5, 0, 15, 10)) == 0.5
    assert overlap((0, 0, 10, 10), (20, 20, 30, 30)) == 0.0
