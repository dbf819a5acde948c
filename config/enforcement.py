"""Settings for acting on confirmed findings: who sends takedown notices, and webhook targets.

``notices:`` names the notifier (EU DSA Art. 16(2)(c) and DMCA §512(c)(3)(A),(iv) ask for a
name, an e-mail and, for the DMCA, an address and a signature) and the statements each notice
carries. ``webhooks:`` lists the endpoints told about flagged findings, review decisions and
notice state changes; each body is signed with the target's secret (HMAC-SHA256).
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

BONA_FIDE = (
    "I have a good faith belief that the use of the material described above is not authorised "
    "by the rights holder, its agent or the law, and I state that the information and "
    "allegations in this notice are accurate and complete to the best of my knowledge."
)
DMCA_GOOD_FAITH = (
    "I have a good faith belief that use of the material in the manner complained of is not "
    "authorized by the copyright owner, its agent, or the law."
)
DMCA_ACCURACY = (
    "The information in this notification is accurate, and under penalty of perjury, I am "
    "authorized to act on behalf of the owner of an exclusive right that is allegedly infringed."
)

WebhookEvent = Literal[
    "finding.flagged",
    "finding.decision",
    "finding.reappeared",
    "notice.state",
    "notice.overdue",
    "run.summary",
]
WEBHOOK_EVENTS: tuple[WebhookEvent, ...] = (
    "finding.flagged",
    "finding.decision",
    "finding.reappeared",
    "notice.state",
    "notice.overdue",
    "run.summary",
)


class NoticeSettings(BaseModel):
    """Who sends notices and what they state; a notice is refused until name and e-mail are set."""

    model_config = ConfigDict(extra="forbid")

    notifier_name: str = Field(
        default="", max_length=200, description="the person or firm sending notices (required)"
    )
    notifier_email: str = Field(
        default="", max_length=320, description="the e-mail marketplaces answer to (required)"
    )
    notifier_address: str = Field(
        default="", max_length=500, description="postal address (the DMCA asks for one)"
    )
    notifier_phone: str = Field(default="", max_length=50, description="telephone (optional)")
    signature: str = Field(
        default="",
        max_length=200,
        description="electronic signature, e.g. '/Jane Doe/'; default: the notifier's name",
    )
    bona_fide_statement: str = Field(
        default=BONA_FIDE, max_length=2000, description="the DSA Art. 16(2)(d) statement"
    )
    dmca_good_faith_statement: str = Field(
        default=DMCA_GOOD_FAITH, max_length=2000, description="DMCA §512(c)(3)(A)(v)"
    )
    dmca_accuracy_statement: str = Field(
        default=DMCA_ACCURACY, max_length=2000, description="DMCA §512(c)(3)(A)(vi)"
    )
    escalate_after_days: int = Field(
        default=14,
        ge=0,
        le=3650,
        description="a sent notice whose listing still answers this many days later is raised "
        "(`notices check` lists it, webhook notice.overdue); 0 never raises",
    )
    templates_dir: str = Field(
        default="notice-templates",
        description="folder (relative to the data folder) whose notice formats override or add "
        "to the built-in ones",
    )

    @field_validator("notifier_email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value and ("@" not in value or any(c.isspace() for c in value)):
            raise ValueError("must be an e-mail address like legal@example.com")
        return value


class WebhookTarget(BaseModel):
    """One endpoint: where, which events, and the secret its signatures are made with."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(description="http(s) URL the JSON body is POSTed to")
    secret: str = Field(default="", description="HMAC-SHA256 key (or use secret_env)")
    secret_env: str = Field(default="", description="environment variable holding the secret")
    events: list[WebhookEvent] = Field(
        default_factory=lambda: list(WEBHOOK_EVENTS), description="events sent to this target"
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _one_secret(self) -> WebhookTarget:
        if bool(self.secret) == bool(self.secret_env):
            raise ValueError(
                "give exactly one of secret and secret_env: receivers check every body's "
                "signature, so each target needs a secret"
            )
        return self

    def key(self) -> bytes:
        """The secret as bytes; refused when the named environment variable is unset."""
        if self.secret:
            return self.secret.encode()
        value = os.environ.get(self.secret_env, "")
        if not value:
            raise ValueError(
                f"webhook {self.url}: environment variable {self.secret_env} is not set"
            )
        return value.encode()


class WebhookSettings(BaseModel):
    """Actioner hooks: targets, retries and which private hosts a target may be on."""

    model_config = ConfigDict(extra="forbid")

    targets: list[WebhookTarget] = Field(default_factory=list, description="endpoints")
    attempts: int = Field(default=4, ge=1, le=10, description="tries per delivery")
    backoff_seconds: float = Field(
        default=1.0, ge=0, le=60, description="wait before the 2nd try; doubles each time"
    )
    timeout_seconds: float = Field(default=10.0, gt=0, le=120, description="per request")
    allowed_private_hosts: list[str] = Field(
        default_factory=list,
        description="private/loopback HOST or HOST:PORT a target may be on (your own services)",
    )
