"""Cloud metadata (link-local: 169.254.0.0/16, fe80::/10) is reached only when an operator names
its exact address (``--allow-private-host 169.254.169.254``) and the URL uses that address.

An allowance for another spelling (decimal, octal, hex, IPv4-mapped) or for a name never covers
it, whichever source the URL came from: a profile's base_url, a redirect, a rendered page, or an
image URL in ``ipwatch detect``'s JSONL.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from ipwatch.services.batch_listings import ImageLimits, ImageLoader, ImageProblem
from netguard.policy import AddressPolicy
from tests.security.hostile import HostileSite, write_profile
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path

# Other spellings of 169.254.169.254 and a link-local IPv6 address, as a URL's host.
SPELLINGS = [
    "2852039166",  # decimal
    "0251.0376.0251.0376",  # octal
    "0xa9fea9fe",  # hex
    "0xa9.0xfe.0xa9.0xfe",
    "[::ffff:169.254.169.254]",  # IPv4-mapped IPv6
    "[::ffff:a9fe:a9fe]",
]


def counters(home: Path) -> dict[str, int]:
    result = run_ipwatch(home, "runs", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[0])["counters"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("host", SPELLINGS)
def test_ssrf_link_local_spelling_allowed_by_name_is_still_refused(host: str) -> None:
    policy = AddressPolicy.from_hosts([host])
    reason = policy.refusal(f"http://{host}/latest/meta-data/")
    assert reason is not None and "link-local" in reason
    assert "--allow-private-host 169.254.169.254" in reason


def test_ssrf_link_local_exact_address_named_is_the_only_way_in() -> None:
    policy = AddressPolicy.from_hosts(["169.254.169.254", "fe80::1"])
    assert policy.refusal("http://169.254.169.254/latest/") is None
    assert policy.refusal("http://[fe80::1]/") is None
    assert policy.refusal("http://169.254.169.253/") is not None  # its neighbour is not named
    for host in SPELLINGS:
        assert policy.refusal(f"http://{host}/latest/") is not None, host


@pytest.mark.parametrize("host", SPELLINGS)
def test_ssrf_detect_image_url_at_a_link_local_spelling_is_refused_when_allowed(
    host: str, tmp_path: Path
) -> None:
    """``ipwatch detect --allow-private-host`` used to trust any host it was given by name."""
    loader = ImageLoader(
        tmp_path, ImageLimits(timeout=2.0, allowed_private_hosts=frozenset({host}))
    )
    with pytest.raises(ImageProblem, match="link-local"):
        loader.load(f"http://{host}/latest/meta-data/photo.png")


def test_ssrf_detect_cli_refuses_a_link_local_image_url_under_an_allowed_spelling(
    tmp_path: Path,
) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "owners:\n- name: Acme\n  assets:\n  - {id: nova, kind: word_mark, name: NOVAFLEX}\n"
    )
    listings = tmp_path / "listings.jsonl"
    url = "http://0251.0376.0251.0376/latest/meta-data/photo.png"
    listings.write_text(json.dumps({"id": "1", "title": "NOVAFLEX", "images": [url]}) + "\n")
    result = run_ipwatch(
        tmp_path / "home",
        "detect",
        "--registry",
        str(registry),
        "--listings",
        str(listings),
        "--allow-private-host",
        "0251.0376.0251.0376",
    )
    assert result.returncode == 0, result.stderr
    assert "link-local" in result.stderr
    assert "--allow-private-host 169.254.169.254" in result.stderr


@pytest.mark.parametrize("host", ["0251.0376.0251.0376", "[::ffff:169.254.169.254]"])
def test_ssrf_profile_base_url_at_a_link_local_spelling_is_refused_when_allowed(
    host: str, tmp_path: Path
) -> None:
    profile = write_profile(tmp_path / "meta.yaml", f"http://{host}", render="http", timeout=2)
    home = tmp_path / "home"
    result = run_ipwatch(home, "crawl", str(profile), "--allow-private-host", host)
    assert "link-local" in result.stdout + result.stderr
    assert counters(home)["blocked"] >= 1


def test_ssrf_rendered_page_and_redirects_to_link_local_spellings_are_refused_when_allowed(
    tmp_path: Path,
) -> None:
    """Every spelling allowed by name; the page loads each directly and through a redirect."""
    with HostileSite() as shop:
        tags = []
        for n, host in enumerate(SPELLINGS):
            shop.pages[f"/hop-{n}"] = f"REDIRECT http://{host}/latest/meta-data/{n}"
            tags.append(f'<img src="http://{host}/latest/{n}"><img src="/hop-{n}">')
        shop.pages["/deals"] = '<div class="deal-card"><a href="/item/1">d</a></div>' + "".join(
            tags
        )
        shop.pages["/item/1"] = "<h1>deal</h1>"
        profile = write_profile(tmp_path / "shop.yaml", shop.base_url, timeout=5)
        allow = [arg for host in SPELLINGS for arg in ("--allow-private-host", host)]
        home = tmp_path / "home"
        result = run_ipwatch(
            home, "crawl", str(profile), *allow, "--allow-private-host", f"127.0.0.1:{shop.port}"
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert all(f"/hop-{n}" in shop.hits for n in range(len(SPELLINGS)))
    assert counters(home)["blocked"] >= 2 * len(SPELLINGS)
