"""Log in and out: throttled, fixation-proof, CSRF-protected from the first form on."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ipwatch.web.app import render
from ipwatch.web.desk import LOGIN_COOKIE, SESSION_COOKIE, Caller, client_address, desk_of
from ipwatch.web.security import checked_caller
from registry.identity import SESSION_IDLE, same_token

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only a path on this site: never ``//host`` or a full URL (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def _login_page(request: Request, message: str = "", status: int = 200) -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {"login_csrf": token, "message": message, "next": request.query_params.get("next", "")},
        status_code=status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )
    return response


def _secure(request: Request) -> bool:
    return desk_of(request).secure_cookies or request.url.scheme == "https"


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    login_csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not login_csrf or not same_token(cookie, login_csrf):
        return _login_page(request, "The login form expired; please try again.", 403)
    address = client_address(request)
    desk = desk_of(request)
    with desk.use() as workspace:
        directory = workspace.directory
        if directory.login_blocked(name, address):
            return _login_page(
                request, "Too many failed logins; wait 15 minutes or ask an admin.", 429
            )
        user = directory.authenticate(name, password)
        directory.record_login(name, address, user is not None)
        if user is None:
            return _login_page(request, "Wrong name or password.", 401)
        old = request.cookies.get(SESSION_COOKIE)
        if old:
            directory.close_session(old)  # a session the browser brought is never reused
        grant = directory.open_session(user.name, address)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        grant.token,
        max_age=int(SESSION_IDLE.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, who: Annotated[Caller, Depends(checked_caller)]) -> Response:
    if who.session_token:
        with desk_of(request).use() as workspace:
            workspace.directory.close_session(who.session_token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
