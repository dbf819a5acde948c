"""The distributed bench's memory arithmetic: growth after warm-up and RSS by quarter of a run."""

from __future__ import annotations

import pytest

from bench.distributed_scale import growth_per_1000, rss_by_quarter


def test_growth_ignores_the_warm_up_quarter() -> None:
    warm_up = [(n, 100.0 + n) for n in range(0, 250, 50)]  # steep while caches fill
    steady = [(n, 400.0 + n / 1000 * 7) for n in range(300, 1001, 50)]  # 7 MB per 1,000 after
    assert growth_per_1000(warm_up + steady) == pytest.approx(7.0, abs=0.01)


def test_a_heap_given_back_late_shows_as_a_falling_last_quarter() -> None:
    samples = [
        (n, mb)
        for n, mb in zip(range(0, 800, 100), (300, 320, 660, 650, 600, 580, 450, 440), strict=True)
    ]
    assert rss_by_quarter(samples) == [310, 655, 590, 445]
    assert growth_per_1000(samples) < 0


def test_no_samples_gives_zeros() -> None:
    assert rss_by_quarter([]) == [0.0, 0.0, 0.0, 0.0]
