"""Every built-in notice format against its golden file, with hostile listing text escaped for
the output each writes, and batches split where the marketplace caps a complaint."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest

from enforcement.exceptions import NoticeFormatError
from enforcement.formats import load_formats
from enforcement.render import csv_cell, one_line, render
from tests.enforcement.golden import assert_golden
from tests.enforcement.notice_samples import HOSTILE_SELLER, content, item

FORMATS = load_formats()
BUILT_IN = ["alibaba-ipp", "amazon-rav", "ebay-vero", "generic", "generic-html", "jd", "taobao"]


def test_every_built_in_format_loads():
    assert sorted(FORMATS) == BUILT_IN


@pytest.mark.parametrize("name", BUILT_IN)
def test_each_format_renders_its_golden_file(name):
    files = render(FORMATS[name], content())
    assert len(files) == 1
    suffix = files[0].name.rsplit(".", 1)[1]
    assert files[0].name.startswith("N-0123456789abcdef-")
    assert_golden(f"{name}.{suffix}", files[0].data)


@pytest.mark.parametrize("name", ["generic", "amazon-rav", "taobao", "jd"])
def test_hostile_title_cannot_forge_lines_or_hide_text_in_text_notices(name):
    text = render(FORMATS[name], content())[0].data.decode()
    # the title's line break and bidi override are gone: the forged "[9]" stays inside its line
    assert "\n[9]" not in text and "\u202e" not in text
    if name != "amazon-rav":  # the Amazon paste file lists ids, not titles
        assert "<script>alert(1)</script> [9] http://forged.example evil" in text


def test_hostile_text_is_escaped_in_the_html_notice():
    html = render(FORMATS["generic-html"], content())[0].data.decode()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onmouseover="x' not in html
    assert 'href="javascript:' not in html  # a non-http URL is printed, never linked
    parser = HTMLParser()
    parser.feed(html)  # well-formed enough to parse


@pytest.mark.parametrize("name", ["ebay-vero", "alibaba-ipp"])
def test_csv_formula_injection_is_neutralised_in_csv_notices(name):
    data = render(FORMATS[name], content())[0].data.decode()
    rows = list(csv.reader(io.StringIO(data)))
    cells = [cell for row in rows[1:] for cell in row]
    assert len({len(r) for r in rows}) == 1, "every row has the header's columns"
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert any(c.startswith("'=cmd|") for c in cells) or any(c == "'-2+3" for c in cells)
    if name == "alibaba-ipp":
        assert f"'{HOSTILE_SELLER}" in cells


def test_amazon_reports_are_split_at_50_listings():
    many = content(tuple(item(n) for n in range(1, 121)))
    files = render(FORMATS["amazon-rav"], many)
    assert [f.name for f in files] == [
        f"N-0123456789abcdef-amazon-rav-{p}-of-3.txt" for p in (1, 2, 3)
    ]
    listed = [[line for line in f.data.decode().splitlines() if line.isdigit()] for f in files]
    assert [len(x) for x in listed] == [50, 50, 20]
    assert [x for part in listed for x in part] == [str(100000 + n) for n in range(1, 121)]


def test_alibaba_complaints_are_split_at_300_listings():
    many = content(tuple(item(n) for n in range(1, 302)))
    files = render(FORMATS["alibaba-ipp"], many)
    counts = [len(list(csv.reader(io.StringIO(f.data.decode())))) - 1 for f in files]
    assert counts == [300, 1]


def test_one_line_folds_controls_and_caps_length():
    assert one_line("a\r\nb\x00c\u200bd\u2066e") == "a b c d e"
    assert len(one_line("x" * 5000)) == 2000
    assert csv_cell('=1+1"') == '"\'=1+1"""'


def test_a_notice_without_listings_is_refused():
    with pytest.raises(NoticeFormatError, match="at least one listing"):
        render(FORMATS["generic"], content(()))
