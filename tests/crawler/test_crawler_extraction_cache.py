"""Extraction results kept by page content: the same bytes are not read again and give an equal
listing; anything else that decides the result is a miss; a damaged, foreign or unwritable cache
costs speed, never a listing."""

from __future__ import annotations

import ast
import dataclasses
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import crawler.extraction
import crawler.extraction_cache as extraction_cache
from config.profile import FieldSelectors
from crawler.extraction import extract_listing, load_page
from crawler.extraction_cache import (
    ExtractionCache,
    fingerprinted_files,
    listing_from_record,
    listing_record,
)
from demomarket import CATALOG, Catalog, DemoMarket
from store import open_store
from tests.crawler.crawl_support import crawl

if TYPE_CHECKING:
    from crawler.extraction.model import ExtractedListing

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PAGE = b"""<html><head><script type="application/ld+json">{"@type": "Product",
"name": "Brass desk lamp", "sku": "L-1", "offers": {"price": "24.90", "priceCurrency": "EUR",
"availability": "https://schema.org/InStock", "seller": {"name": "Lampen Haus"}}}</script>
</head><body><h1>Brass desk lamp</h1><p>24,90 &euro;</p>
<p>Kontakt: shop@lampen.example</p></body></html>"""
URL = "https://shop.example/p/1"
DAY = 86_400


def open_cache(tmp_path: Path, **kwargs: float) -> ExtractionCache:
    options = {"max_age_s": 14 * DAY, "max_bytes": 2**20, **kwargs}
    return ExtractionCache(
        tmp_path / "extracted.sqlite", max_age_s=options["max_age_s"], max_bytes=int(
            options["max_bytes"])
    )  # fmt: skip


def same_in_every_field(a: ExtractedListing, b: ExtractedListing) -> bool:
    """Dataclass equality skips ``sources`` and the seller's contacts: compare those too."""
    contacts = (a.seller.contacts if a.seller else None, b.seller.contacts if b.seller else None)
    return a == b and a.sources == b.sources and contacts[0] == contacts[1]


def test_a_page_read_before_is_not_read_again_and_gives_an_equal_listing(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    first = cache.extract(PAGE, URL)
    again = cache.extract(PAGE, URL)
    assert (cache.misses, cache.hits) == (1, 1)
    assert same_in_every_field(first, again)
    assert same_in_every_field(again, extract_listing(PAGE, URL))
    assert again.price == "24.90" and again.sku == "L-1"
    cache.close()
    reopened = open_cache(tmp_path)  # kept across crawls: the next night's run hits
    assert same_in_every_field(reopened.extract(PAGE, URL), first)
    assert reopened.hits == 1
    reopened.close()


def test_hostile_lone_surrogate_in_structured_data_is_kept_and_served_back(tmp_path: Path) -> None:
    page = PAGE.replace(b'"Lampen Haus"', b'"Lampen \\ud800 Haus \\u202e"')
    cache = open_cache(tmp_path)
    first = cache.extract(page, URL)
    assert first.seller is not None and "\ud800" in (first.seller.name or "")
    again = cache.extract(page, URL)
    assert cache.hits == 1 and same_in_every_field(again, first)
    cache.close()


def test_every_golden_page_survives_the_round_trip_in_every_field() -> None:
    pages = sorted(SAMPLES.glob("*/*.html"))
    assert len(pages) >= 15
    for page in pages:
        listing = extract_listing(load_page(str(page)), f"https://{page.parent.name}.example/")
        assert same_in_every_field(listing_from_record(listing_record(listing)), listing), page


@pytest.mark.parametrize(
    "change",
    ["bytes", "url", "charset", "selectors"],
)
def test_anything_else_that_decides_the_result_is_a_miss(tmp_path: Path, change: str) -> None:
    cache = open_cache(tmp_path)
    cache.extract(PAGE, URL)
    body, url, charset, selectors = PAGE, URL, None, None
    if change == "bytes":
        body = PAGE.replace(b"24,90", b"19,90")
    elif change == "url":
        url = "https://shop.example/p/2"
    elif change == "charset":
        charset = "cp1252"
    else:
        selectors = FieldSelectors(title="h1::text")
    cache.extract(body, url, selectors, encoding=charset)
    assert (cache.misses, cache.hits) == (2, 0)
    cache.close()


def test_changed_extraction_code_is_a_miss_not_a_stale_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = open_cache(tmp_path)
    cache.extract(PAGE, URL)
    monkeypatch.setattr(extraction_cache, "code_fingerprint", lambda: b"the next release")
    cache.extract(PAGE, URL)
    assert (cache.misses, cache.hits) == (2, 0)
    cache.close()


def _project_imports(source: Path, root: Path) -> set[Path]:
    """The project's own modules a file imports (absolute imports; the project uses no others)."""
    found = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            base = root.joinpath(*name.split("."))
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    found.add(candidate.resolve())
    return found


def test_the_code_fingerprint_covers_everything_extraction_imports_and_the_lexicon() -> None:
    files = {path.resolve() for path in fingerprinted_files()}
    package = Path(crawler.extraction.__file__).resolve().parent
    root = package.parent.parent
    assert set(package.glob("*.py")) <= files
    assert any(path.name == "extraction.yaml" for path in files)
    assert all(path.is_file() for path in files)
    # Closed under imports: a module extraction reaches, however indirectly, is fingerprinted.
    todo, seen = [*package.glob("*.py"), package.parent / "selectors.py"], set()
    while todo:
        source = todo.pop()
        if source in seen:
            continue
        seen.add(source)
        todo.extend(_project_imports(source, root))
    assert seen <= files, sorted(str(p.relative_to(root)) for p in seen - files)


def test_damaged_row_tampered_blob_is_a_miss_and_is_replaced(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.extract(PAGE, URL)
    assert cache._db is not None
    cache._db.execute("UPDATE extracted SET listing = ?", (b"not zlib at all",))
    assert same_in_every_field(cache.extract(PAGE, URL), extract_listing(PAGE, URL))
    assert cache.extract(PAGE, URL).price == "24.90"
    assert (cache.misses, cache.hits) == (2, 1)  # the damaged row was written again
    cache.close()


def test_not_an_sqlite_file_is_started_again(tmp_path: Path) -> None:
    (tmp_path / "extracted.sqlite").write_bytes(b"this is not a database" * 100)
    cache = open_cache(tmp_path)
    assert cache.extract(PAGE, URL).title == "Brass desk lamp"
    assert cache.extract(PAGE, URL).title == "Brass desk lamp"
    assert cache.hits == 1
    cache.close()


def test_read_only_media_turns_the_cache_off_and_extraction_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = open_cache(tmp_path)
    assert cache._db is not None
    cache._db.execute("PRAGMA query_only = ON")  # every write now fails, as on read-only media
    assert cache.extract(PAGE, URL).price == "24.90"
    assert cache._db is None and "off from now on" in caplog.text
    assert cache.extract(PAGE, URL).price == "24.90"  # extracted afresh from now on
    cache.close()


def test_unopenable_cache_folder_extracts_without_a_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    cache = ExtractionCache(blocker / "extracted.sqlite", max_age_s=DAY, max_bytes=2**20)
    assert cache._db is None
    assert cache.extract(PAGE, URL).sku == "L-1"


def test_rows_unused_past_the_age_limit_go_when_the_cache_opens(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.extract(PAGE, URL)
    assert cache._db is not None
    cache._db.execute("UPDATE extracted SET used = used - ?", (20 * DAY,))
    cache.close()
    reopened = open_cache(tmp_path)
    reopened.extract(PAGE, URL)
    assert (reopened.misses, reopened.hits) == (1, 0)
    reopened.close()


def test_past_the_size_cap_the_least_recently_used_go_first(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    for n in range(5):
        cache.extract(PAGE.replace(b"24,90", f"2{n},90".encode()), URL)
    assert cache._db is not None
    cache._db.execute("UPDATE extracted SET used = used - 100 * (10 - rowid)")  # later, newer
    rows = cache._db.execute("SELECT rowid, size FROM extracted ORDER BY rowid").fetchall()
    cache.max_bytes = rows[-1][1] + rows[-2][1]  # room for the two most recently used
    cache.close()
    db = sqlite3.connect(tmp_path / "extracted.sqlite")
    kept = [row[0] for row in db.execute("SELECT rowid FROM extracted ORDER BY rowid")]
    db.close()
    assert kept == [rows[-2][0], rows[-1][0]]


def _catalog_with_new_price(item_id: str) -> Catalog:
    items = tuple(
        dataclasses.replace(item, price=item.price - Decimal("1.00"))
        if item.id == item_id
        else item
        for item in CATALOG.items
    )
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), items)


@pytest.mark.slow
def test_a_recrawl_reads_only_the_pages_that_changed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with DemoMarket() as market:
        _, first = crawl(home, market)
        _, unchanged = crawl(home, market)
        market.catalog = _catalog_with_new_price("1033")
        _, changed = crawl(home, market)
    assert first.counters.get("extraction_cached", 0) == 0
    assert unchanged.counters["extraction_cached"] == 3  # the three listings the search finds
    assert unchanged.counters.get("listings_changed", 0) == 0
    assert changed.counters["extraction_cached"] == 2  # 1033's new page was read
    assert changed.counters["listings_changed"] == 1
    index = open_store(f"sqlite:///{home / 'index.db'}")
    try:
        prices = {
            listing.url.rsplit("/", 1)[1]: listing.price for listing in index.iter_listings("demo")
        }
    finally:
        index.close()
    original = {item.id: item.price for item in CATALOG.items}
    assert Decimal(str(prices["1033"])) == original["1033"] - Decimal("1.00")
    assert Decimal(str(prices["1031"])) == original["1031"]
