"""Result objects as plain rows: JSON-ready values and CSV cells safe to open in a spreadsheet.

Listing text is hostile: in CSV a cell that a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@``, tab, carriage return first) is prefixed with ``'`` (OWASP's CSV-injection advice),
so opening an export in Excel or LibreOffice runs nothing. The CLI and the desk both use this.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain_value(value: Any) -> Any:
    """Dataclasses (through their ``to_dict`` when they have one), enums and datetimes as JSON."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return plain_value(to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    return value


def to_json_line(value: Any, indent: int | None = None) -> str:
    return json.dumps(plain_value(value), ensure_ascii=False, default=str, indent=indent)


def csv_cell(value: Any) -> str:
    """A cell as text; nested values as JSON; a would-be formula prefixed with ``'``."""
    value = plain_value(value)
    if value is None:
        text = ""
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(rows: Iterable[Any], columns: Sequence[str]) -> str:
    """``rows`` as CSV with a header row of ``columns``, formula cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        data = plain_value(row)
        writer.writerow([csv_cell(data.get(column)) for column in columns])
    return out.getvalue()
