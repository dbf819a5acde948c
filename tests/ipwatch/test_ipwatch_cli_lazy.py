"""The root command lists every command without importing any: each is imported when it runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

import ipwatch.commands
from ipwatch.cli import Commands, app, main

COMMAND_MODULES = sorted(p.stem for p in Path(ipwatch.commands.__file__).parent.glob("*.py"))


def _root() -> tuple[Any, Any]:
    root = typer.main.get_command(app)
    return root, root.context_class(root, info_name="ipwatch")


def _listed(out: str) -> list[str]:
    """Command names from the Commands panel of ``ipwatch --help``."""
    panel = out.split("Commands")[1]
    rows = [line for line in panel.splitlines() if line.startswith("│ ")]
    return [row.split()[1] for row in rows if not row.startswith("│  ")]


def test_root_help_lists_every_command_with_its_own_summary(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one line per command
    assert main(["--help"]) == 0
    listed = _listed(capsys.readouterr().out)
    assert listed == list(Commands.lazy)
    root, ctx = _root()
    for name, entry in Commands.lazy.items():
        command = root.get_command(ctx, name)  # imported now, as it would be to run it
        assert command.name == name
        own = (command.short_help or command.help or "").split("\n\n")[0].strip()
        assert own == entry.summary, name


def test_every_command_module_is_reachable_from_the_root() -> None:
    """A new command module that cli.py does not name would be missing from ``--help``."""
    named = {entry.module.rsplit(".", 1)[1] for entry in Commands.lazy.values()}
    helpers = {"__init__", "common", "lazy", "output", "progress"}
    assert sorted(named | helpers) == COMMAND_MODULES


def _imported_by(argv: list[str]) -> set[str]:
    """Module names a fresh interpreter holds after running ``ipwatch *argv``."""
    code = (
        "import json, sys, contextlib, io\n"
        "from ipwatch.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        "assert code == 0, code\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout))


def test_root_help_imports_no_command_and_no_heavy_package() -> None:
    modules = _imported_by(["--help"])
    commands = {m for m in modules if m.startswith("ipwatch.commands.")}
    assert commands <= {"ipwatch.commands.common", "ipwatch.commands.lazy"}
    for heavy in ("scrapy", "sqlalchemy", "detector", "english_words", "argon2", "fastapi"):
        assert heavy not in modules, heavy


def test_crawl_help_imports_crawl_not_the_web_app_users_or_word_lists() -> None:
    modules = _imported_by(["crawl", "--help"])
    assert "ipwatch.commands.crawl" in modules
    for other in ("ipwatch.commands.users", "ipwatch.commands.serve", "ipwatch.web.app"):
        assert other not in modules, other
    assert "english_words" not in modules  # the detector's word lists load when it scores
