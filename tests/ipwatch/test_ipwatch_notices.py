"""`ipwatch notices create|list|show|export|mark|formats` and `webhooks deliveries`, in process."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from ipwatch.cli import main
from tests.ipwatch.services.notice_setup import HOSTILE_TITLE, add_finding, notices_workspace

CONFIG = """
notices:
  notifier_name: Acme Legal
  notifier_email: legal@acme.example
webhooks:
  targets:
    - url: http://127.0.0.1:9/hook
      secret: s3cret
  attempts: 1
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    workspace = notices_workspace(path)
    add_finding(workspace, "F-1", title=HOSTILE_TITLE)
    add_finding(workspace, "F-2", marketplace="amazon")
    add_finding(workspace, "F-3", confirm=False)
    workspace.close()
    (path / "ipwatch.yaml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("IPWATCH_HOME", str(path))
    monkeypatch.delenv("IPWATCH_INDEX", raising=False)
    monkeypatch.setenv("IPWATCH_OPERATOR", "ana")
    monkeypatch.setenv("COLUMNS", "120")
    return path


def notice_ids(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["notices", "list", "--json"]) == 0
    return [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]


def test_create_export_and_mark_a_notice_from_the_cli(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notices", "create", "F-3"]) == 2  # not confirmed
    assert "F-3 is new, not confirmed" in capsys.readouterr().err
    assert main(["notices", "create"]) == 0
    out = capsys.readouterr().out
    assert out.count(" draft ") == 2 and "amazon-rav" in out
    ids = notice_ids(capsys)
    assert len(ids) == 2
    assert main(["notices", "list", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    amazon = next(r for r in rows if r["marketplace"] == "amazon")["id"]
    demo = next(r for r in rows if r["marketplace"] == "demo")["id"]
    assert main(["notices", "export", amazon, "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [f"{amazon}-amazon-rav.txt", f"{amazon}-notice.txt"]
    assert main(["notices", "show", amazon, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    for f in shown["files"]:
        data = (tmp_path / "out" / f["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"]
    assert main(["notices", "mark", demo, "removed"]) == 2  # draft cannot be removed
    assert "it cannot become removed" in capsys.readouterr().err
    assert main(["notices", "mark", demo, "sent", "--reason", "filed"]) == 0
    assert "F-1: confirmed -> notice_sent" in capsys.readouterr().out
    assert main(["notices", "show", demo]) == 0
    assert "draft -> sent (filed)" in capsys.readouterr().out
    assert main(["notices", "list", "--state", "sent", "--json"]) == 0
    assert [json.loads(x)["id"] for x in capsys.readouterr().out.splitlines()] == [demo]
    assert main(["evidence", "custody", demo, "--csv"]) == 0
    custody = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["action"] for r in custody] == ["notice", "notice"]
    assert shown["sha256"] not in custody[0]["detail"]  # the other notice's digest
    # every create and state change was logged for the webhook target, which is on loopback
    # and not allowed in webhooks.allowed_private_hosts: refused, never sent
    assert main(["webhooks", "deliveries", "--csv"]) == 0
    deliveries = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {d["event"] for d in deliveries} == {"notice.state", "finding.decision"}
    assert {d["status"] for d in deliveries} == {"refused"}


def test_formats_lists_built_in_and_team_formats(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = home / "notice-templates" / "rakuten"
    team.mkdir(parents=True)
    (team / "format.yaml").write_text(
        "title: Rakuten\nmarketplaces: [rakuten]\noutput: text\ntemplate: t.j2\n"
        "file_name: '{notice}-rakuten{part}.txt'\n",
        encoding="utf-8",
    )
    (team / "t.j2").write_text("{{ notice.notice_id }}\n", encoding="utf-8")
    assert main(["notices", "formats"]) == 0
    out = capsys.readouterr().out
    assert "rakuten: Rakuten (text; rakuten)" in out
    assert "alibaba-ipp:" in out and "300 listings per file" in out


def test_a_formula_in_a_listing_title_is_neutralised_in_the_notices_csv(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notices", "create", "F-1"]) == 0
    capsys.readouterr()
    assert main(["notices", "list", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "@"))]
