from __future__ import annotations

from pathlib import Path

import pytest

from detector.exceptions import SettingsError
from ipwatch.services.workspace import Workspace


def test_config_file_sets_detection_and_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IPWATCH_INDEX", raising=False)
    monkeypatch.delenv("IPWATCH_REGISTRY", raising=False)
    (tmp_path / "ipwatch.yaml").write_text(
        "detection: {threshold: 0.85}\nindex: sqlite:////elsewhere/index.db\n"
    )
    workspace = Workspace.open(tmp_path)
    assert workspace.detection_settings.threshold == 0.85
    assert workspace.index_url == "sqlite:////elsewhere/index.db"
    assert workspace.registry_url == f"sqlite:///{tmp_path / 'registry.db'}"
    monkeypatch.setenv("IPWATCH_INDEX", "sqlite:////env/index.db")
    assert workspace.index_url == "sqlite:////env/index.db"


def test_unknown_detection_setting_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ipwatch.yaml").write_text("detection: {treshold: 0.85}\n")
    with pytest.raises(SettingsError, match="treshold"):
        _ = Workspace.open(tmp_path).detection_settings
