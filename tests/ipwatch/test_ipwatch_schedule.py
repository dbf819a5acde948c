"""`ipwatch schedule list` and `export` in process: JSON, CSV, a table, unit files, refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ipwatch.cli import main
from ipwatch.services.schedule_runs import SKIPPED_BUSY, record_outcome
from ipwatch.services.workspace import Workspace

SCHEDULE = """\
- marketplace: demo
  cron: "0 3 * * 1-5"
  timezone: Europe/Berlin
  keywords: [novaflex]
- marketplace: fast
  cron: "*/20 * * * * *"
  enabled: false
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    (path / "schedule.yaml").write_text(SCHEDULE, encoding="utf-8")
    monkeypatch.setenv("IPWATCH_HOME", str(path))
    monkeypatch.delenv("IPWATCH_INDEX", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return path


def test_list_json_csv_and_table(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = Workspace.open(home)
    skipped = record_outcome(workspace, "demo", SKIPPED_BUSY)
    workspace.close()

    assert main(["schedule", "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    demo, fast = rows
    assert demo["marketplace"] == "demo" and demo["timezone"] == "Europe/Berlin"
    assert demo["last_run"] == skipped.id and demo["last_status"] == SKIPPED_BUSY
    assert demo["next_run"].endswith(("+01:00", "+02:00"))  # in the entry's time zone
    assert fast["enabled"] is False and fast["next_run"] is None and fast["last_run"] is None

    assert main(["schedule", "list", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["marketplace"] for row in table] == ["demo", "fast"]
    assert table[0]["cron"] == "0 3 * * 1-5" and table[0]["last_status"] == SKIPPED_BUSY

    assert main(["schedule", "list"]) == 0
    out = capsys.readouterr().out
    assert "2 schedule(s)" in out and "disabled" in out and skipped.id in out

    assert main(["schedule", "list", "--json", "--csv"]) == 2


def test_export_systemd_writes_units_and_cron_refuses_seconds(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tmp_path / "units"
    assert main(["schedule", "export", "--systemd", str(units), "--ipwatch", "/bin/ipw"]) == 0
    assert sorted(p.name for p in units.iterdir()) == [
        "ipwatch-crawl-demo.service",
        "ipwatch-crawl-demo.timer",
    ]
    service = (units / "ipwatch-crawl-demo.service").read_text(encoding="utf-8")
    assert f'ExecStart="/bin/ipw" "--home" "{home}" "crawl" "demo"' in service
    assert "left out fast: enabled: false" in capsys.readouterr().err

    (home / "schedule.yaml").write_text(SCHEDULE.replace("enabled: false", "enabled: true"))
    assert main(["schedule", "export", "--cron", "--ipwatch", "/bin/ipw"]) == 1
    captured = capsys.readouterr()
    assert "CRON_TZ=Europe/Berlin\n0 3 * * 1-5 /bin/ipw --home" in captured.out
    assert "refused fast: cron '*/20 * * * * *' has a seconds field" in captured.err


def test_export_needs_exactly_one_target(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "export"]) == 2
    assert "choose one of --systemd DIR and --cron" in capsys.readouterr().err
    assert main(["schedule", "export", "--cron", "--systemd", str(home / "x")]) == 2


def test_run_without_a_schedule_says_where_to_write_one(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "schedule.yaml").unlink()
    assert main(["schedule", "run"]) == 2
    assert "no enabled schedule" in capsys.readouterr().err


def test_a_broken_schedule_names_file_and_field(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "schedule.yaml").write_text("- marketplace: demo\n  cron: '0 3 * * *'\n  tz: UTC\n")
    assert main(["schedule", "list"]) == 2
    err = capsys.readouterr().err
    assert "schedule.yaml: invalid configuration" in err and "0.tz: Extra inputs" in err


def test_crawl_trigger_is_manual_or_schedule(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["crawl", "demo", "--trigger", "cron"]) == 2
    assert "--trigger must be one of manual, schedule" in capsys.readouterr().err
