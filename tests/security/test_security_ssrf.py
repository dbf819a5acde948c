"""A page we crawl must never make ipwatch (Scrapy or Chromium) reach a private address.

One rule (``netguard.policy.AddressPolicy``) answers for Scrapy's requests, the crawl's
rendering browser and the evidence capture browser.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from netguard.policy import AddressPolicy
from tests.security.hostile import HostileSite, write_profile
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path


def last_run_counters(home: Path) -> dict[str, int]:
    result = run_ipwatch(home, "runs", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[0])["counters"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:22/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
        "http://[::ffff:7f00:1]/",
        "http://2130706433/",  # decimal
        "http://0177.0.0.1/",  # octal
        "http://0x7f.1/",  # hex, short form
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://localhost/",
        "file:///etc/passwd",
    ],
)
def test_ssrf_private_address_in_any_spelling_is_refused(url: str) -> None:
    assert AddressPolicy.from_hosts([]).refusal(url) is not None


def test_ssrf_allowed_host_port_does_not_open_other_ports() -> None:
    policy = AddressPolicy.from_hosts(["127.0.0.1:8765"])
    assert policy.refusal("http://127.0.0.1:8765/item/1") is None
    assert policy.refusal("http://127.0.0.1:22/") is not None
    assert policy.refusal("http://0177.0.0.1:8765/") is not None  # another spelling is not named


def test_ssrf_metadata_address_needs_its_exact_address_allowed() -> None:
    assert AddressPolicy.from_hosts(["169.254.169.254"]).refusal("http://169.254.169.254/") is None
    by_name = AddressPolicy.from_hosts(["metadata.test"])
    assert by_name.refusal("http://169.254.169.254/") is not None


def test_ssrf_rendered_page_cannot_make_chromium_fetch_a_private_address(tmp_path: Path) -> None:
    """<img> and fetch() on a `render: playwright` page are checked like Scrapy's requests."""
    with HostileSite() as inside, HostileSite() as shop:
        secret = f"{inside.base_url}/secret"
        shop.pages["/deals"] = (
            f'<div class="deal-card"><a href="/item/1">deal</a></div><img src="{secret}-img">'
            f'<script>fetch("{secret}-fetch").catch(() => null)</script>'
        )
        shop.pages["/item/1"] = "<h1>deal</h1>"
        profile = write_profile(tmp_path / "hostile.yaml", shop.base_url)
        result = run_ipwatch(
            tmp_path / "home",
            "crawl",
            str(profile),
            "--allow-private-host",
            f"127.0.0.1:{shop.port}",  # the shop's port only: the page must not reach another
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert "/deals" in shop.hits
    assert inside.hits == []
    assert last_run_counters(tmp_path / "home")["blocked"] >= 2


def test_ssrf_profile_on_a_private_host_is_not_trusted_implicitly(tmp_path: Path) -> None:
    """A profile whose base_url is loopback is refused unless the operator allows the host."""
    with HostileSite({"/deals": "<p>internal</p>"}) as inside:
        profile = write_profile(tmp_path / "inside.yaml", inside.base_url)
        result = run_ipwatch(tmp_path / "home", "crawl", str(profile))
    assert inside.hits == []
    assert result.returncode == 0, result.stdout + result.stderr
    assert last_run_counters(tmp_path / "home")["blocked"] >= 1


def test_ssrf_redirect_hop_from_a_rendered_page_to_a_private_address_is_refused(
    tmp_path: Path,
) -> None:
    """Playwright's routing never sees redirect hops; the crawl's browser proxy does."""
    with HostileSite() as inside, HostileSite() as shop:
        secret = f"{inside.base_url}/secret"
        shop.pages["/deals"] = (
            '<div class="deal-card"><a href="/item/1">deal</a></div><img src="/to-inside-img">'
            '<script>fetch("/to-inside-fetch").catch(() => null)</script>'
            '<iframe src="/to-inside-frame"></iframe>'
        )
        for kind in ("img", "fetch", "frame"):
            shop.pages[f"/to-inside-{kind}"] = f"REDIRECT {secret}-{kind}"
        shop.pages["/item/1"] = "<h1>deal</h1>"
        profile = write_profile(tmp_path / "hostile.yaml", shop.base_url)
        result = run_ipwatch(
            tmp_path / "home",
            "crawl",
            str(profile),
            "--allow-private-host",
            f"127.0.0.1:{shop.port}",
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert "/to-inside-img" in shop.hits
    assert inside.hits == []
    assert last_run_counters(tmp_path / "home")["blocked"] >= 1
