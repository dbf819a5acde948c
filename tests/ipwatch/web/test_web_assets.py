"""Rights-holder self-service: upload a registry file with its images; hostile uploads store
nothing and say why; other owners' assets stay out of reach."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.ipwatch.web.conftest import login


def png(size: tuple[int, int] = (64, 64), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 0).save(out, format="PNG")
    return out.getvalue()


def registry_yaml(
    owner: str = "Acme", image: str = "logo.png", asset: str = "acme-logo-2"
) -> bytes:
    return (
        f"owners:\n  - name: {owner}\n    assets:\n      - id: {asset}\n"
        "        kind: figurative_mark\n"
        f"        name: Acme logo\n        images: [{image!r}]\n"
        f"        price_floor: {{amount: '20.00', currency: USD}}\n"
    ).encode()


def upload(session, base, files):
    return session.post(
        f"{base}/assets/upload",
        data={"csrf": session.csrf},
        files=[("files", (name, data)) for name, data in files],
        timeout=60,
    )


def asset_ids(data) -> set[str]:
    return {a.id for a in data.workspace.registry.list_assets()}


def test_rights_holder_uploads_assets_with_images_and_rescans(desk) -> None:
    data, server = desk
    alice = login(server.url, "ada")
    done = upload(alice, server.url, [("acme.yaml", registry_yaml()), ("logo.png", png())])
    assert done.status_code == 200 and "1 created" in done.text, done.text[-800:]
    assert "acme-logo-2" in asset_ids(data)
    listed = alice.get(f"{server.url}/assets.json", timeout=10).json()["items"]
    assert any(a["id"] == "acme-logo-2" and a["price_floor_amount"] == "20.00" for a in listed)
    rescan = alice.post(
        f"{server.url}/assets/acme-logo-2/rescan", data={"csrf": alice.csrf}, timeout=120
    )
    assert rescan.status_code == 200 and "rescanned" in rescan.text


@pytest.mark.parametrize(
    ("attack", "files", "expected"),
    [
        (
            "path_traversal_name",
            [("../evil.yaml", registry_yaml()), ("logo.png", png())],
            "not allowed",
        ),
        (
            "image_outside_upload",
            [("acme.yaml", registry_yaml(image="/etc/passwd"))],
            "outside the uploaded files",
        ),
        (
            "dotdot_image_reference",
            [("acme.yaml", registry_yaml(image="../../registry.db"))],
            "outside the uploaded files",
        ),
        (
            "non_image",
            [("acme.yaml", registry_yaml()), ("logo.png", b"<svg onload=alert(1)>")],
            "logo.png",
        ),
        (
            "decompression_bomb",
            [("acme.yaml", registry_yaml()), ("logo.png", png((20_000, 20_000), "1"))],
            "logo.png",
        ),
        (
            "oversized_image",
            [("acme.yaml", registry_yaml()), ("logo.png", b"\0" * (21 << 20))],
            "over 20 MiB",
        ),
        ("no_registry_file", [("logo.png", png())], "exactly one registry file"),
    ],
)
def test_hostile_upload_stores_nothing_and_says_why(desk, attack, files, expected) -> None:
    data, server = desk
    alice = login(server.url, "ada")
    before = asset_ids(data)
    refused = upload(alice, server.url, files)
    assert refused.status_code == 422, (attack, refused.status_code)
    assert expected in refused.text, (attack, refused.text[-600:])
    assert "Traceback" not in refused.text
    assert asset_ids(data) == before


def test_a_rights_holder_cannot_upload_for_another_owner_and_a_viewer_not_at_all(desk) -> None:
    data, server = desk
    alice = login(server.url, "ada")
    before = asset_ids(data)
    foreign = upload(
        alice,
        server.url,
        [("g.yaml", registry_yaml("Globex", asset="g-logo")), ("logo.png", png())],
    )
    assert foreign.status_code == 422 and "not yours to manage" in foreign.text
    vic = login(server.url, "vic")
    viewer = upload(vic, server.url, [("acme.yaml", registry_yaml()), ("logo.png", png())])
    assert viewer.status_code == 403
    assert asset_ids(data) == before
    gary_assets = alice.get(f"{server.url}/assets.json", timeout=10).json()["items"]
    assert all(a["owner"] == "Acme" for a in gary_assets)
    assert alice.get(f"{server.url}/runs.json", timeout=10).status_code == 403
