"""``ipwatch users`` through the real CLI: add, list as JSON/CSV, token, disable, password."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ipwatch.services.workspace import Workspace
from registry.models import Owner
from tests.support import IPWATCH, run_ipwatch


def with_owner(home: Path, name: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(home)
    with workspace.registry.session() as session:
        session.add(Owner(name=name))
    workspace.close()


def piped(home: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*IPWATCH, "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_users_lifecycle_and_hashed_secrets(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with_owner(home, "Acme")
    made = run_ipwatch(home, "users", "add", "alice", "--role", "reviewer", "--owner", "Acme")
    assert made.returncode == 0, made.stderr
    password = made.stdout.split("password (shown once): ")[1].strip()
    assert len(password) >= 12
    listed = [
        json.loads(line)
        for line in run_ipwatch(home, "users", "list", "--json").stdout.splitlines()
    ]
    assert listed == [
        {**listed[0], "name": "alice", "role": "reviewer", "owners": ["Acme"], "disabled": False}
    ]
    token = run_ipwatch(home, "users", "token", "alice", "--label", "script")
    secret = token.stdout.strip()
    assert secret.startswith("ipw_") and token.returncode == 0
    registry = (home / "registry.db").read_bytes()
    assert secret.encode() not in registry and password.encode() not in registry  # hashed at rest
    assert b"$argon2id$" in registry
    workspace = Workspace.open(home)
    try:
        assert workspace.directory.authenticate("alice", password) is not None
        assert workspace.directory.token_user(secret).name == "alice"
    finally:
        workspace.close()
    assert (
        piped(
            home, "a new long passphrase\n", "users", "password", "alice", "--password-stdin"
        ).returncode
        == 0
    )
    assert run_ipwatch(home, "users", "disable", "alice").returncode == 0
    workspace = Workspace.open(home)
    try:
        assert (
            workspace.directory.authenticate("alice", "a new long passphrase") is None
        )  # disabled
        assert workspace.directory.token_user(secret) is None  # its tokens revoked
    finally:
        workspace.close()
    csv_out = run_ipwatch(home, "users", "list", "--csv").stdout.splitlines()
    assert csv_out[0] == "name,role,owners,disabled,created,has_password"


def test_users_add_refuses_unknown_owner_bad_role_short_password(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with_owner(home, "Acme")
    unknown = run_ipwatch(home, "users", "add", "bob", "--owner", "Nobody Inc")
    assert unknown.returncode == 2 and "no owner 'Nobody Inc'" in unknown.stderr
    role = run_ipwatch(home, "users", "add", "bob", "--role", "root", "--all-owners")
    assert role.returncode == 2 and "role 'root'" in role.stderr
    short = piped(home, "short\n", "users", "add", "bob", "--all-owners", "--password-stdin")
    assert short.returncode == 2 and "12 to 1024 characters" in short.stderr
    both = run_ipwatch(home, "users", "add", "bob", "--all-owners", "--owner", "Acme")
    assert both.returncode == 2
    assert "Traceback" not in unknown.stderr + role.stderr + short.stderr
