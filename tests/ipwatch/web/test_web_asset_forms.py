"""The asset form and the CSV upload: every kind created and edited through real HTTP, each
invalid field reported beside itself with nothing stored, CSV problems by row and column, other
owners out of reach, hostile uploads refused through the form."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from tests.ipwatch.web.browser import chromium
from tests.ipwatch.web.conftest import login
from tests.ipwatch.web.test_web_assets import asset_ids, png, upload

XSS_NAME = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_form(session, url, fields, images=()):
    """A multipart form post as the browser sends it (files may be empty)."""
    files = [("images", (name, data, "application/octet-stream")) for name, data in images]
    return session.post(
        url,
        data={"csrf": session.csrf, **fields},
        files=files or [("images", ("", b"", "application/octet-stream"))],
        timeout=120,
    )


def field_error(page: str, field: str) -> str | None:
    found = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page)
    return html.unescape(found.group(1)) if found else None


KINDS = [
    (
        "word_mark",
        {
            "name": "ZENTRIX",
            "registration_number": "EU0181",
            "keywords": "zentrix\nzen trix",
            "authorized_sellers": "zentrix-official\nZentrix Store",
            "price_floor_amount": "79.00",
            "price_floor_currency": "USD",
            "classes": "25, 28",
        },
        [],
    ),
    ("figurative_mark", {"name": "Zentrix logo", "keywords": "zentrix"}, [("logo.png", png())]),
    (
        "design_patent",
        {"name": "Zentrix sole", "registration_number": "D-77", "jurisdiction": "US"},
        [("sole.png", png((80, 40)))],
    ),
    (
        "utility_patent",
        {"name": "Damped sole", "claims": "A sole comprising a lattice.\nThe sole of claim 1."},
        [],
    ),
    ("product_image", {"name": "Runner photo"}, [("runner.png", png((50, 70)))]),
]


@pytest.mark.parametrize(("kind", "fields", "images"), KINDS, ids=[k[0] for k in KINDS])
def test_rights_holder_creates_each_kind_of_asset_and_edits_it(desk, kind, fields, images) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    form = ada.get(f"{server.url}/assets/new", timeout=10)
    assert form.status_code == 200 and 'name="csrf"' in form.text
    created = post_form(
        ada, f"{server.url}/assets/new", {"owner": "Acme", "kind": kind, **fields}, images
    )
    assert created.status_code == 200, created.text[-1500:]
    saved = re.search(r"saved (\S+) \(created\)", created.text)
    assert saved, created.text[-800:]
    asset = data.workspace.registry.get_asset(saved.group(1))
    assert asset is not None and asset.owner == "Acme" and asset.kind.value == kind
    assert asset.name == fields["name"]
    assert [i.label for i in asset.images] == [name for name, _ in images]
    if kind == "word_mark":
        assert asset.keywords == ("zentrix", "zen trix") and asset.classes == ("25", "28")
        assert asset.authorized_sellers == ("zentrix-official", "Zentrix Store")
        assert asset.price_floor_amount == Decimal("79.00") and asset.price_floor_currency == "USD"
    if kind == "utility_patent":
        assert asset.claims == ("A sole comprising a lattice.", "The sole of claim 1.")
    assert "Rescan stored listings for" in created.text  # offered for the new asset
    edit_page = ada.get(f"{server.url}/assets/edit/{asset.id}", timeout=10)
    assert edit_page.status_code == 200 and html.escape(fields["name"]) in edit_page.text
    edited = post_form(
        ada,
        f"{server.url}/assets/edit/{asset.id}",
        {"kind": kind, **fields, "name": fields["name"] + " II", "keep_images": "on"},
    )
    assert edited.status_code == 200 and "(updated)" in edited.text, edited.text[-800:]
    again = data.workspace.registry.get_asset(asset.id)
    assert again is not None and again.name == fields["name"] + " II"
    assert [i.sha256 for i in again.images] == [i.sha256 for i in asset.images]  # kept


def test_new_asset_with_rescan_ticked_rescans_stored_listings(desk) -> None:
    _data, server = desk
    ada = login(server.url, "ada")
    done = post_form(
        ada,
        f"{server.url}/assets/new",
        {"owner": "Acme", "kind": "word_mark", "name": "ACMEX", "rescan": "on"},
    )
    assert done.status_code == 200, done.text[-800:]
    assert re.search(r"rescanned \d+ stored listing\(s\)", done.text)


INVALID = [
    (
        "price_floor_currency",
        {"price_floor_amount": "5", "price_floor_currency": "usd"},
        "ISO 4217",
    ),
    ("price_floor_amount", {"price_floor_amount": "-3", "price_floor_currency": "USD"}, "greater"),
    ("price_floor_currency", {"price_floor_amount": "5"}, "required"),
    ("valid_until", {"valid_from": "2030-01-01", "valid_until": "2020-01-01"}, "swap them"),
    ("id", {"id": "Bad Id!"}, "lower-case"),
    ("kind", {"kind": "trademark"}, "word_mark"),
    ("name", {"name": "   "}, "at least 1"),
    ("registration_number", {"registration_number": "9" * 201}, "at most 200"),
    ("keywords", {"keywords": "k" * 300}, "at most 200"),
    ("valid_from", {"valid_from": "yesterday"}, "date"),
]


@pytest.mark.parametrize(("field", "values", "expected"), INVALID, ids=[i[0] for i in INVALID])
def test_invalid_field_is_shown_beside_it_and_nothing_is_stored(
    desk, field, values, expected
) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    before = asset_ids(data)
    fields = {"owner": "Acme", "kind": "word_mark", "name": "Quorvex", **values}
    refused = post_form(ada, f"{server.url}/assets/new", fields)
    assert refused.status_code == 422, refused.text[-800:]
    message = field_error(refused.text, field)
    assert message is not None and expected in message, (field, refused.text[-2000:])
    assert asset_ids(data) == before
    assert "Traceback" not in refused.text


def test_hostile_values_come_back_escaped_in_the_form(desk) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    before = asset_ids(data)
    refused = post_form(
        ada,
        f"{server.url}/assets/new",
        {"owner": "Acme", "kind": "word_mark", "name": XSS_NAME, "price_floor_currency": "x"},
    )
    assert refused.status_code == 422
    assert XSS_NAME not in refused.text and "<script>alert" not in refused.text
    assert "&lt;script&gt;alert(" in refused.text  # shown back as text, in the name field
    assert asset_ids(data) == before


@pytest.mark.parametrize(
    ("attack", "images", "expected"),
    [
        ("path_traversal_name", [("../evil.png", png())], "not allowed"),
        ("non_image", [("logo.png", b"<svg onload=alert(1)>")], "not an image"),
        ("decompression_bomb", [("bomb.png", png((20_000, 20_000), "1"))], "decode safely"),
        ("oversized_image", [("big.png", b"\0" * (21 << 20))], "over 20 MiB"),
        ("registry_file_as_image", [("x.yaml", b"owners: []")], "not an image"),
    ],
)
def test_upload_attacks_through_the_form_store_nothing(desk, attack, images, expected) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    before = asset_ids(data)
    fields = {"owner": "Acme", "kind": "figurative_mark", "name": "Bomb logo"}
    refused = post_form(ada, f"{server.url}/assets/new", fields, images)
    assert refused.status_code == 422, (attack, refused.status_code)
    message = field_error(refused.text, "images")
    assert message is not None and expected in message, (attack, refused.text[-1500:])
    assert asset_ids(data) == before


def test_another_owners_asset_cannot_be_created_or_edited(desk) -> None:
    data, server = desk
    root = login(server.url, "root")
    made = post_form(
        root,
        f"{server.url}/assets/new",
        {"owner": "Globex", "kind": "word_mark", "name": "GLOBEXX", "id": "globex-form-word"},
    )
    assert made.status_code == 200 or "exists already" in made.text, made.text[-600:]
    theirs = "globex-form-word"
    ada = login(server.url, "ada")
    before = asset_ids(data)
    create = post_form(
        ada, f"{server.url}/assets/new", {"owner": "Globex", "kind": "word_mark", "name": "GX"}
    )
    assert create.status_code == 422
    assert "not yours to manage" in (field_error(create.text, "owner") or "")
    taken = post_form(
        ada,
        f"{server.url}/assets/new",
        {"owner": "Acme", "kind": "word_mark", "name": "GX", "id": theirs},
    )
    assert taken.status_code == 422 and "Globex" not in (field_error(taken.text, "id") or "Globex")
    assert ada.get(f"{server.url}/assets/edit/{theirs}", timeout=10).status_code == 404
    fields = {"kind": "word_mark", "name": "stolen"}
    assert post_form(ada, f"{server.url}/assets/edit/{theirs}", fields).status_code == 404
    vic = login(server.url, "vic")
    assert vic.get(f"{server.url}/assets/new", timeout=10).status_code == 403
    viewer = post_form(vic, f"{server.url}/assets/new", {"owner": "Acme", **fields})
    assert viewer.status_code == 403
    alice = login(server.url, "alice")  # a reviewer decides findings but manages no assets
    assert alice.get(f"{server.url}/assets/new", timeout=10).status_code == 403
    assert asset_ids(data) == before
    assert data.workspace.registry.get_asset(theirs).name == "GLOBEXX"


def test_form_without_csrf_token_is_refused(desk) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    before = asset_ids(data)
    forged = ada.post(
        f"{server.url}/assets/new",
        files=[("owner", (None, "Acme")), ("kind", (None, "word_mark")), ("name", (None, "F"))],
        timeout=10,
    )
    assert forged.status_code == 403 and "CSRF" in forged.text
    assert asset_ids(data) == before


CSV_HEADER = "owner,kind,name,keywords,price_floor_amount,price_floor_currency,images\n"


def test_csv_registry_with_images_is_imported(desk) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    table = (
        CSV_HEADER
        + "Acme,word_mark,VELTRONA,veltrona|vel trona,49.90,EUR,\n"
        + 'Acme,figurative_mark,"Veltrona logo, red",veltrona,,,vlogo.png\n'
    ).encode()
    done = upload(ada, server.url, [("acme.csv", table), ("vlogo.png", png())])
    assert done.status_code == 200 and "2 created" in done.text, done.text[-1500:]
    word = data.workspace.registry.get_asset("acme/word_mark/veltrona")
    assert word is not None and word.keywords == ("veltrona", "vel trona")
    assert word.price_floor_amount == Decimal("49.90") and word.price_floor_currency == "EUR"


@pytest.mark.parametrize(
    ("attack", "table", "row", "column"),
    [
        (
            "bad_currency_in_one_row",
            CSV_HEADER
            + "Acme,word_mark,ORBITALQ,,10,USD,\n"
            + "Acme,word_mark,ORBITALZ,,10,dollars,\n",
            "3",
            "price_floor_currency",
        ),
        ("unknown_kind", CSV_HEADER + "Acme,trademark,ORBITALY,,,,\n", "2", "kind"),
        ("image_not_uploaded", CSV_HEADER + "Acme,product_image,Shoe,,,,shoe.png\n", "2", "images"),
        (
            "image_path_traversal",
            CSV_HEADER + "Acme,product_image,Shoe,,,,../../registry.db\n",
            "2",
            "images",
        ),
        ("other_owner", CSV_HEADER + "Globex,word_mark,GLOBEXQ,,,,\n", "2", "owner"),
        ("unknown_column", "owner,kind,name,=cmd()\nAcme,word_mark,X,1\n", "1", "=cmd()"),
        ("overlong_cell", CSV_HEADER + f"Acme,word_mark,{'N' * 10_001},,,,\n", "2", "name"),
        ("ragged_row", CSV_HEADER + "Acme,word_mark\n", "2", ""),
    ],
)
def test_csv_with_a_bad_row_stores_nothing_and_names_row_and_column(
    desk, attack, table, row, column
) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    before = asset_ids(data)
    refused = upload(ada, server.url, [("acme.csv", table.encode())])
    assert refused.status_code == 422, (attack, refused.text[-800:])
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", refused.text)
    assert (row, html.escape(column)) in {(r, c) for r, c, _ in cells}, (attack, cells)
    assert asset_ids(data) == before


def test_asset_form_in_chromium_shows_the_error_beside_the_field_then_saves(desk) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 390, "height": 900})
        cookie = ada.cookies.get("ipw_session")
        context.add_cookies(
            [{"name": "ipw_session", "value": cookie, "domain": "127.0.0.1", "path": "/"}]
        )
        page = context.new_page()
        page.goto(f"{server.url}/assets/new")
        page.select_option("#f-kind", "figurative_mark")
        page.fill("#f-name", "Plumora logo")
        page.fill("#f-price_floor_amount", "12")
        page.fill("#f-price_floor_currency", "eur")
        page.set_input_files(
            "#f-images", files=[{"name": "plumora.png", "mimeType": "image/png", "buffer": png()}]
        )
        page.click("#save-asset")
        error = page.locator("#price_floor_currency-error")
        assert error.is_visible() and "ISO 4217" in error.inner_text()
        assert page.locator("#f-name").input_value() == "Plumora logo"  # nothing retyped
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        page.fill("#f-price_floor_currency", "EUR")
        page.set_input_files(
            "#f-images", files=[{"name": "plumora.png", "mimeType": "image/png", "buffer": png()}]
        )
        page.click("#save-asset")
        assert "(created)" in page.locator("main").inner_text()
    asset = data.workspace.registry.get_asset("acme/figurative_mark/plumora-logo")
    assert asset is not None and asset.price_floor_currency == "EUR"
    assert [i.label for i in asset.images] == ["plumora.png"]


def test_invalid_edit_keeps_the_stored_asset_and_shows_the_error(desk) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    fields = {"kind": "word_mark", "name": "TESSARO", "price_floor_amount": "30"}
    made = post_form(
        ada, f"{server.url}/assets/new", {"owner": "Acme", **fields, "price_floor_currency": "GBP"}
    )
    assert made.status_code == 200, made.text[-800:]
    asset_id = "acme/word_mark/tessaro"
    before = data.workspace.registry.get_asset(asset_id)
    bad = post_form(
        ada,
        f"{server.url}/assets/edit/{asset_id}",
        {**fields, "name": "TESSARO 2", "price_floor_currency": "pounds"},
    )
    assert bad.status_code == 422
    assert "ISO 4217" in (field_error(bad.text, "price_floor_currency") or "")
    assert "<strong>Acme</strong>" in bad.text  # the owner is shown as stored
    assert data.workspace.registry.get_asset(asset_id) == before


def test_yaml_upload_problems_are_listed_by_entry_and_field(desk) -> None:
    data, server = desk
    ada = login(server.url, "ada")
    before = asset_ids(data)
    document = (
        b"owners:\n  - name: Acme\n    assets:\n      - kind: word_mark\n        name: OK ONE\n"
        b"      - kind: word_mark\n        name: BAD ONE\n"
        b"        price_floor: {amount: '5', currency: usd}\n"
    )
    refused = upload(ada, server.url, [("acme.yaml", document)])
    assert refused.status_code == 422
    assert "<li>owners[0] → assets[1] → price_floor.currency: " in refused.text
    assert asset_ids(data) == before
