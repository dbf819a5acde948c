"""Valid imports: YAML and JSON, derived ids, defaults, idempotent re-import and updates."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

from registry_testkit import draw, sample, write_doc
from sqlalchemy import func, select

from model import AssetKind
from registry import ImportResult, Registry, import_file
from registry.ids import ASSET_ID_RE, derive_asset_id, slug
from registry.models import AssetImage

EXPECTED_IDS = [
    "acme-sports-ltd/product_image/novaflex-runner-photo",
    "novaflex-logo",
    "novaflex-word",
    f"{slug('耐克体育')}/utility_patent/cn-201910000001-x",
]


def _image_rows(registry: Registry) -> int:
    with registry.session() as session:
        return session.scalar(select(func.count()).select_from(AssetImage)) or 0


def test_yaml_import_stores_every_field(registry: Registry, workdir: Path) -> None:
    result = registry.import_file(write_doc(workdir / "registry.yaml", sample()))

    assert result == ImportResult(owners_created=2, assets_created=4, assets_updated=0)
    assert sorted(a.id for a in registry.list_assets()) == sorted(EXPECTED_IDS)
    word = registry.get_asset("novaflex-word")
    assert word is not None
    assert word.owner == "Acme Sports Ltd"
    assert word.kind is AssetKind.WORD_MARK
    assert word.classes == ("25", "28")
    assert word.negative_keywords == ("novaflex compatible",)
    assert word.authorized_sellers == ("acme-official", "Acme Store")
    assert word.price_floor_amount == Decimal("79.00")
    assert str(word.price_floor_amount) == "79.00"
    assert word.price_floor_currency == "USD"
    assert (word.valid_from, word.valid_until) == (date(2020, 1, 1), date(2030, 12, 31))
    photo = registry.get_asset(EXPECTED_IDS[0])
    assert photo is not None
    assert [(i.label, i.media_type, i.width, i.height) for i in photo.images] == [
        ("runner.jpg", "image/jpeg", 64, 48),
        ("logo.png", "image/png", 40, 30),
    ]
    logo_bytes = (workdir / "images" / "logo.png").read_bytes()
    assert photo.images[1].sha256 == hashlib.sha256(logo_bytes).hexdigest()
    patent = registry.get_asset(EXPECTED_IDS[3])
    assert patent is not None
    assert patent.claims == ("A shoe sole comprising a lattice.",)
    assert patent.keywords == ()  # patents get no default keywords
    assert patent.price_floor_amount == Decimal("120")


def test_json_import_matches_yaml_import(tmp_path: Path, workdir: Path) -> None:
    from_yaml = Registry(f"sqlite:///{tmp_path / 'a.db'}")
    from_json = Registry(f"sqlite:///{tmp_path / 'b.db'}")
    from_yaml.import_file(write_doc(workdir / "registry.yaml", sample()))
    from_json.import_file(write_doc(workdir / "registry.json", sample()))

    def strip(views: list) -> list:
        return [view.__dict__ | {"created": None} for view in views]

    assert strip(from_json.list_assets()) == strip(from_yaml.list_assets())
    from_yaml.close()
    from_json.close()


def test_format_is_sniffed_when_the_extension_says_nothing(
    registry: Registry, workdir: Path
) -> None:
    json_text = write_doc(workdir / "a.json", sample()).read_text(encoding="utf-8")
    (workdir / "registry.txt").write_text(json_text, encoding="utf-8")
    assert registry.import_file(workdir / "registry.txt").assets_created == 4
    yaml_text = write_doc(workdir / "b.yaml", sample()).read_text(encoding="utf-8")
    (workdir / "again").write_text(yaml_text, encoding="utf-8")
    assert registry.import_file(workdir / "again").assets_unchanged == 4


def test_handwritten_yaml_numbers_and_dates_are_read_as_meant(
    registry: Registry, workdir: Path
) -> None:
    path = workdir / "hand.yml"
    path.write_text(
        "owners:\n"
        "  - name: Acme\n"
        "    assets:\n"
        "      - kind: word_mark\n"
        "        name: ZETA\n"
        "        registration_number: 12345\n"
        "        classes: [25, 28]\n"
        "        price_floor: {amount: 19.90, currency: EUR}\n"
        "        valid_from: 2021-03-04\n",
        encoding="utf-8",
    )
    registry.import_file(path)
    (asset,) = registry.list_assets()
    assert asset.id == "acme/word_mark/12345"
    assert asset.registration_number == "12345"
    assert asset.classes == ("25", "28")
    assert asset.price_floor_amount == Decimal("19.9")
    assert asset.keywords == ("ZETA",)  # marks default to their own text
    assert asset.valid_from == date(2021, 3, 4)


def test_reimport_is_idempotent(registry: Registry, workdir: Path) -> None:
    path = write_doc(workdir / "registry.yaml", sample())
    registry.import_file(path)
    before = registry.list_assets()

    again = registry.import_file(path)

    assert again == ImportResult(0, 0, 0, assets_unchanged=4)
    assert registry.list_assets() == before
    assert _image_rows(registry) == 3


def test_reimport_updates_changed_assets_in_place(registry: Registry, workdir: Path) -> None:
    registry.import_file(write_doc(workdir / "registry.yaml", sample()))
    document = sample()
    logo = document["owners"][0]["assets"][1]
    logo["images"] = ["images/new-logo.png"]
    document["owners"][0]["assets"][0]["price_floor"]["amount"] = "89.50"
    document["owners"][0]["contact"] = "ip@acme.example"
    draw(workdir / "images" / "new-logo.png", size=(20, 20), color=(0, 0, 0))

    result = registry.import_file(write_doc(workdir / "registry.yaml", document))

    assert result == ImportResult(0, 0, assets_updated=2, assets_unchanged=2)
    word = registry.get_asset("novaflex-word")
    assert word is not None and word.price_floor_amount == Decimal("89.50")
    updated_logo = registry.get_asset("novaflex-logo")
    assert updated_logo is not None
    assert [(i.position, i.label, i.width) for i in updated_logo.images] == [
        (0, "new-logo.png", 20)
    ]
    assert _image_rows(registry) == 3  # the old logo row was replaced, not kept beside
    assert len(registry.list_assets()) == 4


def test_import_file_accepts_a_session_and_leaves_the_commit_to_the_caller(
    registry: Registry, workdir: Path
) -> None:
    path = write_doc(workdir / "registry.yaml", sample())
    with registry.session() as session:
        assert import_file(session, path).assets_created == 4
        session.rollback()
    assert registry.list_assets() == []
    with registry.session() as session:
        import_file(session, path)
    assert len(registry.list_assets()) == 4


def test_derived_ids_are_deterministic_and_ascii() -> None:
    chinese = derive_asset_id("耐克体育", "word_mark", None, "耐克")
    assert chinese == derive_asset_id("耐克体育", "word_mark", None, "耐克")
    assert chinese.isascii() and ASSET_ID_RE.match(chinese)
    assert derive_asset_id("耐克体育", "word_mark", None, "阿迪") != chinese
    assert slug("Café Noir") == "cafe-noir"
    assert slug("NIKE") == "nike"
    # Text that loses characters keeps a digest, so it cannot collide with the plain ASCII name.
    assert slug("耐克 Nike") != slug("Nike")
    assert slug("耐克 Nike").startswith("nike-")
    assert derive_asset_id("Acme", "design_patent", "EU 0012-0001", "x") == (
        "acme/design_patent/eu-0012-0001"
    )
