"""``ipwatch keys``: the workspace's Ed25519 signing key, and its public half for verifiers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from evidence.seal.signing import PASSPHRASE_ENV, KeyExistsError, Signer, generate_key, load_signer
from ipwatch.commands.common import UserError, state
from ipwatch.workspace import SIGNING_KEY

app = typer.Typer(help="The signing key that seals evidence.", no_args_is_help=True)


def signing_key_path(home: Path) -> Path:
    """Where a workspace keeps its private signing key."""
    return home / SIGNING_KEY


def _load(ctx: typer.Context) -> tuple[Path, Signer]:
    path = signing_key_path(state(ctx).workspace().home)
    if not path.exists():
        raise UserError(f"no signing key at {path}; create one with `ipwatch keys init`")
    return path, load_signer(path)


@app.command("init")
def init(
    ctx: typer.Context,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing key. Evidence sealed with the old key then verifies only "
            "against the old public key, so export it first.",
        ),
    ] = False,
) -> None:
    """Create the workspace signing key and print its key id.

    The private key is written with mode 0600; set $IPWATCH_KEY_PASSPHRASE to encrypt it.
    """
    path = signing_key_path(state(ctx).workspace().home)
    try:
        signer = generate_key(path, force=force)
    except KeyExistsError:
        raise UserError(
            f"a signing key already exists at {path}; `ipwatch keys show` prints it. "
            "Replacing it (--force) means evidence sealed so far verifies only against the "
            "old public key: `ipwatch keys export --out old.pem` first"
        ) from None
    typer.echo(f"created signing key {path}")
    typer.echo(f"key id: {signer.key_id}")
    if not path.read_bytes().startswith(b"-----BEGIN ENCRYPTED"):
        typer.echo(f"the key is not encrypted; set {PASSPHRASE_ENV} before `init` to encrypt it")


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the public key PEM here. Default: stdout."),
    ] = None,
) -> None:
    """Write the public key (PEM): all a verifier needs to check sealed evidence."""
    _, signer = _load(ctx)
    pem = signer.public_key_pem()
    if out is None:
        typer.echo(pem.decode("ascii"), nl=False)
        return
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name such as {out / 'ipwatch.pub.pem'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pem)
    typer.echo(f"wrote the public key of {signer.key_id} to {out}", err=True)


@app.command("show")
def show(ctx: typer.Context) -> None:
    """Print the key id, the key file and the public key."""
    path, signer = _load(ctx)
    typer.echo(f"key id: {signer.key_id}")
    typer.echo(f"private key: {path}")
    typer.echo(signer.public_key_pem().decode("ascii"), nl=False)
