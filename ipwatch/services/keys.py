"""The workspace's Ed25519 signing key: make it, and hand out its public half."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence.seal.signing import KeyExistsError, Signer, generate_key, load_signer
from ipwatch.services.errors import InvalidRequestError, NotFoundError

if TYPE_CHECKING:
    from pathlib import Path

    from ipwatch.services.workspace import Workspace


@dataclass(frozen=True)
class SigningKey:
    path: Path
    signer: Signer

    @property
    def encrypted(self) -> bool:
        return self.path.read_bytes().startswith(b"-----BEGIN ENCRYPTED")


def init_key(workspace: Workspace, force: bool = False) -> SigningKey:
    """Create the key (mode 0600; encrypted with $IPWATCH_KEY_PASSPHRASE when set)."""
    path = workspace.signing_key_path
    try:
        signer = generate_key(path, force=force)
    except KeyExistsError:
        raise InvalidRequestError(
            f"a signing key already exists at {path}; `ipwatch keys show` prints it. "
            "Replacing it (--force) means evidence sealed so far verifies only against the "
            "old public key: `ipwatch keys export --out old.pem` first"
        ) from None
    workspace.__dict__.pop("signer", None)  # the workspace signs with the new key from now on
    return SigningKey(path, signer)


def signing_key(workspace: Workspace) -> SigningKey:
    """The existing key; never makes one (reading a public key must not create a private one)."""
    path = workspace.signing_key_path
    if not path.exists():
        raise NotFoundError(f"no signing key at {path}; create one with `ipwatch keys init`")
    return SigningKey(path, load_signer(path))
