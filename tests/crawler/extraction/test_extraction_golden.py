"""Golden pairs: every tests/samples/<marketplace>/<case>.html must extract to its <case>.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from config.profile import FieldSelectors
from crawler.extraction import extract_listing, load_page

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PAGES = sorted(SAMPLES.glob("*/*.html"))


def golden_url(page: Path) -> str:
    """The URL the page was fetched from: <case>.url, else https://<marketplace>.example/<case>."""
    url_file = page.with_suffix(".url")
    if url_file.is_file():
        return url_file.read_text(encoding="utf-8").strip()
    return f"https://{page.parent.name}.example/{page.stem}"


def golden_selectors(page: Path) -> FieldSelectors | None:
    """A marketplace's profile selectors, from selectors.yaml beside its samples."""
    path = page.parent / "selectors.yaml"
    if not path.is_file():
        return None
    return FieldSelectors.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def assert_golden(page: Path) -> None:
    """The one helper assert: extraction of ``page`` equals its expected JSON, field by field."""
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    listing = extract_listing(load_page(str(page)), golden_url(page), golden_selectors(page))
    got = listing.to_dict()
    assert list(got) == list(expected), "to_dict() keys differ from the documented shape"
    wrong = {k: (expected[k], got[k]) for k in expected if expected[k] != got[k]}
    assert not wrong, f"{page.relative_to(SAMPLES)}: field: (expected, got) = {wrong}"


def test_enough_golden_pairs() -> None:
    assert len(PAGES) >= 14
    assert all(page.with_suffix(".json").is_file() for page in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_pair(page: Path) -> None:
    assert_golden(page)
