"""A registry as CSV, one row per asset: read into the import format, problems by row and column.

Columns (header row required, any order, unknown ones refused): ``owner``, ``kind``, ``name``
are required; ``id``, ``registration_number``, ``jurisdiction``, ``classes``, ``keywords``,
``negative_keywords``, ``authorized_sellers``, ``claims``, ``images``, ``price_floor_amount``,
``price_floor_currency``, ``valid_from``, ``valid_until`` are optional. List cells hold their
items separated by ``|``; an empty cell leaves the field out. Rows of one owner become that
owner's assets. The registry's schema then checks every value, as for YAML.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from ipwatch.services.asset_import import Problem, RegistryRejected

REQUIRED = ("owner", "kind", "name")
SCALARS = ("id", "registration_number", "jurisdiction", "valid_from", "valid_until")
LISTS = ("classes", "keywords", "negative_keywords", "authorized_sellers", "claims", "images")
FLOOR = ("price_floor_amount", "price_floor_currency")
COLUMNS = (*REQUIRED, *SCALARS, *LISTS, *FLOOR)
SEPARATOR = "|"
MAX_ROWS = 10_000
MAX_CELL = 100_000  # the schema caps each value; this bounds what is split and kept meanwhile


@dataclass(frozen=True)
class RowProblem:
    """A CSV problem: the spreadsheet row (header is row 1) and column, or None for the file."""

    row: int | None
    column: str | None
    message: str


class CsvRejected(RegistryRejected):
    """A CSV registry refused whole; ``rows`` names row and column for each problem."""

    def __init__(self, rows: list[RowProblem]) -> None:
        self.rows = rows
        super().__init__([Problem(None, None, "", self._line(p)) for p in rows])

    @staticmethod
    def _line(problem: RowProblem) -> str:
        at = " ".join(
            part
            for part in (
                None if problem.row is None else f"row {problem.row}",
                None if problem.column is None else f"column {problem.column}",
            )
            if part
        )
        return f"{at}: {problem.message}" if at else problem.message


@dataclass(frozen=True)
class CsvDocument:
    """The import document built from a CSV, and which row each (owner, asset) came from."""

    data: dict[str, Any]
    rows: dict[tuple[int, int], int]

    def locate(self, rejected: RegistryRejected) -> CsvRejected:
        """The registry's problems, named by row and column."""
        found = []
        for p in rejected.problems:
            row = None if p.owner is None or p.asset is None else self.rows.get((p.owner, p.asset))
            if row is None and p.owner is not None:  # an owner-level problem: its first row
                row = min(r for (o, _), r in self.rows.items() if o == p.owner)
            found.append(RowProblem(row, column_of(p.field, p.asset is None), p.message))
        return CsvRejected(found)


def column_of(field: str, owner_level: bool = False) -> str | None:
    """``images[1]`` → images, ``price_floor.amount`` → price_floor_amount, owner name → owner."""
    if not field:
        return None
    if owner_level:
        return "owner"
    base = field.split("[", 1)[0].split(".", 1)[0]
    if base == "price_floor":
        return "price_floor_amount" if field.endswith("amount") else "price_floor_currency"
    return base


def _asset(row: dict[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": row.get("kind", ""), "name": row.get("name", "")}
    for key in SCALARS:
        if row.get(key):
            entry[key] = row[key]
    for key in LISTS:
        if row.get(key):
            entry[key] = [item.strip() for item in row[key].split(SEPARATOR) if item.strip()]
    amount, currency = (row.get(key, "") for key in FLOOR)
    if amount or currency:
        entry["price_floor"] = {k: v for k, v in (("amount", amount), ("currency", currency)) if v}
    return entry


def read_csv(data: bytes) -> CsvDocument:
    """Parse the CSV; a file, header or row that cannot be read is refused by row and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = RowProblem(None, None, f"not UTF-8 (byte {exc.start}); save it as UTF-8")
        raise CsvRejected([problem]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error as exc:
        raise CsvRejected([RowProblem(1, None, f"cannot read the header ({exc})")]) from None
    unknown = [c for c in header if c not in COLUMNS]
    problems = [
        RowProblem(1, c[:50], f"unknown column; allowed: {', '.join(COLUMNS)}") for c in unknown
    ]
    problems += [
        RowProblem(1, c, "required column is missing") for c in REQUIRED if c not in header
    ]
    if len(set(header)) != len(header):
        problems.append(RowProblem(1, None, "a column is named twice"))
    if problems:
        raise CsvRejected(problems)
    owners: dict[str, dict[str, Any]] = {}
    rows: dict[tuple[int, int], int] = {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if number > MAX_ROWS + 1:
                raise CsvRejected([RowProblem(number, None, f"over {MAX_ROWS} rows; split it")])
            if len(cells) != len(header):
                problems.append(
                    RowProblem(number, None, f"{len(cells)} cells, the header has {len(header)}")
                )
                continue
            long = [c for c, v in zip(header, cells, strict=True) if len(v) > MAX_CELL]
            problems += [RowProblem(number, c, f"over {MAX_CELL} characters") for c in long]
            row = {c: v.strip() for c, v in zip(header, cells, strict=True)}
            name = row["owner"]
            if not name:
                problems.append(RowProblem(number, "owner", "required; fill it in"))
                continue
            owner = owners.setdefault(name, {"name": name, "assets": []})
            rows[(list(owners).index(name), len(owner["assets"]))] = number
            owner["assets"].append(_asset(row))
    except csv.Error as exc:
        problems.append(RowProblem(reader.line_num, None, f"cannot read the row ({exc})"))
    if problems:
        raise CsvRejected(problems)
    if not owners:
        raise CsvRejected([RowProblem(None, None, "no rows under the header; add one per asset")])
    return CsvDocument({"owners": list(owners.values())}, rows)
