"""ipwatch's own configuration file (``$IPWATCH_HOME/ipwatch.yaml``), typed and validated."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config import limits
from config.access import MarketplaceAccess
from config.email import EmailSettings
from config.enforcement import NoticeSettings, WebhookSettings
from config.errors import ConfigError, describe_validation_error
from config.networks import EnforcementConfig
from config.schedule import ScheduleEntries
from config.timestamp import TimestampSettings

DEFAULT_HOME = Path("~/.ipwatch")
CONFIG_FILE = "ipwatch.yaml"


class CrawlConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed_private_hosts: list[str] = Field(
        default_factory=list,
        description="private/loopback hosts the crawler may fetch (shops you run yourself)",
    )
    images_per_listing: int = Field(
        default=limits.IMAGES_PER_LISTING, ge=0, le=64, description="images fetched per listing"
    )
    image_max_bytes: int = Field(
        default=limits.IMAGE_MAX_BYTES, gt=0, description="largest image fetched"
    )
    image_max_pixels: int = Field(
        default=limits.IMAGE_MAX_PIXELS, gt=0, description="largest image decoded"
    )
    log_level: str = Field(default="WARNING", description="Scrapy log level during CLI crawls")
    marketplaces: dict[str, MarketplaceAccess] = Field(
        default_factory=dict,
        description="per marketplace (profile name): proxies and a logged-in session "
        "(storage_state); credentials come from environment variables",
    )


class RedisConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        default=None,
        description="Redis for distributed crawls (redis://host:6379/0); `--redis` overrides",
    )

    @field_validator("url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(
                "must start with redis://, rediss:// or unix://, e.g. redis://127.0.0.1:6379/0"
            )
        return value


DEFAULT_REASONS = (
    "counterfeit: copied mark or logo",
    "copied product photos",
    "price below the authorised floor",
    "unauthorised seller",
    "genuine product, authorised reseller",
    "unrelated use of a common word",
    "compatible accessory, fair reference to the mark",
)


class DeskConfig(BaseModel):
    """The review desk (``ipwatch serve``)."""

    model_config = ConfigDict(extra="forbid")

    reasons: list[str] = Field(
        default_factory=lambda: list(DEFAULT_REASONS),
        description="reasons a reviewer picks from when confirming or dismissing (free text too)",
        min_length=1,
        max_length=50,
    )
    secure_cookies: bool = Field(
        default=True,
        description="mark the session cookie Secure (HTTPS only); `ipwatch serve` on 127.0.0.1 "
        "over plain HTTP turns it off for that loopback address only",
    )
    metrics_clients: list[str] = Field(
        default_factory=list,
        description="networks (CIDR, e.g. 10.0.0.0/24) besides loopback whose clients may "
        "read /metrics (a Prometheus server); metrics reveal volumes, so none by default",
        max_length=50,
    )

    @field_validator("metrics_clients")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(
                    f"{network!r} is not a network; write an address or CIDR like 10.0.0.0/24"
                ) from None
        return value

    url: str | None = Field(
        default=None,
        description="public address of the desk (https://desk.example); the morning summary "
        "links each new flagged finding to <url>/findings/<id> (else it names the id)",
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. https://desk.example")
        return value.rstrip("/") if value else value


class AppConfig(BaseModel):
    """Everything ipwatch reads at start-up; every field has a default so the file is optional."""

    model_config = ConfigDict(extra="forbid")

    index: str | None = Field(
        default=None, description="evidence index URL (sqlite:///path.db); env IPWATCH_INDEX wins"
    )
    registry: str | None = Field(
        default=None, description="registry database URL (SQLAlchemy); env IPWATCH_REGISTRY wins"
    )
    detection: dict[str, Any] = Field(
        default_factory=dict, description="detector settings (threshold, weights): see README"
    )
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    redis: RedisConfig = Field(
        default_factory=RedisConfig, description="distributed crawls: the shared Redis"
    )
    desk: DeskConfig = Field(default_factory=DeskConfig)
    timestamp: TimestampSettings | None = Field(
        default=None,
        description="RFC 3161 TSA (url, ca_files, timeout) that timestamps every sealed manifest; "
        "relative certificate paths are read from the ipwatch home",
    )
    notices: NoticeSettings = Field(
        default_factory=NoticeSettings, description="takedown notices: notifier and statements"
    )
    webhooks: WebhookSettings = Field(
        default_factory=WebhookSettings, description="signed JSON webhooks (actioner hooks)"
    )
    email: EmailSettings | None = Field(
        default=None, description="the same events by e-mail through an SMTP server (optional)"
    )
    enforcement: EnforcementConfig = Field(
        default_factory=EnforcementConfig,
        description="seller-network linking and repeat-infringer strike thresholds",
    )
    schedule: ScheduleEntries | None = Field(
        default=None,
        description="crawl schedules (`ipwatch schedule run`), or in schedule.yaml: not both",
    )


def resolve_home(home: str | Path | None = None) -> Path:
    """The data folder: explicit argument, else $IPWATCH_HOME, else ~/.ipwatch."""
    chosen = home or os.environ.get("IPWATCH_HOME") or DEFAULT_HOME
    return Path(chosen).expanduser().resolve()


def load_app_config(home: Path) -> AppConfig:
    path = home / CONFIG_FILE
    if not path.exists():
        return AppConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    try:
        return AppConfig.model_validate(data, context={"base_dir": home})
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(path, exc)) from exc
