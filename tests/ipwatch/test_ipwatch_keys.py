"""``ipwatch keys`` through Typer, mounted under a root callback exactly as ``ipwatch.cli`` does."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from evidence.seal.signing import PASSPHRASE_ENV, load_signer, verify
from ipwatch.commands import keys
from ipwatch.commands.common import EXIT_USAGE, State, run_command

root = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
root.add_typer(keys.app, name="keys")


@root.callback()
def _root(ctx: typer.Context, home: Annotated[Path | None, typer.Option("--home")] = None) -> None:
    ctx.obj = State(home=home)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv("IPWATCH_HOME", raising=False)
    return tmp_path / "home"


def invoke(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(root, ["--home", str(home), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_init_creates_a_private_key_and_prints_its_id(home: Path) -> None:
    code, out, _ = invoke(home, "keys", "init")
    assert code == 0, out
    path = home / "keys" / "ed25519.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    signer = load_signer(path)
    assert f"key id: {signer.key_id}" in out
    assert str(path) in out and PASSPHRASE_ENV in out


def test_init_refuses_to_replace_a_key_unless_forced(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert invoke(home, "keys", "init")[0] == 0
    path = home / "keys" / "ed25519.pem"
    before = path.read_bytes()
    assert run_command(root, ["--home", str(home), "keys", "init"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "already exists" in err and "keys export" in err
    assert path.read_bytes() == before
    code, out, _ = invoke(home, "keys", "init", "--force")
    assert code == 0 and path.read_bytes() != before
    assert load_signer(path).key_id in out


def test_export_writes_the_public_key_that_verifies_signatures(home: Path, tmp_path: Path) -> None:
    invoke(home, "keys", "init")
    signer = load_signer(home / "keys" / "ed25519.pem")
    code, out, _ = invoke(home, "keys", "export")
    assert code == 0
    assert out.encode() == signer.public_key_pem()
    assert "PRIVATE" not in out
    target = tmp_path / "shared" / "ipwatch.pub.pem"
    code, out, err = invoke(home, "keys", "export", "--out", str(target))
    assert code == 0 and out == "" and signer.key_id in err
    message = b"sealed manifest"
    assert verify(target.read_bytes(), message, signer.sign(message))
    assert run_command(root, ["--home", str(home), "keys", "export", "--out", str(tmp_path)]) == 2


def test_show_prints_key_id_path_and_public_key(home: Path) -> None:
    invoke(home, "keys", "init")
    signer = load_signer(home / "keys" / "ed25519.pem")
    code, out, _ = invoke(home, "keys", "show")
    assert code == 0
    assert out.splitlines()[0] == f"key id: {signer.key_id}"
    assert str(home / "keys" / "ed25519.pem") in out
    assert out.endswith(signer.public_key_pem().decode())


def test_commands_without_a_key_say_how_to_create_one(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("show", "export"):
        assert run_command(root, ["--home", str(home), "keys", command]) == EXIT_USAGE
        assert "ipwatch keys init" in capsys.readouterr().err


def test_passphrase_encrypts_the_key_and_is_needed_to_use_it(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "s3cret")
    code, out, _ = invoke(home, "keys", "init")
    assert code == 0 and PASSPHRASE_ENV not in out
    assert (home / "keys" / "ed25519.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED")
    assert invoke(home, "keys", "show")[0] == 0
    monkeypatch.delenv(PASSPHRASE_ENV)
    assert run_command(root, ["--home", str(home), "keys", "show"]) == EXIT_USAGE
    assert f"set {PASSPHRASE_ENV}" in capsys.readouterr().err


def test_installed_cli_inits_and_exports_the_key(home: Path, tmp_path: Path) -> None:
    from tests.support import run_ipwatch

    init = run_ipwatch(home, "keys", "init")
    assert init.returncode == 0, init.stderr
    signer = load_signer(keys.signing_key_path(home))
    assert signer.key_id in init.stdout
    out = tmp_path / "public.pem"
    exported = run_ipwatch(home, "keys", "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == signer.public_key_pem()
    again = run_ipwatch(home, "keys", "init")
    assert again.returncode == EXIT_USAGE
    assert load_signer(keys.signing_key_path(home)).key_id == signer.key_id
