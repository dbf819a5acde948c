from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
import requests

from tests.ipwatch.web.desk_data import PASSWORD, DeskData, DeskServer, build


@pytest.fixture(scope="module", params=["sqlite", "opensearch"])
def desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[DeskData, DeskServer]]:
    """The desk over the embedded index and over a real OpenSearch node: same pages, same
    checks (tenant scope is applied in the store query on both)."""
    index_url = None
    if request.param == "opensearch":
        url = request.getfixturevalue("opensearch_url")
        index_url = f"{url}/?prefix=t-desk-{uuid.uuid4().hex[:8]}"
    data = build(tmp_path_factory.mktemp("desk") / "home", index_url)
    with DeskServer(data.workspace) as server:
        yield data, server
    data.workspace.close()


def login(base: str, name: str, password: str = PASSWORD) -> requests.Session:
    """A browser-like session logged in through the real form; ``.csrf`` holds the page token."""
    session = requests.Session()
    form = session.get(f"{base}/login", timeout=10)
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    done = session.post(
        f"{base}/login",
        data={"name": name, "password": password, "login_csrf": token.group(1)},
        timeout=30,
    )
    assert done.status_code == 200 and "/login" not in done.url, done.text[:500]
    page = session.get(f"{base}/queue", timeout=10)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert csrf
    session.csrf = csrf.group(1)  # type: ignore[attr-defined]
    return session
