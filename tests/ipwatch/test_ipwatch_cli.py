"""The CLI in process: exit codes, clear errors, untrusted text printed as text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from demomarket.brandkit import write_brand_kit
from ipwatch.cli import main
from model import FindingRecord
from store import open_store

NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("IPWATCH_HOME", str(path))
    monkeypatch.delenv("IPWATCH_INDEX", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return path


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    commands = ("assets", "crawl", "demo", "detect", "evidence", "extract", "findings", "keys")
    for command in (*commands, "rescan", "runs"):
        assert command in out
    assert main(["--version"]) == 0
    assert "ipwatch 0.1.0" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(home: Path) -> None:
    assert main(["frobnicate"]) == 2


def test_assets_import_list_remove(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kit = write_brand_kit(home.parent / "kit")
    assert main(["assets", "import", str(kit)]) == 0
    assert "11 asset(s) created" in capsys.readouterr().out
    assert main(["assets", "import", str(kit)]) == 0
    assert "11 unchanged" in capsys.readouterr().out
    assert main(["assets", "list", "--kind", "word_mark"]) == 0
    listing = capsys.readouterr().out
    assert "novaflex-word" in listing and "lumora-word" in listing
    assert "novaflex-logo" not in listing
    assert main(["assets", "remove", "novaflex-word"]) == 0
    assert main(["assets", "remove", "novaflex-word"]) == 2
    assert "no asset with id 'novaflex-word'" in capsys.readouterr().err


def test_invalid_registry_names_file_entry_and_field(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "owners:\n  - name: Acme\n    assets:\n      - kind: word_mark\n        nme: X\n"
    )
    assert main(["assets", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Acme" in err and "nme" in err
    assert main(["assets", "list"]) == 0
    assert "0 asset(s)" in capsys.readouterr().out


def test_invalid_config_file_is_reported(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir(parents=True)
    (home / "ipwatch.yaml").write_text("crawl:\n  images_per_listing: many\n")
    assert main(["assets", "list"]) == 2
    err = capsys.readouterr().err
    assert "ipwatch.yaml" in err and "crawl.images_per_listing" in err


def test_findings_show_unknown_and_empty_list(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["findings", "list"]) == 0
    assert "0 finding(s)" in capsys.readouterr().out
    assert main(["findings", "show", "F-nope"]) == 2
    assert "no finding 'F-nope'" in capsys.readouterr().err


def test_hostile_listing_text_is_printed_literally(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(parents=True)
    index = open_store(f"sqlite:///{home / 'index.db'}")
    hostile = "[bold red]FAKE[/] [link=http://evil.example]click[/link] <script>x</script>"
    index.upsert_finding(
        FindingRecord(
            id="F-0000000000000001",
            listing_id="demo:1",
            asset_id="a",
            owner="o",
            marketplace="demo",
            risk=0.9,
            flagged=True,
            signals=[{"kind": "word_mark", "score": 1.0, "detail": hostile, "evidence": {}}],
            created=NOW,
            updated=NOW,
            title=hostile,
            url="http://shop.example/1",
        )
    )
    index.close()
    assert main(["findings", "show", "F-0000000000000001"]) == 0
    out = capsys.readouterr().out
    assert "[bold red]FAKE[/]" in out
    assert "[link=http://evil.example]" in out
    assert main(["findings", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == hostile


def test_extract_prints_one_json_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "item.html"
    page.write_text(
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org",'
        '"@type": "Product", "name": "Trail shoe", "sku": "TS-1", "image": "/a.jpg",'
        '"offers": {"@type": "Offer", "price": "19.99", "priceCurrency": "EUR",'
        '"availability": "https://schema.org/InStock"}}</script></head><body></body></html>'
    )
    assert main(["extract", str(page), "--url", "https://shop.example/p/1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Trail shoe"
    assert data["price"] == "19.99" and data["currency"] == "EUR"
    assert data["availability"] == "InStock"
    assert data["images"] == ["https://shop.example/a.jpg"]
    assert data["gtin"] is None


def test_extract_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(tmp_path / "missing.html")]) == 2
    assert "missing.html" in capsys.readouterr().err
