"""CSRF checks and the response headers every desk page carries.

A state-changing request made with the session cookie must carry the session's CSRF token (a
form field ``csrf`` or the ``X-CSRF-Token`` header); a bearer-token call needs none, because a
browser never adds that header on its own. Pages forbid framing, inline script and every fetch
but their own origin, so a payload that slipped past escaping could still do nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from ipwatch.services.errors import ForbiddenError
from ipwatch.web.desk import CSRF_HEADER, Caller, caller
from registry.identity import same_token

if TYPE_CHECKING:
    from starlette.middleware.base import RequestResponseEndpoint
    from starlette.responses import Response

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


async def security_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
    response = await call_next(request)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def checked_caller(request: Request, who: Annotated[Caller, Depends(caller)]) -> Caller:
    """The caller of a state-changing request, after the CSRF check for cookie sessions."""
    if who.csrf_token is None:
        return who
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf")
        sent = value if isinstance(value, str) else None
    if not sent or not same_token(sent, who.csrf_token):
        raise ForbiddenError(
            "this request lacks the page's CSRF token; reload the page and try again"
        )
    return who
