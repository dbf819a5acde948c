"""Machine-readable output for every list: ``--json`` (one object per line) or ``--csv``.

The rows themselves (JSON values, formula-safe CSV cells) are ipwatch/services/rows.py's.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ipwatch.commands.common import UserError
from ipwatch.services.rows import FORMULA_START, csv_cell, csv_text, plain_value, to_json_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]
CsvOption = Annotated[
    bool, typer.Option("--csv", help="CSV with a header row (formula cells neutralised).")
]
MetricsPortOption = Annotated[
    int | None,
    typer.Option(
        "--metrics-port",
        envvar="IPWATCH_METRICS_PORT",
        min=0,
        max=65535,
        help="Serve Prometheus metrics at http://127.0.0.1:N/metrics while this runs "
        "(0: a free port).",
    ),
]


def wants_machine(as_json: bool, as_csv: bool) -> bool:
    if as_json and as_csv:
        raise UserError("choose one of --json and --csv")
    return as_json or as_csv


def emit(rows: Iterable[Any], columns: Sequence[str], *, as_json: bool, as_csv: bool) -> None:
    """Write ``rows`` (dataclasses or dicts) as JSON lines, or as CSV with ``columns``."""
    if as_json:
        for row in rows:
            typer.echo(to_json_line(row))
        return
    sys.stdout.write(csv_text(rows, columns))


__all__ = [
    "FORMULA_START",
    "CsvOption",
    "JsonOption",
    "csv_cell",
    "emit",
    "plain_value",
    "to_json_line",
    "wants_machine",
]
