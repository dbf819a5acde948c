"""Golden list pages: tests/samples/<profile>/lists/<case>.json|html → <case>.expected.json.

Each is read with the bundled profile of that name through the spider's own list-page code,
so a golden pair checks the profile and the extraction together.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, TextResponse

from config.profile import load_profile
from crawler.spiders.marketplace import MarketplaceSpider

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CASES = sorted(
    path
    for path in SAMPLES.glob("*/lists/*")
    if path.suffix in (".json", ".html") and not path.name.endswith(".expected.json")
)


def list_response(case: Path) -> TextResponse:
    url = case.with_suffix(".url").read_text(encoding="utf-8").strip()
    kind = HtmlResponse if case.suffix == ".html" else TextResponse
    return kind(url, body=case.read_bytes(), encoding="utf-8")


def read_golden_list(case: Path) -> dict[str, object]:
    profile = load_profile(case.parents[1].name)
    page = profile.search or profile.sections[0]
    found = MarketplaceSpider(profile).list_page_links(list_response(case), page)
    return {"links": list(found.links), "next_page": found.next_page, "skipped": found.skipped}


def test_every_shop_structure_has_golden_list_pages() -> None:
    assert {case.parents[1].name for case in CASES} >= {
        "shopify", "woocommerce", "aliexpress", "taobao",
    }  # fmt: skip
    assert all(case.with_suffix(".url").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parents[1].name}/{p.stem}")
def test_golden_list_page(case: Path) -> None:
    expected = json.loads(case.with_name(f"{case.stem}.expected.json").read_text(encoding="utf-8"))
    assert read_golden_list(case) == expected
