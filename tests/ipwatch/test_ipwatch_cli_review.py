"""`findings review` and `show` history, --json/--csv lists, 80-column tables, help words."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from ipwatch.cli import app, main
from model import CrawlRun, Seller
from store import open_store
from tests.ipwatch.services.test_service_review import NOW, finding

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("IPWATCH_HOME", str(path))
    monkeypatch.delenv("IPWATCH_INDEX", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    index = open_store(f"sqlite:///{path / 'index.db'}")
    for i, title in enumerate(("N0VAFLEX runner " * 8, FORMULA, "Lumora lamp 台灯")):
        record = finding(f"F-000000000000000{i}")
        record.title = title
        record.seller = Seller(
            marketplace="demo", id="s-1", name="A seller with a rather long shop name"
        )
        record.risk = 0.9 - i / 10
        index.upsert_finding(record)
    index.start_run(CrawlRun(id="R-1", marketplace="demo", trigger="manual", started=NOW))
    index.close()
    return path


def test_findings_list_is_one_line_per_finding_in_80_columns(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["findings", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if re.search(r"F-0{15}\d", line)]
    assert len(rows) == 3
    assert all(len(line) <= 80 for line in lines)
    for i, row in enumerate(rows):  # the whole id, the risk and the asset survive the cut
        assert f"F-000000000000000{i}" in row and row.startswith(f"{0.9 - i / 10:.2f}")
        assert "novaflex" in row


def test_review_from_the_cli_then_show_tells_the_history(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("F-0000000000000000\n# a comment\n\nF-0000000000000001  # same seller\n")
    args = ["--operator", "dana", "findings", "review", "--from-file", str(ids)]
    assert main([*args, "--status", "confirmed", "--reason", "copied logo"]) == 0
    assert "2 reviewed, 0 refused" in capsys.readouterr().out
    assert main(["findings", "show", "F-0000000000000000"]) == 0
    out = capsys.readouterr().out
    assert "history: 1 decision(s)" in out and "dana" in out and "copied logo" in out
    assert main(["findings", "show", "F-0000000000000000", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "confirmed" and shown["history"][0]["actor"] == "dana"


def test_review_refusals_exit_1_and_say_why(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = "F-0000000000000002"
    assert main(["findings", "review", one, "--status", "dismissed"]) == 1
    assert "needs a reason" in capsys.readouterr().out
    assert main(["findings", "review", one, "--status", "dismissed", "--reason", "ok",
                 "--revision", "999"]) == 1  # fmt: skip
    assert "changed since revision 999" in capsys.readouterr().out
    assert main(["findings", "review", "--status", "dismissed", "--reason", "x"]) == 2
    assert "at least one finding id" in capsys.readouterr().err
    assert main(["findings", "review", one, "--status", "new", "--reason", "x"]) == 1


@pytest.mark.parametrize(
    "command",
    [["findings", "list"], ["assets", "list"], ["runs", "list"], ["evidence", "verify"]],
    ids=lambda c: " ".join(c),
)
def test_every_list_speaks_json_and_csv(
    home: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(isinstance(json.loads(line), dict) for line in lines)
    assert main([*command, "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows and len(rows) == len(lines) + 1  # a header row, then one row per JSON line
    assert main([*command, "--json", "--csv"]) == 2


def test_csv_neutralises_formulas_in_hostile_listing_text(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["findings", "list", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    titles = {row["title"] for row in rows}
    assert "'" + FORMULA in titles and FORMULA not in titles


def _help_texts(command: Any, path: list[str]) -> list[list[str]]:
    """Every command path, lazily imported commands included (resolved by name)."""
    found = [path]
    if hasattr(command, "list_commands"):
        ctx = command.context_class(command, info_name=path[-1] if path else "ipwatch")
        for name in command.list_commands(ctx):
            found += _help_texts(command.get_command(ctx, name), [*path, name])
    return found


def test_help_placeholders_are_words_not_python_types(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for path in _help_texts(typer.main.get_command(app), []):
        assert main([*path, "--help"]) == 0
        out = capsys.readouterr().out
        assert not re.search(r"<(bool|str|int|float|list|path)[^>]*>", out), (path, out)
