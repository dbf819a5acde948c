"""Attacks on the review desk, each named: other tenants' ids, missing CSRF, guessing passwords,
fixed sessions, a viewer deciding, hostile listing text, oversized bulk requests."""

from __future__ import annotations

import re

import pytest
import requests

from tests.ipwatch.web.conftest import login
from tests.ipwatch.web.desk_data import XSS, globex_asset


def test_idor_every_route_answers_404_for_another_owners_ids(desk) -> None:
    """alice (Acme) asks for Globex's finding, snapshot, artifact and seller by id everywhere."""
    data, server = desk
    base, theirs, snap = server.url, data.globex_finding, data.globex_snapshot
    sha = data.workspace.index.get_snapshot(snap).artifacts[0]["sha256"]
    seller = data.workspace.index.get_finding(theirs).seller_key
    alice = login(base, "alice")
    token = {"Authorization": f"Bearer {data.tokens['alice']}"}
    csrf = {"csrf": alice.csrf}
    gets = [
        f"/findings/{theirs}",
        f"/snapshots/{snap}/artifacts/{sha}",
        f"/findings/{theirs}/reference/{'ab' * 32}",
        f"/sellers/{seller}",
        f"/api/v1/findings/{theirs}",
        f"/api/v1/sellers/{seller}/network",
    ]
    for path in gets:
        for who in ({"session": alice}, {"headers": token}):
            client = who.get("session", requests)
            got = client.get(base + path, headers=who.get("headers"), timeout=10)
            assert got.status_code == 404, (path, got.status_code)
    gary = {"Authorization": f"Bearer {data.tokens['gary']}"}  # Globex's own reviewer: allowed
    for path in [p for p in gets if "/reference/" not in p]:
        assert requests.get(base + path, headers=gary, timeout=10).status_code == 200, path
    posts = [
        (f"/findings/{theirs}/decide", {**csrf, "decision": "dismiss", "reason_text": "x"}),
        (f"/snapshots/{snap}/verify", csrf),
        (f"/snapshots/{snap}/bundle.zip", csrf),
        (f"/findings/{theirs}/case.wacz", csrf),
    ]
    for path, form in posts:
        assert alice.post(base + path, data=form, timeout=30).status_code == 404, path
    api = requests.post(
        f"{base}/api/v1/findings/{theirs}/decision",
        headers=token,
        json={"status": "dismissed", "reason": "x"},
        timeout=10,
    )
    assert api.status_code == 404
    bulk = requests.post(
        f"{base}/api/v1/findings/bulk-decision",
        headers=token,
        json={"ids": [theirs], "status": "dismissed", "reason": "x"},
        timeout=10,
    )
    assert bulk.json()["refused"][0]["id"] == theirs
    assert data.workspace.index.get_finding(theirs).status.value == "new"  # nothing changed
    listed = requests.get(f"{base}/api/v1/findings?status=any", headers=token, timeout=10).json()
    assert theirs not in {f["id"] for f in listed["items"]}
    sellers = requests.get(f"{base}/api/v1/sellers", headers=token, timeout=10).json()["items"]
    assert "Globex Outlet" not in {s["name"] for s in sellers}
    scoped = ("/api/v1/record", "/api/v1/networks", "/record.json", "/record.csv")
    for path in (*scoped, "/api/v1/dashboard", "/dashboard.json", "/networks.csv"):
        listed = requests.get(base + path, headers=token, timeout=30)
        assert listed.status_code == 200, path
        assert "Globex Outlet" not in listed.text and seller not in listed.text, path
        assert theirs not in listed.text, path  # not even a finding id in the record
    counts = requests.get(f"{base}/api/v1/queue", headers=token, timeout=10).json()["counts"]
    assert set(counts["owner"]) == {"Acme"}  # not even counted
    # Asset routes, asked by Acme's own admin (who may manage assets, but only Acme's).
    asset = globex_asset(data.workspace)
    ada = login(base, "ada")
    assert ada.get(f"{base}/assets/edit/{asset}", timeout=10).status_code == 404
    asset_posts = [
        (f"/assets/edit/{asset}", {"kind": "word_mark", "name": "stolen", "rescan": "on"}),
        (f"/assets/{asset}/rescan", {}),
    ]
    for path, form in asset_posts:
        got = ada.post(base + path, data={"csrf": ada.csrf, **form}, timeout=30)
        assert got.status_code == 404, (path, got.status_code)
        assert alice.post(base + path, data={**csrf, **form}, timeout=30).status_code == 403
    assert data.workspace.registry.get_asset(asset).name == "GLOBEXX"
    listed = ada.get(f"{base}/assets.json", timeout=10).json()["items"]
    assert asset not in {a["id"] for a in listed}


def test_csrf_less_post_with_a_session_cookie_is_refused(desk) -> None:
    data, server = desk
    alice = login(server.url, "alice")
    fid = data.acme_findings[2]
    forged = alice.post(
        f"{server.url}/findings/{fid}/decide",
        data={"decision": "dismiss", "reason_text": "forged"},
        timeout=10,
    )
    assert forged.status_code == 403 and "CSRF" in forged.text
    api = alice.post(
        f"{server.url}/api/v1/findings/{fid}/decision",
        json={"status": "dismissed", "reason": "forged"},
        timeout=10,
    )
    assert api.status_code == 403
    assert data.workspace.index.get_finding(fid).status.value == "new"


def test_viewer_cannot_decide_but_can_read(desk) -> None:
    data, server = desk
    vic = {"Authorization": f"Bearer {data.tokens['vic']}"}
    fid = data.acme_findings[2]
    assert requests.get(f"{server.url}/api/v1/findings/{fid}", headers=vic, timeout=10).ok
    refused = requests.post(
        f"{server.url}/api/v1/findings/{fid}/decision",
        headers=vic,
        json={"status": "confirmed", "reason": "x"},
        timeout=10,
    )
    assert refused.status_code == 403


def test_password_guessing_locks_the_account_for_the_window(desk) -> None:
    _data, server = desk
    session = requests.Session()
    statuses = []
    for _ in range(7):
        form = session.get(f"{server.url}/login", timeout=10).text
        token = re.search(r'name="login_csrf" value="([^"]+)"', form).group(1)
        statuses.append(
            session.post(
                f"{server.url}/login",
                timeout=30,
                data={"name": "amy", "password": "wrong guess number", "login_csrf": token},
            ).status_code
        )
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    with pytest.raises(AssertionError):  # even the right password waits out the window
        login(server.url, "amy")


def test_session_fixation_login_replaces_the_cookie_and_logout_ends_it(desk) -> None:
    _data, server = desk
    planted = requests.Session()
    planted.cookies.set("ipw_session", "attacker-chosen-value", domain="127.0.0.1", path="/")
    assert "/login" in planted.get(f"{server.url}/queue", timeout=10).url  # not a session
    alice = login(server.url, "alice")
    cookie = alice.cookies.get("ipw_session")
    assert cookie and cookie != "attacker-chosen-value"
    alice.post(f"{server.url}/logout", data={"csrf": alice.csrf}, timeout=10)
    replay = requests.get(f"{server.url}/queue.json", cookies={"ipw_session": cookie}, timeout=10)
    assert replay.status_code == 401


def test_bulk_decision_over_300_findings_is_refused_whole(desk) -> None:
    data, server = desk
    root = {"Authorization": f"Bearer {data.tokens['root']}"}
    ids = [f"F-{n}" for n in range(301)]
    got = requests.post(
        f"{server.url}/api/v1/findings/bulk-decision",
        headers=root,
        json={"ids": ids, "status": "dismissed", "reason": "x"},
        timeout=10,
    )
    assert got.status_code == 422


def test_csv_export_of_hostile_text_neutralises_formulas(desk) -> None:
    _data, server = desk
    alice = login(server.url, "alice")
    text = alice.get(f"{server.url}/sellers.csv", timeout=10).text
    rows = text.splitlines()[1:]
    assert rows and not any(
        cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.split(",")
    )


def test_hostile_listing_text_renders_inert_in_chromium(desk) -> None:
    from playwright.sync_api import sync_playwright

    data, server = desk
    alice = login(server.url, "alice")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
        )
        try:
            context = browser.new_context()
            context.add_cookies(
                [
                    {
                        "name": "ipw_session",
                        "value": alice.cookies.get("ipw_session"),
                        "domain": "127.0.0.1",
                        "path": "/",
                    }
                ]
            )
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            seller = data.workspace.index.get_finding(data.acme_findings[0]).seller_key
            for path in (
                "/queue",
                f"/findings/{data.acme_findings[0]}",
                "/sellers",
                f"/sellers/{seller}",
            ):
                page.goto(server.url + path)
                page.wait_for_load_state("load")
                assert page.locator("img[src='x']").count() == 0, path
                assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
                assert XSS in page.inner_text("body"), path  # shown as text, exactly
            assert dialogs == []
        finally:
            browser.close()
