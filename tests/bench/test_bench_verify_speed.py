"""The verify bench end to end on a tiny package: it builds, verifies in a child, reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench import verify_speed

if TYPE_CHECKING:
    import pytest


def test_tiny_package_verifies_and_every_figure_is_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert verify_speed.main(["--size-mb", "2", "--snapshot-kb", "512", "--images", "1"]) == 0
    out = capsys.readouterr().out
    assert "case package: 4 snapshots" in out
    for label in ("snapshots/s", "sha256sum:", "ratio verify / sha256sum", "peak memory"):
        assert label in out
    assert "verification passed" in out
