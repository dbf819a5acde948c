"""A Bengali grocery page says it can be bought with 'স্টকে আছে' (in stock) or an enabled
'ব্যাগে যোগ করুন' (add to bag) button; 'আমাকে জানান' (notify me) on its own says it cannot."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled

URL = "https://grocer.example.com.bd/rupchanda-oil-5-ltr"


def availability(box: str) -> str | None:
    html = (
        '<html lang="bn"><body><main><div class="pane"><h1>সয়াবিন তেল ৫ লিটার</h1>'
        f'<div class="price">৳ ৮৫২</div>{box}</div></main></body></html>'
    )
    return extract_listing(html, URL).availability


@pytest.mark.parametrize(
    ("line", "state"),
    [
        ("স্টকে আছে", "InStock"),
        ("স্টক শেষ", "OutOfStock"),
        ("स्टॉक में है", "InStock"),
        ("उपलब्ध नहीं है", "OutOfStock"),
        ("கையிருப்பில் இல்லை", "OutOfStock"),
        ("තොගයේ ඇත", "InStock"),
    ],
)
def test_stock_lines_in_bengali_hindi_tamil_and_sinhala(line: str, state: str) -> None:
    assert bundled().stock_state(line) == state


def test_add_to_bag_button_in_bengali_means_in_stock() -> None:
    assert availability('<button class="addButton">ব্যাগে যোগ করুন</button>') == "InStock"


def test_in_stock_line_in_bengali_opening_a_longer_line() -> None:
    line = '<div class="info">স্টকে আছে · আজ রাত ৯টা–১০টার মধ্যে ডেলিভারি পাওয়া যাবে, অর্ডার করুন এখনই</div>'
    assert availability(line) == "InStock"


def test_notify_me_button_in_bengali_alone_means_out_of_stock() -> None:
    assert availability("<button>আমাকে জানান</button>") == "OutOfStock"


def test_a_disabled_bengali_add_button_is_not_in_stock() -> None:
    assert availability("<button disabled>ব্যাগে যোগ করুন</button>") == "OutOfStock"
