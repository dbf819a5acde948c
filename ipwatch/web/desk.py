"""The running desk: one workspace shared by every request, and who is asking.

The embedded store is one SQLite connection, so requests take turns on the workspace (a lock);
a review desk has a handful of people, and every page is a few indexed queries.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request

from ipwatch.services.errors import UnauthorizedError
from ipwatch.services.identity import Principal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ipwatch.services.workspace import Workspace

SESSION_COOKIE = "ipw_session"
LOGIN_COOKIE = "ipw_login"  # double-submit token that protects the login form itself
CSRF_HEADER = "x-csrf-token"


class Desk:
    def __init__(self, workspace: Workspace, secure_cookies: bool) -> None:
        self.workspace = workspace
        self.secure_cookies = secure_cookies
        self._lock = threading.RLock()

    @contextmanager
    def use(self) -> Iterator[Workspace]:
        with self._lock:
            yield self.workspace


@dataclass(frozen=True)
class Caller:
    """Who made a request, and how: a browser session (with its CSRF token) or an API token."""

    principal: Principal
    csrf_token: str | None  # None for bearer-token calls, which carry no ambient authority
    session_token: str | None = None


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def caller_or_none(request: Request) -> Caller | None:
    desk = desk_of(request)
    header = request.headers.get("authorization", "")
    with desk.use() as workspace:
        if header.lower().startswith("bearer "):
            user = workspace.directory.token_user(header[7:].strip())
            return None if user is None else Caller(Principal.of(user), None)
        token = request.cookies.get(SESSION_COOKIE)
        if not token or len(token) > 100:
            return None
        grant = workspace.directory.resume_session(token)
    if grant is None:
        return None
    return Caller(Principal.of(grant.user), grant.csrf_token, token)


def caller(request: Request) -> Caller:
    """FastAPI dependency: the caller, or 401 (pages turn that into the login page)."""
    found = caller_or_none(request)
    if found is None:
        raise UnauthorizedError("log in first, or send Authorization: Bearer TOKEN")
    return found
