"""Cutting a full-page screenshot into printable parts: bounded, overlapping, safe on bad bytes."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image

from evidence.export.report_slices import (
    FIRST_ASPECT,
    MAX_PARTS,
    OVERLAP,
    PAGE_ASPECT,
    ScreenshotUnreadable,
    slice_screenshot,
)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def test_a_short_page_is_one_part() -> None:
    sliced = slice_screenshot(png(800, 500))
    assert [(p.top, p.bottom) for p in sliced.parts] == [(0, 500)]
    assert not sliced.truncated


def test_a_tall_page_is_cut_into_overlapping_parts_that_cover_it() -> None:
    width, height = 1000, 5000
    sliced = slice_screenshot(png(width, height))
    parts = sliced.parts
    assert parts[0].bottom - parts[0].top == int(width * FIRST_ASPECT)
    assert all(p.bottom - p.top <= int(width * PAGE_ASPECT) for p in parts)
    for before, after in itertools.pairwise(parts):
        assert after.top == before.bottom - OVERLAP  # nothing lost at a cut
    assert parts[-1].bottom == height and {p.count for p in parts} == {len(parts)}
    with Image.open(io.BytesIO(parts[1].data)) as image:
        assert image.size == (width, parts[1].bottom - parts[1].top)


def test_an_endless_narrow_page_is_cut_off_after_max_parts_and_says_so() -> None:
    sliced = slice_screenshot(png(40, 30_000))
    assert len(sliced.parts) == MAX_PARTS and sliced.truncated


@pytest.mark.parametrize(
    "data", [b"", b"\x89PNG\r\n\x1a\nnot really", png(300, 300)[:60]], ids=["empty", "fake", "cut"]
)
def test_unreadable_or_truncated_screenshot_bytes_give_a_clear_error(data: bytes) -> None:
    with pytest.raises(ScreenshotUnreadable, match="screenshot"):
        slice_screenshot(data)


def test_decompression_bomb_screenshot_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")  # 400 Mpx in a few kB
    assert len(out.getvalue()) < 200_000
    with pytest.raises(ScreenshotUnreadable):
        slice_screenshot(out.getvalue())
