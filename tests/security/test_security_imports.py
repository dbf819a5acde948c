"""Registry files are operator input, but often written by someone else: no crash on nesting."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from registry.exceptions import RegistryImportError
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
