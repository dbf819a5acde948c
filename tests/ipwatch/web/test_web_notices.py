"""Notices on the desk and the JSON API, against uvicorn on 127.0.0.1: tenant scope on every
route, the state machine's refusals as 409/422, CSRF on the forms, hostile text escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from config.enforcement import NoticeSettings
from tests.ipwatch.web.conftest import login
from tests.ipwatch.web.desk_data import DeskData, DeskServer, build


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DeskData, DeskServer]]:
    data = build(tmp_path_factory.mktemp("notice-desk") / "home")
    workspace = data.workspace
    workspace.config = workspace.config.model_copy(
        update={
            "notices": NoticeSettings(notifier_name="Acme Legal", notifier_email="l@acme.example")
        }
    )
    with DeskServer(workspace) as server:
        yield data, server
    workspace.close()


def bearer(data: DeskData, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {data.tokens[name]}"}


def confirm(base: str, headers: dict[str, str], fid: str) -> None:
    got = requests.post(
        f"{base}/api/v1/findings/{fid}/decision",
        json={"status": "confirmed", "reason": "copied mark"},
        headers=headers,
        timeout=30,
    )
    assert got.status_code == 200, got.text


def test_notices_api_creates_from_confirmed_findings_and_walks_the_state_machine(desk) -> None:
    data, server = desk
    base, root = server.url, bearer(data, "root")
    refused = requests.post(
        f"{base}/api/v1/notices", json={"finding_ids": ["F-a1"]}, headers=root, timeout=30
    )
    assert refused.status_code == 422 and "not confirmed" in refused.json()["error"]
    confirm(base, root, "F-a1")
    made = requests.post(
        f"{base}/api/v1/notices", json={"finding_ids": ["F-a1"]}, headers=root, timeout=30
    )
    assert made.status_code == 201, made.text
    (notice,) = made.json()["items"]
    nid = notice["id"]
    url = f"{base}/api/v1/notices/{nid}"
    assert requests.get(url, headers=root, timeout=10).json()["next_states"] == ["sent"]
    bad = requests.post(f"{url}/state", json={"state": "removed"}, headers=root, timeout=30)
    assert bad.status_code == 409 and "cannot become removed" in bad.json()["error"]
    unknown = requests.post(f"{url}/state", json={"state": "bogus"}, headers=root, timeout=30)
    assert unknown.status_code == 422
    sent = requests.post(
        f"{url}/state", json={"state": "sent", "reason": "filed"}, headers=root, timeout=30
    )
    assert sent.status_code == 200, sent.text
    assert [f["to_status"] for f in sent.json()["findings"]] == ["notice_sent"]
    shown = requests.get(url, headers=root, timeout=10).json()
    assert shown["state"] == "sent" and shown["history"][0]["actor"] == "root"
    listed = requests.get(f"{base}/api/v1/notices?state=sent&format=csv", headers=root, timeout=10)
    assert nid in listed.text and listed.headers["content-type"].startswith("text/csv")
    name = shown["files"][0]["name"]
    got = requests.get(f"{url}/files/{name}", headers=root, timeout=10)
    assert got.status_code == 200 and got.headers["X-Content-SHA256"] == shown["files"][0]["sha256"]
    assert "<script>alert(2)</script>" in got.text  # plain text, served as an attachment
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["content-disposition"].startswith("attachment")


def test_tenant_isolation_another_owners_notice_answers_not_found_everywhere(desk) -> None:
    data, server = desk
    base, root, gary = server.url, bearer(data, "root"), bearer(data, "gary")
    confirm(base, root, "F-a3")
    nid = requests.post(
        f"{base}/api/v1/notices", json={"finding_ids": ["F-a3"]}, headers=root, timeout=30
    ).json()["items"][0]["id"]
    for path in (f"/api/v1/notices/{nid}", f"/notices/{nid}", f"/api/v1/notices/{nid}/files/x"):
        assert requests.get(base + path, headers=gary, timeout=10).status_code == 404, path
    moved = requests.post(
        f"{base}/api/v1/notices/{nid}/state", json={"state": "sent"}, headers=gary, timeout=10
    )
    assert moved.status_code == 404
    assert nid not in requests.get(f"{base}/api/v1/notices", headers=gary, timeout=10).text
    stolen = requests.post(
        f"{base}/api/v1/notices", json={"finding_ids": ["F-a3"]}, headers=gary, timeout=30
    )
    assert stolen.status_code == 404
    viewer = requests.post(
        f"{base}/api/v1/notices/{nid}/state",
        json={"state": "sent"},
        headers=bearer(data, "vic"),
        timeout=10,
    )
    assert viewer.status_code == 403
    assert (
        requests.get(f"{base}/api/v1/notices/{nid}", headers=root, timeout=10).json()["state"]
        == "draft"
    )


def test_the_notice_page_records_outcomes_with_csrf_and_refuses_a_stale_form(desk) -> None:
    data, server = desk
    base, root = server.url, bearer(data, "root")
    confirm(base, root, "F-a2")
    nid = requests.post(
        f"{base}/api/v1/notices", json={"finding_ids": ["F-a2"]}, headers=root, timeout=30
    ).json()["items"][0]["id"]
    alice = login(base, "alice")
    page = alice.get(f"{base}/notices/{nid}", timeout=10)
    assert page.status_code == 200 and "Mark sent" in page.text
    assert "<script>alert(2)" not in page.text
    revision = re.search(r'name="revision" value="([^"]+)"', page.text).group(1)
    form = {"state": "sent", "reason": "", "revision": revision}
    forged = alice.post(f"{base}/notices/{nid}/mark", data=form, timeout=10)
    assert forged.status_code == 403  # no CSRF token
    done = alice.post(
        f"{base}/notices/{nid}/mark", data={**form, "csrf": alice.csrf}, allow_redirects=False
    )
    assert done.status_code == 303
    page = alice.get(f"{base}/notices/{nid}", timeout=10)
    assert "draft</td><td>sent" in page.text and "Mark acknowledged" in page.text
    stale = alice.post(
        f"{base}/notices/{nid}/mark",
        data={"state": "removed", "revision": revision, "csrf": alice.csrf},
        timeout=10,
    )
    assert stale.status_code == 409 and "changed since revision" in stale.text
    listing = alice.get(f"{base}/notices", timeout=10)
    assert nid in listing.text and "Draft notices" in listing.text
    vic = login(base, "vic")
    assert "Mark acknowledged" not in vic.get(f"{base}/notices/{nid}", timeout=10).text
