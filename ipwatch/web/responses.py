"""Lists as JSON or CSV with the same rows; errors as a page or as JSON by where they arose."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fastapi.responses import JSONResponse, Response

from ipwatch.services.rows import csv_text, plain_value

if TYPE_CHECKING:
    from collections.abc import Sequence


def json_response(value: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(json.loads(json.dumps(plain_value(value), default=str)), status_code)


def list_response(rows: Sequence[Any], columns: Sequence[str], fmt: str, name: str) -> Response:
    """``rows`` as ``{"items": [...]}`` JSON or as CSV (formula cells neutralised)."""
    if fmt == "csv":
        return Response(
            csv_text(rows, columns),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return json_response({"items": rows, "count": len(rows)})
