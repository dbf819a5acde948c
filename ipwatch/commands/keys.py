"""``ipwatch keys``: the workspace's Ed25519 signing key, and its public half for verifiers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from evidence.seal.signing import PASSPHRASE_ENV
from ipwatch.commands.common import UserError, state
from ipwatch.services.keys import init_key, signing_key
from ipwatch.services.workspace import SIGNING_KEY

app = typer.Typer(help="The signing key that seals evidence.", no_args_is_help=True)


def signing_key_path(home: Path) -> Path:
    """Where a workspace keeps its private signing key."""
    return home / SIGNING_KEY


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
    key = init_key(state(ctx).workspace(), force=force)
    typer.echo(f"created signing key {key.path}")
    typer.echo(f"key id: {key.signer.key_id}")
    if not key.encrypted:
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
    signer = signing_key(state(ctx).workspace()).signer
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
    key = signing_key(state(ctx).workspace())
    typer.echo(f"key id: {key.signer.key_id}")
    typer.echo(f"private key: {key.path}")
    typer.echo(key.signer.public_key_pem().decode("ascii"), nl=False)
