"""The brand kit is a valid registry import file whose ids match the catalog's ground truth."""

from __future__ import annotations

import re
import socket
from datetime import date
from pathlib import Path

import yaml
from PIL import Image

from demomarket import CATALOG
from demomarket.__main__ import main
from demomarket.brandkit import write_brand_kit

KINDS = {"word_mark", "figurative_mark", "design_patent", "utility_patent", "product_image"}


def _assets(document: dict) -> list[dict]:
    return [asset for owner in document["owners"] for asset in owner["assets"]]


def test_registry_yaml_follows_the_import_contract(tmp_path: Path) -> None:
    path = write_brand_kit(tmp_path)
    assert path == tmp_path / "registry.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    owners = [owner["name"] for owner in document["owners"]]
    assert len(owners) == len(set(owners)) == 3
    assets = _assets(document)
    ids = [asset["id"] for asset in assets]
    assert len(ids) == len(set(ids))
    for asset in assets:
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", asset["id"])
        assert asset["kind"] in KINDS and asset["name"]
        floor = asset.get("price_floor")
        if floor:
            assert re.fullmatch(r"\d+\.\d\d", floor["amount"]) and len(floor["currency"]) == 3
        if asset["kind"] == "word_mark":
            assert isinstance(asset["valid_from"], date) and asset["keywords"]
    kinds = {asset["kind"] for asset in assets}
    assert {"word_mark", "figurative_mark", "product_image"} <= kinds


def test_registry_images_exist_and_decode(tmp_path: Path) -> None:
    path = write_brand_kit(tmp_path)
    for asset in _assets(yaml.safe_load(path.read_text(encoding="utf-8"))):
        if asset["kind"] in ("product_image", "figurative_mark"):
            assert asset["images"]
        for relative in asset.get("images", []):
            with Image.open(path.parent / relative) as image:
                image.load()
                assert image.width >= 256


def test_ground_truth_names_only_registered_assets(tmp_path: Path) -> None:
    document = yaml.safe_load(write_brand_kit(tmp_path).read_text(encoding="utf-8"))
    registered = {asset["id"] for asset in _assets(document)}
    expected = {a for e in CATALOG.expectations().values() for a in e.expected_asset_ids}
    assert expected == registered  # every asset is exercised by at least one listing


def test_authorized_sellers_are_real_seller_ids_and_names(tmp_path: Path) -> None:
    document = yaml.safe_load(write_brand_kit(tmp_path).read_text(encoding="utf-8"))
    for asset in _assets(document):
        seller_id, seller_name = asset["authorized_sellers"]
        assert CATALOG.sellers[seller_id].name == seller_name


def test_cli_writes_the_kit_and_reports_a_busy_port(tmp_path: Path, capsys) -> None:
    assert main(["--brand-kit", str(tmp_path / "kit")]) == 0
    assert (tmp_path / "kit" / "registry.yaml").is_file()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["--port", str(busy.getsockname()[1])]) == 1
    assert "try --port 0" in capsys.readouterr().err
