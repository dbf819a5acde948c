"""How ipwatch reaches one marketplace: a proxy pool and a logged-in browser session.

These live in the operator's ``ipwatch.yaml`` (``crawl.marketplaces.<name>``), never in a
shared marketplace profile, and secrets never live in either: a proxy URL names environment
variables (``http://${PROXY_USER}:${PROXY_PASS}@proxy.example:3128``), expanded when a crawl
starts; a literal password in the file is refused.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ONLY_VARIABLES = re.compile(r"^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\})*$")


def expand(text: str, where: str, env: Mapping[str, str] | None = None, *, quoted: bool) -> str:
    """``${NAME}`` replaced by the environment's value (URL-quoted when ``quoted``)."""
    environ = os.environ if env is None else env

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name not in environ:
            raise ConfigError(
                f"{where}: environment variable {name} is not set; export {name} before "
                "crawling (secrets are read from the environment, never from the file)"
            )
        return quote(environ[name], safe="") if quoted else environ[name]

    return _VARIABLE.sub(value, text)


def redact(proxy_url: str) -> str:
    """A proxy URL fit for logs: scheme, host and port, never credentials."""
    parts = urlsplit(proxy_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


class MarketplaceAccess(BaseModel):
    """Per-marketplace crawl access in ``ipwatch.yaml``: proxies and a Playwright session."""

    model_config = ConfigDict(extra="forbid")

    proxies: list[str] = Field(
        default_factory=list,
        description="proxy URLs used in turn, one per request; credentials as ${ENV_VARS}",
    )
    storage_state: str | None = Field(
        default=None,
        description="Playwright storage-state JSON (a logged-in session) for rendered pages; "
        "relative to the ipwatch home; ${ENV_VAR} allowed",
    )

    @field_validator("proxies")
    @classmethod
    def _proxy_urls(cls, values: list[str]) -> list[str]:
        for number, url in enumerate(values):
            parts = urlsplit(_VARIABLE.sub("x", url))
            if parts.scheme not in ("http", "https") or not parts.hostname or not parts.port:
                raise ValueError(
                    f"proxy {number}: expected http(s)://[${{USER}}:${{PASS}}@]host:port"
                )
            userinfo = urlsplit(url).netloc.rpartition("@")
            if userinfo[1] and not all(
                _ONLY_VARIABLES.match(part) for part in userinfo[0].split(":", 1)
            ):
                raise ValueError(
                    f"proxy {number}: credentials must come from the environment, written "
                    "${PROXY_USER}:${PROXY_PASS}; do not put secrets in ipwatch.yaml"
                )
        return values

    def proxy_urls(self, where: str, env: Mapping[str, str] | None = None) -> list[str]:
        """The proxies with their ${VARS} filled in; errors name the missing variable."""
        return [
            expand(url, f"{where}.proxies[{number}]", env, quoted=True)
            for number, url in enumerate(self.proxies)
        ]

    def storage_state_path(
        self, home: Path, where: str, env: Mapping[str, str] | None = None
    ) -> Path | None:
        """The session file, which must exist: a missing session is an error, not a guest."""
        if self.storage_state is None:
            return None
        path = Path(expand(self.storage_state, f"{where}.storage_state", env, quoted=False))
        path = (home / path.expanduser()).resolve()
        if not path.is_file():
            raise ConfigError(
                f"{where}.storage_state: {path} does not exist; save a logged-in session there "
                "(Playwright's context.storage_state(path=...) or `playwright codegen "
                "--save-storage`)"
            )
        return path
