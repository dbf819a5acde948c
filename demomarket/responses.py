"""What a route answers: status, body, type and headers (shared by the shop and its styles)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)


def html(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"))


def json_response(data: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(200, body, JSON, headers or {})
