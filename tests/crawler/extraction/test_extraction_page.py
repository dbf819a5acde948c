"""load_page(): saved pages from .html, .html.gz or stdin, with clear errors otherwise."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import pytest

from crawler.extraction import MAX_PAGE_BYTES, PageLoadError, extract_listing, load_page


def test_html_and_gzip(tmp_path: Path) -> None:
    page = b"<html><body><h1>Saved</h1></body></html>"
    (tmp_path / "a.html").write_bytes(page)
    (tmp_path / "b.HTML.gz").write_bytes(gzip.compress(page))
    (tmp_path / "c.htm").write_bytes(page)
    for name in ("a.html", "b.HTML.gz", "c.htm"):
        assert load_page(str(tmp_path / name)) == page
    assert (
        extract_listing(load_page(str(tmp_path / "b.HTML.gz")), "https://x.example/").title
        == "Saved"
    )


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"<h1>piped</h1>"))
    monkeypatch.setattr(sys, "stdin", fake)
    assert load_page("-") == b"<h1>piped</h1>"


def test_other_files_are_refused_with_what_to_pass(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("<h1>x</h1>")
    with pytest.raises(PageLoadError, match=r"pass a \.html, \.htm, \.html\.gz"):
        load_page(str(tmp_path / "page.txt"))
    with pytest.raises(PageLoadError, match="no such file"):
        load_page(str(tmp_path / "missing.html"))
    (tmp_path / "bad.html.gz").write_bytes(b"not gzip at all")
    with pytest.raises(PageLoadError, match="cannot read it"):
        load_page(str(tmp_path / "bad.html.gz"))
    (tmp_path / "dir.html").mkdir()
    with pytest.raises(PageLoadError, match="no such file"):
        load_page(str(tmp_path / "dir.html"))


def test_oversized_and_gzip_bombs_are_cut_at_the_cap(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    with gzip.open(bomb, "wb") as stream:
        for _ in range(MAX_PAGE_BYTES // (1 << 20) + 2):
            stream.write(b" " * (1 << 20))
    assert len(load_page(str(bomb))) == MAX_PAGE_BYTES
