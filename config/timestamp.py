"""The `timestamp:` settings: which RFC 3161 TSA to ask and which root certificates vouch for it."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from config.errors import ConfigError


class TimestampSettingsError(ConfigError, ValueError):
    """The TSA URL or a root certificate is unusable; the message names which and why.

    ``evidence.timestamp.TimestampConfigError`` is this error as the evidence package raises it.
    """


class TimestampSettings(BaseModel):
    """The `timestamp:` settings: where to get tokens and which roots vouch for them.

    Relative certificate paths resolve against ``context={"base_dir": ...}`` (the ipwatch home)
    when given to ``model_validate``, else against the working directory.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(description="RFC 3161 TSA endpoint (http:// or https://)")
    timeout: float = Field(default=10.0, gt=0, le=300, description="seconds per TSA request")
    ca_files: tuple[Path, ...] = Field(
        default=(),
        description="root certificate file(s), PEM or DER, the TSA chains to; without them the "
        "token's signature is reported as not checked",
    )
    tls_ca_file: Path | None = Field(
        default=None, description="CA bundle for an https TSA with a private certificate"
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        check_tsa_url(value)
        return value

    @field_validator("ca_files", "tls_ca_file")
    @classmethod
    def _check_files(cls, value: object, info: ValidationInfo) -> object:
        base = Path((info.context or {}).get("base_dir", "."))
        if value is None:
            return None
        paths = value if isinstance(value, tuple) else (value,)
        resolved = tuple((base / Path(p).expanduser()).resolve() for p in paths)
        for path in resolved:
            load_certificates([read_certificate_file(path)], source=str(path))
        return resolved if isinstance(value, tuple) else resolved[0]

    def roots(self) -> list[x509.Certificate]:
        """The trust anchors from `ca_files`, read now (files may have been rotated)."""
        found: list[x509.Certificate] = []
        for path in self.ca_files:
            found += load_certificates([read_certificate_file(path)], source=str(path))
        return found


def load_certificates(
    items: Sequence[bytes | x509.Certificate], *, source: str = "root certificate"
) -> list[x509.Certificate]:
    """Certificates from PEM (one or a bundle) or DER bytes; TimestampSettingsError if not."""
    found: list[x509.Certificate] = []
    for item in items:
        if isinstance(item, x509.Certificate):
            found.append(item)
            continue
        try:
            if b"-----BEGIN" in item:
                found += x509.load_pem_x509_certificates(item)
            else:
                found.append(x509.load_der_x509_certificate(item))
        except ValueError as exc:
            raise TimestampSettingsError(
                f"{source}: not a PEM or DER X.509 certificate ({exc}); use the TSA's root "
                "certificate as published"
            ) from exc
    return found


def check_tsa_url(url: str) -> None:
    """Only http(s) URLs with a host: no file: or custom scheme ever reaches urllib."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TimestampSettingsError(
            f"TSA URL {url!r} must be http:// or https:// with a host, e.g. http://tsa.example/tsr"
        )


def read_certificate_file(path: Path) -> bytes:
    """The bytes of a root certificate file, or an error saying which file and what to do."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TimestampSettingsError(
            f"{path}: cannot read the certificate file ({exc.strerror}); point the setting at "
            "the TSA's root certificate (PEM or DER)"
        ) from exc
