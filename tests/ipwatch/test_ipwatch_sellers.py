"""``ipwatch sellers network|networks|record`` in process: JSON, CSV with hostile names, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ipwatch.cli import main
from tests.ipwatch.services.network_data import HOSTILE, World, build


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    home = tmp_path / "home"
    monkeypatch.setenv("IPWATCH_HOME", str(home))
    monkeypatch.delenv("IPWATCH_INDEX", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    built = build(home)
    built.workspace.close()
    (home / "ipwatch.yaml").write_text("enforcement:\n  fanout_cap: 3\n", encoding="utf-8")
    return built


def test_network_json_lists_members_and_explained_links(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sellers", "network", world.sellers["s4"], "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["members"]) == 4
    assert sorted(link["kind"] for link in found["links"]) == ["email", "photo_near", "wechat"]
    assert all(link["reason"].startswith("shares ") for link in found["links"])


def test_networks_csv_neutralises_a_formula_in_a_seller_name(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sellers", "networks", "--csv"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["sellers"] == "4"
    assert json.loads(row["names"])[2] == HOSTILE  # inside a JSON list: no cell starts with =
    assert main(["sellers", "networks"]) == 0
    assert "store URL" not in capsys.readouterr().out


def test_record_csv_and_json_carry_the_finding_ids(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sellers", "record", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    hostile = next(r for r in rows if r["key"] == world.sellers["s2"])
    assert hostile["name"] == "'" + HOSTILE  # a spreadsheet shows it, never runs it
    assert json.loads(hostile["finding_ids"])["confirmed"] == ["F-2"]
    assert main(["sellers", "record", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    network = next(r for r in lines if r["scope"] == "network")
    assert network["finding_ids"]["confirmed"] == ["F-1", "F-1b", "F-2", "F-3"]
    assert main(["sellers", "record"]) == 0
    assert "network" in capsys.readouterr().out


def test_unknown_seller_is_a_clear_error(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sellers", "network", "S-nope"]) == 2  # as every "not found"
    assert "no seller 'S-nope'" in capsys.readouterr().err
    assert main(["sellers", "record", "--json", "--csv"]) != 0
