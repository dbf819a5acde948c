"""Configuration errors that name the file, the field and what to do."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError


class ConfigError(Exception):
    """A config file is missing, unreadable or invalid; the message says where and how to fix it."""


def describe_validation_error(source: str | Path, error: ValidationError) -> str:
    lines = [f"{source}: invalid configuration ({error.error_count()} problem(s)):"]
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        lines.append(f"  - {where}: {problem['msg']}")
    return "\n".join(lines)
