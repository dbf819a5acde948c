"""Registry queries, removal, the detector and crawler views, and export round trips."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from registry_testkit import sample, write_doc
from sqlalchemy import func, select, update

from model import Asset, AssetKind
from registry import Registry, RegistryError, RegistryExportError
from registry.models import AssetImage
from registry.views import AssetView

PHOTO = "acme-sports-ltd/product_image/novaflex-runner-photo"


@pytest.fixture
def loaded(registry: Registry, workdir: Path) -> Registry:
    registry.import_file(write_doc(workdir / "registry.yaml", sample()))
    return registry


def _count(registry: Registry, model: type) -> int:
    with registry.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _comparable(views: list[AssetView]) -> list[dict]:
    return [view.__dict__ | {"created": None} for view in views]


def test_list_assets_filters_by_owner_and_kind(loaded: Registry) -> None:
    acme = [a.id for a in loaded.list_assets(owner="Acme Sports Ltd")]
    assert acme == [PHOTO, "novaflex-logo", "novaflex-word"]
    assert [a.id for a in loaded.list_assets(kind=AssetKind.WORD_MARK)] == ["novaflex-word"]
    assert [a.id for a in loaded.list_assets(owner="耐克体育", kind="utility_patent")] == [
        loaded.list_assets(owner="耐克体育")[0].id
    ]
    assert loaded.list_assets(owner="Nobody") == []
    with pytest.raises(RegistryError, match="unknown asset kind 'logo'; use one of word_mark"):
        loaded.list_assets(kind="logo")


def test_get_and_remove_asset(loaded: Registry) -> None:
    assert loaded.get_asset("missing") is None
    assert _count(loaded, AssetImage) == 3

    assert loaded.remove_asset(PHOTO) is True
    assert loaded.remove_asset(PHOTO) is False
    assert loaded.get_asset(PHOTO) is None
    assert _count(loaded, AssetImage) == 1  # its two images went with it
    assert len(loaded.list_assets()) == 3


def test_remove_owner_removes_its_assets(loaded: Registry) -> None:
    assert loaded.remove_owner("Acme Sports Ltd") is True
    assert loaded.remove_owner("Acme Sports Ltd") is False
    assert [a.owner for a in loaded.list_assets()] == ["耐克体育"]
    assert _count(loaded, AssetImage) == 0


def test_detector_assets_decode_images_and_keep_decimal_prices(loaded: Registry) -> None:
    assets = {asset.id: asset for asset in loaded.detector_assets()}

    assert set(assets) == {a.id for a in loaded.list_assets()}
    word = assets["novaflex-word"]
    assert isinstance(word, Asset)
    assert word.price_floor == Decimal("79.00") and isinstance(word.price_floor, Decimal)
    assert word.currency == "USD"
    assert word.classes == ("25", "28")
    assert word.authorized_sellers == ("acme-official", "Acme Store")
    runner, logo = assets[PHOTO].images
    assert (runner.label, runner.image.mode, runner.image.size) == ("runner.jpg", "RGB", (64, 48))
    assert (logo.label, logo.image.mode, logo.image.size) == ("logo.png", "RGB", (40, 30))
    # The logo is transparent except for a black diagonal: transparency becomes white.
    assert logo.image.getpixel((5, 0)) == (255, 255, 255)
    assert logo.image.getpixel((5, 5)) == (0, 0, 0)
    # Same bytes, decoded once and shared.
    assert assets["novaflex-logo"].images[0].image is logo.image
    assert logo.sha256 == assets["novaflex-logo"].images[0].sha256
    patent = next(a for a in assets.values() if a.kind is AssetKind.UTILITY_PATENT)
    assert patent.claims == ("A shoe sole comprising a lattice.",)
    assert patent.images == ()


def test_detector_assets_refuse_an_altered_image(loaded: Registry) -> None:
    with loaded.session() as session:
        session.execute(
            update(AssetImage).where(AssetImage.asset_id == "novaflex-logo").values(data=b"x")
        )
    with pytest.raises(RegistryError, match=r"'novaflex-logo' image 0 .*altered; re-import"):
        loaded.detector_assets()
    # Bytes that match their digest but are not an image (written around the importer).
    with loaded.session() as session:
        session.execute(
            update(AssetImage)
            .where(AssetImage.asset_id == "novaflex-logo")
            .values(sha256=hashlib.sha256(b"x").hexdigest())
        )
    with pytest.raises(RegistryError, match=r"is not an image Pillow can read.*re-import"):
        loaded.detector_assets()


def test_only_assets_in_force_on_a_day(loaded: Registry) -> None:
    on_2035 = {a.id for a in loaded.detector_assets(on=date(2035, 1, 1))}
    assert "novaflex-word" not in on_2035
    assert "novaflex-logo" in on_2035  # no validity dates: always in force
    assert "novaflex-word" in {a.id for a in loaded.detector_assets(on=date(2025, 6, 1))}
    assert "novaflex" not in loaded.search_keywords(on=date(2019, 12, 31))


def test_search_keywords_are_deduplicated_mark_keywords(registry: Registry, workdir: Path) -> None:
    document = sample()
    document["owners"][0]["assets"].append(
        {"kind": "figurative_mark", "name": "Nova Star", "keywords": ["NovaFlex", "novastar"]}
    )
    document["owners"][0]["assets"].append({"kind": "word_mark", "name": "ZETA"})
    document["owners"][0]["assets"].append({"kind": "figurative_mark", "name": "Zeta swoosh"})
    registry.import_file(write_doc(workdir / "registry.yaml", document))

    # Ordered by asset id; patents and product photos contribute nothing; the first spelling of
    # a case-insensitive duplicate wins; a word mark without keywords contributes its name, a
    # logo without keywords nothing (its name only describes the picture).
    assert registry.search_keywords() == ["NovaFlex", "novastar", "ZETA", "nova flex"]


@pytest.mark.parametrize("name", ["export.yaml", "export.json"])
def test_export_round_trip(loaded: Registry, tmp_path: Path, name: str) -> None:
    target = tmp_path / "out" / name
    assert loaded.export(target) == 4

    copy = Registry(f"sqlite:///{tmp_path / 'copy.db'}")
    result = copy.import_file(target)
    assert (result.owners_created, result.assets_created) == (2, 4)
    assert _comparable(copy.list_assets()) == _comparable(loaded.list_assets())
    originals = {a.id: [i.sha256 for i in a.images] for a in loaded.detector_assets()}
    copies = {a.id: [i.sha256 for i in a.images] for a in copy.detector_assets()}
    assert copies == originals
    # Exporting again over the same folder and re-importing changes nothing.
    loaded.export(target)
    assert copy.import_file(target).assets_unchanged == 4
    copy.close()


def test_export_writes_images_beside_the_file(loaded: Registry, tmp_path: Path) -> None:
    target = tmp_path / "out" / "registry.yaml"
    loaded.export(target, owner="Acme Sports Ltd")
    document = yaml.safe_load(target.read_text(encoding="utf-8"))

    (owner,) = document["owners"]
    assert owner["name"] == "Acme Sports Ltd"
    photo = next(a for a in owner["assets"] if a["id"] == PHOTO)
    assert photo["images"] == [
        f"images/{PHOTO}/runner.jpg",
        f"images/{PHOTO}/logo.png",
    ]
    word = next(a for a in owner["assets"] if a["id"] == "novaflex-word")
    assert word["price_floor"] == {"amount": "79.00", "currency": "USD"}
    assert word["valid_until"] == date(2030, 12, 31)
    written = (tmp_path / "out" / "images" / PHOTO / "logo.png").read_bytes()
    expected = loaded.get_asset(PHOTO)
    assert expected is not None
    assert hashlib.sha256(written).hexdigest() == expected.images[1].sha256


def test_export_of_unknown_owner_fails(loaded: Registry, tmp_path: Path) -> None:
    with pytest.raises(RegistryExportError, match="no owner named 'Nobody'"):
        loaded.export(tmp_path / "x.yaml", owner="Nobody")


def test_bad_url_says_what_to_use() -> None:
    with pytest.raises(RegistryError, match=r"use sqlite:///path/to/file\.db"):
        Registry("not a url")
