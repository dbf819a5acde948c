"""E-mail notifications (``email:`` in ``ipwatch.yaml``): the same events as the webhooks, as
plain-text mail through the operator's SMTP server, for teams without a webhook receiver."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config.enforcement import WEBHOOK_EVENTS, WebhookEvent

Security = Literal["starttls", "ssl", "none"]
MAILED_BY_DEFAULT: tuple[WebhookEvent, ...] = (
    "finding.flagged",
    "finding.reappeared",
    "notice.overdue",
)


class EmailSettings(BaseModel):
    """One SMTP server and who is told; the password only ever comes from the environment."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=253, description="SMTP server host name")
    port: int = Field(default=587, ge=1, le=65535, description="587 (starttls), 465 (ssl)")
    security: Security = Field(
        default="starttls", description="starttls (default), ssl, or none (a local relay only)"
    )
    username: str = Field(default="", max_length=320, description="SMTP login (optional)")
    password_env: str = Field(
        default="", max_length=100, description="environment variable holding the password"
    )
    sender: str = Field(max_length=320, description="From: address")
    recipients: list[str] = Field(min_length=1, max_length=50, description="To: addresses")
    events: list[WebhookEvent] = Field(
        default_factory=lambda: list(MAILED_BY_DEFAULT),
        description=f"events mailed (any of {', '.join(WEBHOOK_EVENTS)})",
    )
    timeout_seconds: float = Field(default=15.0, gt=0, le=120, description="per connection")
    allowed_private_hosts: list[str] = Field(
        default_factory=list,
        description="a private/loopback HOST or HOST:PORT the SMTP server may be on",
    )

    @field_validator("sender", "recipients", mode="after")
    @classmethod
    def _addresses(cls, value: str | list[str]) -> str | list[str]:
        for address in [value] if isinstance(value, str) else value:
            if address.count("@") != 1 or any(c in address for c in "\r\n,;<> \t"):
                raise ValueError(f"{address!r} is not one plain e-mail address (name@domain)")
        return value

    @model_validator(mode="after")
    def _login(self) -> EmailSettings:
        if bool(self.username) != bool(self.password_env):
            raise ValueError(
                "give both username and password_env (an environment variable), or neither"
            )
        return self

    def password(self) -> str:
        """The password from the environment; refused when the variable is unset."""
        if not self.password_env:
            return ""
        value = os.environ.get(self.password_env, "")
        if not value:
            raise ValueError(f"e-mail: environment variable {self.password_env} is not set")
        return value
