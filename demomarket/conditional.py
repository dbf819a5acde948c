"""Conditional GETs, as real shops answer them: an ETag of the body, a Last-Modified of the
catalog, and ``304 Not Modified`` (no body) when the client already holds that version."""

from __future__ import annotations

import hashlib
from email.utils import formatdate, parsedate_to_datetime
from typing import TYPE_CHECKING

from demomarket.responses import Response

if TYPE_CHECKING:
    from email.message import Message


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def answer(response: Response, request_headers: Message, modified: float) -> Response:
    """``response`` with its validators, or a 304 when the request's validators still hold.

    If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); a date that cannot be read is
    ignored, as the RFC asks.
    """
    tag = etag(response.body)
    validators = {"ETag": tag, "Last-Modified": formatdate(modified, usegmt=True)}
    not_modified = Response(304, b"", response.content_type, {**response.headers, **validators})
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        offered = {value.strip().removeprefix("W/") for value in if_none_match.split(",")}
        if tag in offered or "*" in offered:
            return not_modified
    elif (since := request_headers.get("If-Modified-Since")) is not None:
        try:
            if parsedate_to_datetime(since).timestamp() >= int(modified):
                return not_modified
        except (TypeError, ValueError):
            pass
    response.headers = {**response.headers, **validators}
    return response
