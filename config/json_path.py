"""Dotted JSON paths for API list pages (``products``, ``data.items.0.url``), checked at load.

A path is dot-separated keys; a key made of digits indexes a list. ``.`` alone is the document
itself. Nothing is evaluated but key and index look-ups, so a profile cannot run code, and a
missing key or a value of the wrong type yields ``MISSING`` instead of an exception.
"""

from __future__ import annotations

import re
from typing import Any, Final

MAX_PARTS = 16
_KEY = re.compile(r"^[A-Za-z0-9_$@-]{1,80}$")
# ``/products/{handle}`` or ``{permalink}``: a URL template over dotted paths of one record.
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class _Missing:
    """No value at a path (absent key, index out of range, or a scalar on the way)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


def parse_path(path: str) -> tuple[str | int, ...]:
    """The keys of ``path``, or ValueError saying how to write it."""
    if path == ".":
        return ()
    parts = path.split(".")
    if len(parts) > MAX_PARTS:
        raise ValueError(f"JSON path {path!r} has more than {MAX_PARTS} parts")
    keys: list[str | int] = []
    for part in parts:
        if not _KEY.match(part):
            raise ValueError(
                f"JSON path {path!r}: {part!r} is not a key; write dot-separated keys "
                "(letters, digits, _ - $ @), digits to index a list, or . for the whole document"
            )
        keys.append(int(part) if part.isdigit() else part)
    return tuple(keys)


def resolve(data: Any, keys: tuple[str | int, ...]) -> Any:
    """The value at ``keys`` in ``data``, or ``MISSING``."""
    value = data
    for key in keys:
        if isinstance(key, int) and isinstance(value, list) and key < len(value):
            value = value[key]
        elif isinstance(value, dict) and str(key) in value:
            value = value[str(key)]
        else:
            return MISSING
    return value


def template_paths(template: str) -> list[str]:
    """The paths a URL template uses; ValueError when a placeholder is not a valid path."""
    paths = _PLACEHOLDER.findall(template)
    for path in paths:
        parse_path(path)
    if "{" in _PLACEHOLDER.sub("", template) or "}" in _PLACEHOLDER.sub("", template):
        raise ValueError(f"URL template {template!r} has an unbalanced brace")
    return paths


def fill_template(template: str, record: Any) -> str | None:
    """``template`` with each ``{path}`` replaced by the record's scalar value there, or None
    when a value is missing or not a string/number (a record we cannot link to)."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        found = resolve(record, parse_path(match.group(1)))
        if isinstance(found, bool) or not isinstance(found, (str, int)) or found == "":
            missing = True
            return ""
        return str(found)

    filled = _PLACEHOLDER.sub(value, template)
    return None if missing else filled
