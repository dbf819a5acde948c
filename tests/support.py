"""Helpers for tests that run the real CLI as a user would."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

IPWATCH = [sys.executable, "-m", "ipwatch.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_ipwatch(
    home: Path, *args: str, timeout: float = 600, index_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI in a child process, as a user would (Twisted's reactor runs once).

    The evidence index is the home's SQLite file unless ``index_url`` names another.
    """
    env = {**os.environ, "COLUMNS": "200", "IPWATCH_HOME": str(home)}
    env.pop("IPWATCH_INDEX", None)
    if index_url is not None:
        env["IPWATCH_INDEX"] = index_url
    return subprocess.run(
        [*IPWATCH, "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def findings_json(home: Path, *extra: str, index_url: str | None = None) -> list[dict[str, Any]]:
    result = run_ipwatch(
        home, "findings", "list", "--json", "--limit", "10000", *extra, index_url=index_url
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def wacz_validate(path: Path) -> subprocess.CompletedProcess[str]:
    """``wacz validate -f PATH`` with py-wacz's own console script (``python -m wacz`` exits 0
    even when validation fails)."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("wacz")), "validate", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
