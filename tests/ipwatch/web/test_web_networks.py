"""The desk's seller network graph and repeat-infringer record: scope, escaping, formats."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.ipwatch.services.network_data import HOSTILE, World, build
from tests.ipwatch.web.conftest import login
from tests.ipwatch.web.desk_data import PASSWORD, DeskServer


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, DeskServer]]:
    world = build(Path(tmp_path_factory.mktemp("netdesk")) / "home")
    world.workspace.directory.add_user("alice", "reviewer", ["Acme"], PASSWORD)
    world.workspace.directory.add_user("root", "admin", None, PASSWORD)
    with DeskServer(world.workspace) as server:
        yield world, server
    world.workspace.close()


def test_seller_page_draws_the_network_with_links_to_each_seller(served) -> None:
    world, server = served
    k = world.sellers
    root = login(server.url, "root")
    page = root.get(f"{server.url}/sellers/{k['s1']}", timeout=30).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<circle") == 4 and svg.count("<line") == 3
    assert {f"/sellers/{k[x]}" for x in ("s1", "s2", "s3", "s4")} <= set(
        re.findall(r'href="([^"]+)"', svg)
    )
    assert "shares WeChat id sunny_88 with seller" in page
    assert "<script>alert" not in page  # the hostile shop name is escaped, in SVG and table
    assert "&lt;script&gt;alert(&#34;n&#34;)&lt;/script&gt;" in page


def test_tenant_graph_omits_sellers_outside_its_scope(served) -> None:
    world, server = served
    k = world.sellers
    alice = login(server.url, "alice")
    page = alice.get(f"{server.url}/sellers/{k['s1']}", timeout=30).text
    assert page.count("<circle") == 2 and k["s3"] not in page and "阳光" not in page
    assert alice.get(f"{server.url}/sellers/{k['s3']}", timeout=30).status_code == 404
    got = alice.get(f"{server.url}/api/v1/sellers/{k['s3']}/network", timeout=30)
    assert got.status_code == 404


def test_record_page_and_its_csv_twin(served) -> None:
    world, server = served
    alice = login(server.url, "alice")
    page = alice.get(f"{server.url}/record", timeout=30)
    assert page.status_code == 200 and "Repeat-infringer record" in page.text
    assert "<script>alert" not in page.text
    rows = list(csv.DictReader(io.StringIO(alice.get(f"{server.url}/record.csv", timeout=30).text)))
    hostile = next(r for r in rows if r["key"] == world.sellers["s2"])
    assert hostile["name"] == "'" + HOSTILE
    data = alice.get(f"{server.url}/api/v1/record", timeout=30).json()
    assert {r["scope"] for r in data["items"]} == {"seller", "network"}
    assert alice.get(f"{server.url}/record.xml", timeout=30).status_code == 422
    assert requests.get(f"{server.url}/api/v1/record", timeout=10).status_code == 401


def test_dashboard_page_draws_charts_and_its_json_is_scoped(served) -> None:
    _, server = served
    alice = login(server.url, "alice")
    page = alice.get(f"{server.url}/dashboard", timeout=30)
    assert page.status_code == 200 and page.text.count('<svg class="chart"') == 5
    assert "<script>alert" not in page.text
    data = alice.get(f"{server.url}/api/v1/dashboard", timeout=30).json()
    assert {t["marketplace"] for t in data["takedowns"]} == {"amazon", "ebay"}
    assert alice.get(f"{server.url}/dashboard.json", timeout=30).json() == data
    assert "F-3" not in str(data)
    assert requests.get(f"{server.url}/api/v1/dashboard", timeout=10).status_code == 401


def test_networks_page_lists_only_links_in_scope(served) -> None:
    world, server = served
    k = world.sellers
    alice = login(server.url, "alice")
    page = alice.get(f"{server.url}/networks", timeout=30).text
    assert f"/sellers/{k['s1']}" in page and f"/sellers/{k['s2']}" in page
    assert k["s3"] not in page and "<script>alert" not in page
    rows = alice.get(f"{server.url}/networks.json", timeout=30).json()["items"]
    assert [sorted(r["members"]) for r in rows] == [sorted([k["s1"], k["s2"]])]


def test_seller_page_draws_an_interactive_graph_in_chromium_under_the_csp(served) -> None:
    from tests.ipwatch.web.browser import chromium

    world, server = served
    k = world.sellers
    root = login(server.url, "root")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [
                {
                    "name": "ipw_session",
                    "value": root.cookies.get("ipw_session"),
                    "domain": "127.0.0.1",
                    "path": "/",
                }
            ]
        )
        page = context.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{server.url}/sellers/{k['s1']}")
        page.wait_for_function("window.ipwatchNetwork !== undefined", timeout=30_000)
        nodes = page.evaluate("window.ipwatchNetwork.nodes().map(n => n.id()).sort()")
        edges = page.evaluate("window.ipwatchNetwork.edges().length")
        assert nodes == sorted(k[x] for x in ("s1", "s2", "s3", "s4"))
        assert edges == 3
        assert page.locator("#network-graph canvas").count() > 0  # drawn, not just built
        assert not page.locator("svg.graph").is_visible()  # the server drawing is the fallback
        labels = page.evaluate("window.ipwatchNetwork.nodes().map(n => n.data('label'))")
        assert any("<script>" in label for label in labels)  # the hostile name, as text
        assert dialogs == [] and not [m for m in refused if "Content Security Policy" in m]
        page.evaluate(f"window.ipwatchNetwork.getElementById({k['s2']!r}).emit('tap')")
        page.wait_for_url(f"**/sellers/{k['s2']}")
