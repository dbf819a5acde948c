"""Crawl schedules: ``<home>/schedule.yaml`` or the ``schedule:`` key of ``ipwatch.yaml``.

Both hold the same list of entries, one per marketplace; both present is an error, so no one
edits a schedule that is silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from config.cron import CronSpec, parse_cron
from config.errors import ConfigError, describe_validation_error

SCHEDULE_FILE = "schedule.yaml"


class ScheduleEntry(BaseModel):
    """When to crawl one marketplace, for what, and what to do about a run missed while down."""

    model_config = ConfigDict(extra="forbid")

    marketplace: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="marketplace profile name (config/marketplaces/<name>.yaml)",
    )
    cron: str = Field(
        description="crontab expression, 5 fields (or 6 with seconds first), in `timezone`"
    )
    timezone: str = Field(default="UTC", description="IANA time zone of the cron expression")
    keywords: list[str] = Field(
        default_factory=list, description="search these; empty: the registry's keywords"
    )
    jitter_s: int = Field(
        default=0, ge=0, le=86_400, description="start up to this many seconds late, at random"
    )
    misfire: Literal["run_once", "skip"] = Field(
        default="run_once",
        description="a run missed while the scheduler was down: run it once late, or skip it",
    )
    misfire_grace_s: int = Field(
        default=3600, ge=1, description="run_once only runs a missed run this recent"
    )
    base_url: str | None = Field(default=None, description="crawl this host, not the profile's")
    enabled: bool = Field(default=True, description="false keeps the entry but never runs it")

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        parse_cron(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as 'Europe/Berlin' or 'UTC'"
            ) from None
        return value

    @property
    def spec(self) -> CronSpec:
        return parse_cron(self.cron)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _one_per_marketplace(entries: list[ScheduleEntry]) -> list[ScheduleEntry]:
    seen: set[str] = set()
    for entry in entries:
        if entry.marketplace in seen:
            raise ValueError(
                f"marketplace {entry.marketplace!r} is scheduled twice; keep one entry per "
                "marketplace (two would overlap; put every keyword in one entry)"
            )
        seen.add(entry.marketplace)
    return entries


ScheduleEntries = Annotated[list[ScheduleEntry], AfterValidator(_one_per_marketplace)]


@dataclass(frozen=True)
class Schedule:
    """The entries and the file they came from (None: no schedule configured)."""

    entries: list[ScheduleEntry] = field(default_factory=list)
    source: Path | None = None


def load_schedule(home: Path, inline: list[ScheduleEntry] | None, config_file: Path) -> Schedule:
    """``<home>/schedule.yaml``, else ``inline`` (ipwatch.yaml's ``schedule:``), else empty."""
    path = home / SCHEDULE_FILE
    if not path.exists():
        return Schedule(list(inline or []), config_file if inline is not None else None)
    if inline is not None:
        raise ConfigError(
            f"{path} and the schedule: key of {config_file} both define schedules; keep one of them"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise ConfigError(
            f"{path}: expected a list of entries (- marketplace: demo, cron: '0 3 * * *'), "
            f"got {type(data).__name__}"
        )
    try:
        entries = TypeAdapter(ScheduleEntries).validate_python(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(path, exc)) from exc
    return Schedule(entries, path)
