"""Registry files are operator input, but often written by someone else: no crash on nesting,
no aliases expanding into gigabytes, and a large file (up to the 16 MiB cap) parsed in memory
proportional to its size."""

from __future__ import annotations

import tracemalloc
from typing import TYPE_CHECKING

import pytest
import yaml

from registry.exceptions import RegistryImportError
from registry.importer import validate_file
from registry.loader import read_document
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep.yaml", "[" * 100_000 + "]" * 100_000),
        ("deep-block.yaml", "".join(" " * i + "- \n" for i in range(0, 400, 2))),
        ("medium.json", '{"owners": ' + "[" * 50 + "]" * 50 + "}"),
    ],
)
def test_deeply_nested_registry_file_is_refused_with_a_clear_error(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryImportError, match="nested more than"):
        read_document(path)


def test_assets_import_of_deep_nesting_exits_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_ipwatch(tmp_path / "home", "assets", "import", str(path))
    assert result.returncode != 0
    assert "RecursionError" not in result.stderr and "Traceback" not in result.stderr
    assert "nested more than" in result.stderr


def large_registry(assets: int) -> dict[str, object]:
    """``assets`` word marks, 50 per owner, each with the lists a real registry carries."""
    owners = []
    for o in range(assets // 50):
        owners.append(
            {
                "name": f"Owner {o}",
                "assets": [
                    {
                        "id": f"a{o}-{a}",
                        "kind": "word_mark",
                        "name": f"MARK{o}X{a}",
                        "keywords": [f"kw{o}x{a}x{k}" for k in range(10)],
                        "authorized_sellers": [f"seller{k}" for k in range(10)],
                        "claims": ["a claim text " * 10],
                    }
                    for a in range(50)
                ],
            }
        )
    return {"owners": owners}


def test_registry_import_of_a_large_yaml_file_stays_in_memory_bounded_by_its_size(
    tmp_path: Path,
) -> None:
    """PyYAML's pure-Python loader held ~50 bytes per byte of YAML (1.6 GB for 15 MB); the
    event-streaming loader holds the text and the result only."""
    path = tmp_path / "large.yaml"
    path.write_text(yaml.safe_dump(large_registry(4_000)), encoding="utf-8")
    size = path.stat().st_size
    assert size > 2_000_000
    tracemalloc.start()
    try:
        checked = validate_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sum(len(owner.assets) for owner in checked.registry.owners) == 4_000
    assert peak < 15 * size, f"peak {peak} bytes for a {size}-byte file"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("owners: []\n---\nowners: []\n", "more than one document"),
        ("owners: !!python/object:os.system {}\n", "not allowed"),
        ("owners: !!int nope\n", "YAML error"),
    ],
)
def test_registry_yaml_tricks_are_refused_with_a_clear_error(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "tricks.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryImportError, match=message):
        read_document(path)
