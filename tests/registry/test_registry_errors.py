"""Rejected imports: every message names file, entry and field, and nothing is half-written."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from registry_testkit import draw, sample, write_doc

from registry import Registry, RegistryImportError

LOGO = 'registry.yaml: owners[0] "Acme Sports Ltd" → assets[1] (novaflex-logo)'
WORD = 'registry.yaml: owners[0] "Acme Sports Ltd" → assets[0] (novaflex-word)'


def _reject(registry: Registry, folder: Path, document: Any, name: str = "registry.yaml") -> str:
    """Import ``document`` from ``folder``, expect a rejection, return the message."""
    path = write_doc(folder / name, document)
    with pytest.raises(RegistryImportError) as caught:
        registry.import_file(Path(name) if folder == Path() else path)
    assert registry.list_assets() == []
    return str(caught.value)


@pytest.fixture
def cwd(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the import folder so messages name the file as the user typed it."""
    monkeypatch.chdir(workdir)
    return Path()


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions but carries almost no data (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_yaml_syntax_error_names_the_line(registry: Registry, cwd: Path) -> None:
    Path("registry.yaml").write_text(
        "owners:\n  - name: Acme\n    assets:\n      - kind: word_mark\n       name: X\n",
        encoding="utf-8",
    )
    with pytest.raises(
        RegistryImportError, match=r"^registry\.yaml: line 5, column 8: YAML syntax"
    ):
        registry.import_file("registry.yaml")


def test_json_syntax_error_names_the_line(registry: Registry, cwd: Path) -> None:
    Path("registry.json").write_text('{"owners": [\n  {"name": "A",}\n]}', encoding="utf-8")
    with pytest.raises(RegistryImportError, match=r"^registry\.json: line 2, column 16: JSON"):
        registry.import_file("registry.json")


def test_yaml_aliases_are_refused(registry: Registry, cwd: Path) -> None:
    Path("registry.yaml").write_text("owners:\n  - &o\n    name: Acme\n  - *o\n", encoding="utf-8")
    with pytest.raises(RegistryImportError, match=r"line 4, column 5: .*aliases"):
        registry.import_file("registry.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "file is empty"), ("- a\n", "expected a mapping with an 'owners:' list")],
)
def test_top_level_must_be_a_mapping(
    registry: Registry, cwd: Path, text: str, expected: str
) -> None:
    Path("registry.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RegistryImportError, match=f"^registry.yaml: {expected}"):
        registry.import_file("registry.yaml")


def test_missing_file_is_named(registry: Registry, cwd: Path) -> None:
    with pytest.raises(RegistryImportError, match=r"^nope\.yaml: file not found"):
        registry.import_file("nope.yaml")


def test_unknown_field_is_named(registry: Registry, cwd: Path) -> None:
    document = sample()
    document["owners"][0]["assets"][1]["colour"] = "red"
    message = _reject(registry, cwd, document)
    assert message.startswith(f'{LOGO} → colour: unknown field "colour"; check the spelling')
    assert "allowed: id, kind, name," in message


def test_unknown_top_level_and_owner_fields_are_named(registry: Registry, cwd: Path) -> None:
    document = sample()
    document["version"] = 2
    document["owners"][1]["website"] = "x"
    message = _reject(registry, cwd, document)
    assert 'registry.yaml: version: unknown field "version"' in message
    assert 'registry.yaml: owners[1] "耐克体育" → website: unknown field "website"' in message
    assert message.startswith("registry.yaml: 2 problems, nothing was imported")


def test_wrong_kind(registry: Registry, cwd: Path) -> None:
    document = sample()
    document["owners"][0]["assets"][1]["kind"] = "logo"
    message = _reject(registry, cwd, document)
    assert message.startswith(f"{LOGO} → kind: Input should be 'word_mark', 'figurative_mark'")
    assert message.endswith("(got 'logo')")


def test_missing_name(registry: Registry, cwd: Path) -> None:
    document = sample()
    del document["owners"][0]["assets"][2]["name"]
    message = _reject(registry, cwd, document)
    assert message == (
        'registry.yaml: owners[0] "Acme Sports Ltd" → assets[2] → name: '
        "required field is missing; add it"
    )


def test_missing_image_names_where_relative_paths_resolve(
    registry: Registry, cwd: Path, workdir: Path
) -> None:
    document = sample()
    document["owners"][0]["assets"][1]["images"] = ["images/missing.png"]
    message = _reject(registry, cwd, document)
    assert message == (
        f"{LOGO} → images[0]: file images/missing.png not found "
        f"(relative paths resolve against {workdir.resolve()})"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some text, not a picture", "is not an image Pillow can read"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "is not an image Pillow can read"),
        (_png_header(9000, 9000), "is 9000x9000 = 81.0 Mpx, over the 40 Mpx limit"),
    ],
    ids=["text", "eps", "bomb"],
)
def test_bad_image_content_is_rejected(
    registry: Registry, cwd: Path, content: bytes, expected: str
) -> None:
    Path("images/bad.png").write_bytes(content)
    document = sample()
    document["owners"][0]["assets"][1]["images"] = ["images/logo.png", "images/bad.png"]
    message = _reject(registry, cwd, document)
    assert message.startswith(f"{LOGO} → images[1]: file images/bad.png {expected}")


def test_truncated_image_is_rejected(registry: Registry, cwd: Path) -> None:
    whole = draw(Path("images/whole.jpg"), size=(300, 200)).read_bytes()
    Path("images/cut.jpg").write_bytes(whole[: len(whole) // 2])
    document = sample()
    document["owners"][0]["assets"][1]["images"] = ["images/cut.jpg"]
    message = _reject(registry, cwd, document)
    assert message.startswith(f"{LOGO} → images[0]: file images/cut.jpg is damaged or truncated")


def test_oversized_image_file_is_rejected_before_reading(registry: Registry, cwd: Path) -> None:
    with open("images/huge.png", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: no 21 MB actually written
    document = sample()
    document["owners"][0]["assets"][1]["images"] = ["images/huge.png"]
    message = _reject(registry, cwd, document)
    assert (
        message
        == f"{LOGO} → images[0]: file images/huge.png is 21.0 MB, over the 20 MB limit; compress it"
    )


@pytest.mark.parametrize(
    ("floor", "field", "expected"),
    [
        ({"amount": "-5", "currency": "USD"}, "amount", "Input should be greater than 0"),
        ({"amount": "0", "currency": "USD"}, "amount", "Input should be greater than 0"),
        ({"amount": "cheap", "currency": "USD"}, "amount", "Input should be a valid decimal"),
        ({"amount": "NaN", "currency": "USD"}, "amount", "Input should be a finite number"),
        ({"amount": "10", "currency": "usd"}, "currency", "currency 'usd' is not an ISO 4217 code"),
        ({"amount": "10", "currency": "US$"}, "currency", "currency 'US$' is not an ISO 4217 code"),
        ({"amount": "10"}, "currency", "required field is missing"),
    ],
)
def test_bad_price_floor(
    registry: Registry, cwd: Path, floor: dict[str, str], field: str, expected: str
) -> None:
    document = sample()
    document["owners"][0]["assets"][0]["price_floor"] = floor
    message = _reject(registry, cwd, document)
    assert message.startswith(f"{WORD} → price_floor.{field}: {expected}")


def test_duplicate_ids_across_owners(registry: Registry, cwd: Path) -> None:
    document = sample()
    document["owners"][1]["assets"][0]["id"] = "novaflex-word"
    message = _reject(registry, cwd, document)
    assert message == (
        'registry.yaml: owners[1] "耐克体育" → assets[0] (novaflex-word) → id: duplicate asset id '
        "'novaflex-word', first used by owners[0] → assets[0]; give one of them another id"
    )


def test_duplicate_derived_ids(registry: Registry, cwd: Path) -> None:
    document = sample()
    twin = sample()["owners"][0]["assets"][2]
    document["owners"][0]["assets"].append(twin)
    message = _reject(registry, cwd, document)
    assert (
        "assets[3] (acme-sports-ltd/product_image/novaflex-runner-photo) → id: duplicate" in message
    )


def test_valid_from_after_valid_until(registry: Registry, cwd: Path) -> None:
    document = sample()
    document["owners"][0]["assets"][0]["valid_from"] = "2031-01-01"
    message = _reject(registry, cwd, document)
    assert message == (
        f"{WORD} → valid_until: valid_from 2031-01-01 is after valid_until 2030-12-31; swap them"
    )


def test_yaml_booleans_get_a_quoting_hint(registry: Registry, cwd: Path) -> None:
    Path("registry.yaml").write_text(
        "owners:\n  - name: Acme\n    assets:\n"
        "      - {kind: word_mark, name: X, jurisdiction: NO}\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryImportError) as caught:
        registry.import_file("registry.yaml")
    assert str(caught.value) == (
        'registry.yaml: owners[0] "Acme" → assets[0] (acme/word_mark/x) → jurisdiction: '
        'Input should be a valid string; YAML read this value as false, put it in quotes ("...")'
    )


def test_bad_explicit_id(registry: Registry, cwd: Path) -> None:
    document = sample()
    document["owners"][0]["assets"][0]["id"] = "../Etc"
    message = _reject(registry, cwd, document)
    assert message.startswith(
        'registry.yaml: owners[0] "Acme Sports Ltd" → assets[0] (../Etc) → id: '
        "id must be lower-case"
    )


def test_all_problems_are_reported_at_once(registry: Registry, cwd: Path) -> None:
    document = sample()
    document["owners"][0]["assets"][1]["images"] = ["images/a.png", "images/b.png"]
    document["owners"][1]["assets"][0]["id"] = "novaflex-word"
    with pytest.raises(RegistryImportError) as error:
        registry.import_file(write_doc(cwd / "r.yaml", document))
    assert len(error.value.problems) == 3
    assert str(error.value).startswith(
        "r.yaml: 3 problems, nothing was imported; fix them and re-run:"
    )


def test_invalid_third_asset_leaves_the_database_unchanged(
    registry: Registry, workdir: Path
) -> None:
    first = sample()
    first["owners"][0]["assets"] = first["owners"][0]["assets"][:1]
    del first["owners"][1]
    registry.import_file(write_doc(workdir / "first.yaml", first))
    before = registry.list_assets()

    document = sample()
    document["owners"][0]["assets"][0]["price_floor"]["amount"] = "1.00"  # would be an update
    document["owners"][0]["assets"][2]["images"] = ["images/gone.png"]  # the 3rd asset is invalid
    with pytest.raises(RegistryImportError, match=r"assets\[2\] .*images/gone.png not found"):
        registry.import_file(write_doc(workdir / "second.yaml", document))

    assert registry.list_assets() == before
    assert registry.remove_owner("耐克体育") is False  # the new owner was not created either


def test_asset_id_owned_by_someone_else_is_refused(registry: Registry, workdir: Path) -> None:
    registry.import_file(write_doc(workdir / "acme.yaml", sample()))
    before = registry.list_assets()
    other = {
        "owners": [
            {"name": "Rival", "assets": [{"id": "novaflex-word", "kind": "word_mark", "name": "N"}]}
        ]
    }
    with pytest.raises(RegistryImportError) as caught:
        registry.import_file(write_doc(workdir / "rival.yaml", other))
    assert str(caught.value).endswith(
        "id: asset 'novaflex-word' already belongs to \"Acme Sports Ltd\"; "
        "give it another id or remove the old one first"
    )
    assert registry.list_assets() == before
    assert registry.remove_owner("Rival") is False
