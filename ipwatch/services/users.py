"""Manage who may use ipwatch: add, list, disable users; passwords; API tokens.

Only admins manage users, and an admin tied to some owners manages only users within those
owners: they cannot create an all-owners user or give anyone an owner they do not have.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from ipwatch.services.errors import ForbiddenError, InvalidRequestError, NotFoundError
from registry.identity import IdentityError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from registry.identity import TokenView, UserView


def generated_password() -> str:
    """A random password for a user made without one (shown once, to be changed)."""
    return secrets.token_urlsafe(18)


def _within(principal: Principal, owners: Sequence[str] | None) -> None:
    if principal.owners is None:
        return
    if owners is None:
        raise ForbiddenError(
            f"{principal.name} works for some owners only and cannot create an all-owners user"
        )
    outside = sorted(set(owners) - set(principal.owners))
    if outside:
        raise ForbiddenError(f"{principal.name} does not work for {', '.join(outside)}")


def _manageable(workspace: Workspace, principal: Principal, name: str) -> UserView:
    principal.require("manage_users")
    user = workspace.directory.get_user(name)
    if user is None or not _visible(principal, user):
        raise NotFoundError(f"no user {name!r}; `ipwatch users list` shows them")
    return user


def _visible(principal: Principal, user: UserView) -> bool:
    if principal.owners is None:
        return True
    return user.owners is not None and set(user.owners) <= set(principal.owners)


def add_user(
    workspace: Workspace,
    principal: Principal,
    name: str,
    role: str,
    owners: Sequence[str] | None,
    password: str | None,
) -> UserView:
    principal.require("manage_users")
    _within(principal, owners)
    try:
        return workspace.directory.add_user(name, role, owners, password)
    except IdentityError as exc:
        raise InvalidRequestError(str(exc)) from None


def list_users(workspace: Workspace, principal: Principal) -> list[UserView]:
    principal.require("manage_users")
    return [u for u in workspace.directory.list_users() if _visible(principal, u)]


def set_disabled(
    workspace: Workspace, principal: Principal, name: str, disabled: bool = True
) -> UserView:
    _manageable(workspace, principal, name)
    if disabled and name == principal.name:
        raise InvalidRequestError("you cannot disable yourself; ask another admin")
    return workspace.directory.set_disabled(name, disabled)


def set_password(workspace: Workspace, principal: Principal, name: str, password: str) -> None:
    if name != principal.name:
        _manageable(workspace, principal, name)
    try:
        workspace.directory.set_password(name, password)
    except IdentityError as exc:
        raise InvalidRequestError(str(exc)) from None


def issue_token(
    workspace: Workspace, principal: Principal, name: str, label: str = ""
) -> tuple[str, TokenView]:
    """A new API token; users may make their own, admins one for a user they manage."""
    if name != principal.name:
        _manageable(workspace, principal, name)
    try:
        return workspace.directory.issue_token(name, label)
    except IdentityError as exc:
        raise InvalidRequestError(str(exc)) from None
