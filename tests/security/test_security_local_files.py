"""A listings export is untrusted: its image paths must not read, or leak, files of ours."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
import yaml

from ipwatch.services.batch_listings import ImageLoader, ImageProblem
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path

SECRET = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET, encoding="utf-8")
    return path


def test_local_file_outside_the_export_folder_is_not_read(
    tmp_path: Path, secret_file: Path
) -> None:
    export = tmp_path / "export"
    export.mkdir()
    (export / "link.png").symlink_to(secret_file)  # a symlink does not get out either
    loader = ImageLoader(export)
    for ref in (str(secret_file), "../elsewhere/passwd", "link.png"):
        with pytest.raises(ImageProblem, match="--allow-local-path") as caught:
            loader.load(ref)
        assert "root:x" not in str(caught.value)


def test_local_file_contents_are_never_echoed(tmp_path: Path, secret_file: Path) -> None:
    loader = ImageLoader(tmp_path / "export", allowed_dirs=(secret_file.parent,))
    with pytest.raises(ImageProblem, match="not a supported image") as caught:
        loader.load(str(secret_file))  # allowed folder, but not an image
    assert "root" not in str(caught.value)


def test_detect_cli_reads_no_file_outside_the_listings_folder(
    tmp_path: Path, secret_file: Path
) -> None:
    registry = tmp_path / "registry.yaml"
    document = {
        "owners": [
            {"name": "Acme", "assets": [{"id": "w", "kind": "word_mark", "name": "NOVAFLEX"}]}
        ]
    }
    registry.write_text(yaml.safe_dump(document), encoding="utf-8")
    listings = tmp_path / "export" / "in.jsonl"
    listings.parent.mkdir()
    line = {"id": "1", "title": "NOVAFLEX", "images": [str(secret_file), "../elsewhere/passwd"]}
    listings.write_text(json.dumps(line) + "\n", encoding="utf-8")
    args = ("detect", "--registry", str(registry), "--listings", str(listings))
    result = run_ipwatch(tmp_path / "home", *args)
    assert result.returncode == 0, result.stderr
    assert "root:x" not in result.stdout + result.stderr
    assert result.stderr.count("--allow-local-path") == 2
    allowed = run_ipwatch(tmp_path / "home", *args, "--allow-local-path", str(secret_file.parent))
    assert "root:x" not in allowed.stdout + allowed.stderr
    assert "not a supported image" in allowed.stderr
