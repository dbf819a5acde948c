"""``ipwatch profile list`` and ``profile check`` through the real CLI against the demo shop."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from config.profile import PROFILES_DIR
from demomarket import CATALOG, DemoMarket
from tests.support import run_ipwatch


@pytest.fixture(scope="module")
def shopify_market() -> Iterator[DemoMarket]:
    with DemoMarket(style="shopify") as market:
        yield market


def bundled(name: str) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((PROFILES_DIR / f"{name}.yaml").read_text("utf-8"))
    return data


def put_profile(home: Path, name: str, data: dict[str, object] | str) -> Path:
    folder = home / "marketplaces"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def test_profile_list_shows_bundled_and_data_folder_profiles(tmp_path: Path) -> None:
    home = tmp_path / "home"
    put_profile(home, "shopify", {**bundled("shopify"), "base_url": "https://mine.example"})
    put_profile(home, "broken", "name: broken\nbase_url: ftp://nowhere\n")
    listed = run_ipwatch(home, "profile", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["name"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert {"demo", "shopify", "woocommerce", "aliexpress", "taobao", "broken"} <= set(rows)
    assert rows["shopify"]["source"] == "data folder" and rows["shopify"]["overrides_bundled"]
    assert rows["shopify"]["base_url"] == "https://mine.example/"
    assert (
        rows["taobao"]["source"] == "bundled"
        and "search (html, playwright)" in rows["taobao"]["pages"]
    )
    assert "base_url" in rows["broken"]["problem"] and str(home) in rows["broken"]["problem"]
    as_csv = run_ipwatch(home, "profile", "list", "--csv")
    header = next(csv.reader(io.StringIO(as_csv.stdout)))
    assert header == ["name", "source", "path", "base_url", "pages", "overrides_bundled", "problem"]
    table = run_ipwatch(home, "profile", "list")
    assert table.returncode == 0 and "overrides bundled" in table.stdout


def test_profile_check_reads_the_shopify_api_list_page(
    shopify_market: DemoMarket, tmp_path: Path
) -> None:
    result = run_ipwatch(
        tmp_path / "home", "profile", "check", "shopify", "--base-url", shopify_market.base_url,
        "--allow-private-host", "127.0.0.1", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["kind"] == "list" and report["status"] == 200
    assert len(report["links"]) == len(CATALOG.newest())
    assert report["next_page"].endswith("page=2")


def test_profile_check_of_a_listing_prints_its_fields(tmp_path: Path) -> None:
    item = CATALOG.item("1006")
    assert item is not None
    with DemoMarket(style="aliexpress") as market:
        result = run_ipwatch(
            tmp_path / "home", "profile", "check", "aliexpress", market.url("/item/1006.html"),
            "--allow-private-host", "127.0.0.1", "--json",
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["kind"] == "listing" and report["item_id"] == "1006"
    assert report["listing"]["title"] == item.title
    assert [report["listing"]["price"], report["listing"]["currency"]] == [
        f"{item.price:.2f}", item.currency,
    ]  # fmt: skip


def test_profile_check_fails_on_a_broken_profile_naming_what_is_missing(
    shopify_market: DemoMarket, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    wrong_path = bundled("shopify")
    wrong_path["sections"][0]["api"]["items"] = "items"  # type: ignore[index]
    put_profile(home, "shopify", wrong_path)
    result = run_ipwatch(
        home, "profile", "check", "shopify", "--base-url", shopify_market.base_url,
        "--allow-private-host", "127.0.0.1",
    )  # fmt: skip
    assert result.returncode == 1
    assert "api.items 'items' holds nothing, not a list" in " ".join(result.stderr.split())
    no_links = bundled("demo")
    no_links["sections"] = [{"url": "/products.json", "listing_links": "ul.nothing a::attr(href)"}]
    put_profile(home, "nolinks", no_links)
    result = run_ipwatch(
        home, "profile", "check", "nolinks", "--base-url", shopify_market.base_url,
        "--allow-private-host", "127.0.0.1",
    )  # fmt: skip
    assert result.returncode == 1
    assert "extracted no listing links" in " ".join(result.stderr.split())


def test_profile_check_ssrf_to_a_private_host_is_refused_unless_allowed(
    shopify_market: DemoMarket, tmp_path: Path
) -> None:
    shopify_market.reset()
    result = run_ipwatch(
        tmp_path / "home", "profile", "check", "shopify", "--base-url", shopify_market.base_url,
    )  # fmt: skip
    assert result.returncode == 1
    assert "non-public address" in " ".join(result.stderr.split())
    assert not shopify_market.requests_to("/products.json")  # nothing reached the shop


def test_profile_check_of_an_unknown_profile_names_where_it_looked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_ipwatch(home, "profile", "check", "nope", "https://shop.example/")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert str(home / "marketplaces" / "nope.yaml") in message and "bundled profiles" in message
