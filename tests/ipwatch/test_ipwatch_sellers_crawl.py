"""A real crawl of the demo shop where two shop names print one operator's WeChat id: the
crawl captures it into both sellers' contacts and ``ipwatch sellers`` links them. A third shop
shows the same product photo file as one of them (the demo's copied photo ``copy-b``), so it
joins the network through the photo when both copies were fetched."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from demomarket import CATALOG, Catalog, DemoMarket
from demomarket.brandkit import write_brand_kit
from model import seller_key
from tests.support import run_ipwatch

pytestmark = pytest.mark.slow

CONTACTS = {
    "kicksdirect": "Wholesale? 微信号：Kicks_VIP88",
    "bargainhub": "WeChat: kicks_vip88 · WhatsApp: +86 138 0013 8000",
    "sz-youpin": "统一社会信用代码：91440300MA5FL0X1K2 =cmd|' /C calc'!A0",
}


def operator_catalog() -> Catalog:
    sellers = tuple(
        dataclasses.replace(s, contact=CONTACTS.get(s.id, "")) for s in CATALOG.sellers.values()
    )
    return Catalog(CATALOG.owners, sellers, CATALOG.items)


def test_crawled_contacts_link_two_shop_names_into_one_network(tmp_path: Path) -> None:
    home = tmp_path / "home"
    kit = write_brand_kit(tmp_path / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    with DemoMarket(catalog=operator_catalog()) as market:
        crawled = run_ipwatch(
            home,
            "crawl",
            "demo",
            "--base-url",
            market.base_url,
            "--allow-private-host",
            "127.0.0.1",
        )
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    listed = run_ipwatch(home, "sellers", "networks", "--json")
    assert listed.returncode == 0, listed.stderr
    networks = [json.loads(line) for line in listed.stdout.splitlines()]
    (network,) = [n for n in networks if "KicksDirect99" in n["names"]]
    assert {"BargainHub Outlet", "KicksDirect99"} <= set(network["names"])
    assert "WeChat id" in network["reasons"]
    if "深圳优品贸易" in network["names"]:  # when both copies of the photo were fetched
        assert "identical product photo" in network["reasons"]
    shown = run_ipwatch(home, "sellers", "network", network["network"], "--json")
    found = json.loads(shown.stdout)
    contacts = {m["name"]: m["contacts"] for m in found["members"]}
    assert contacts["BargainHub Outlet"]["wechat"] == "kicks_vip88"
    assert contacts["BargainHub Outlet"]["whatsapp"] == "8613800138000"
    assert contacts["KicksDirect99"]["wechat"] == "kicks_vip88"
    reasons = [link["reason"] for link in found["links"]]
    assert sum("shares WeChat id kicks_vip88 with seller" in r for r in reasons) == 1
    youpin = run_ipwatch(home, "sellers", "network", seller_key("demo", "sz-youpin"), "--json")
    (member,) = [m for m in json.loads(youpin.stdout)["members"] if m["name"] == "深圳优品贸易"]
    assert member["contacts"]["business_reg"] == "91440300MA5FL0X1K2"  # not the formula after it
