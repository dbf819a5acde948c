"""The failures a service reports to any front door, each with the HTTP status it maps to.

The CLI prints the message and exits 2; the web app answers with ``status``. Messages say what
to do next, because they are shown as they are.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A request the service refused; the message is for the person who made it."""

    status = 400


class InvalidRequestError(ServiceError):
    """The request itself is wrong (bad value, missing reason, unknown option)."""

    status = 422


class NotFoundError(ServiceError):
    """It names a finding, snapshot, asset or run that does not exist."""

    status = 404


class ConflictError(ServiceError):
    """Someone changed the record since it was read (compare-and-set refused)."""

    status = 409


class ForbiddenError(ServiceError):
    """The user's role does not allow this action (their owners' data they may still read).

    A record outside the user's owners is reported as ``NotFoundError`` instead, so an id of
    another rights holder's finding reveals nothing, not even that it exists.
    """

    status = 403


class UnauthorizedError(ServiceError):
    """No valid session or token: log in, or give a live API token."""

    status = 401
