"""Users, roles and the owners they work for; passwords, sessions, API tokens, login throttle.

A user is an admin, reviewer or viewer and belongs to some rights-holder owners or to all of
them. What a user may see is decided from this record in the service layer; this module only
keeps it, and keeps every secret as a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from registry import identity_models as m
from registry.exceptions import RegistryError
from registry.models import Owner

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sqlalchemy.orm import Session

    from registry.store import Registry

ROLES = ("admin", "reviewer", "viewer")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,79}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 hashes anything, but a megabyte "password" is an attack
SESSION_IDLE = timedelta(hours=8)
SESSION_MAX = timedelta(days=7)
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_ACCOUNT = 5  # failures per account per window before it is locked for the window
THROTTLE_ADDRESS = 20  # failures per address per window (many accounts tried from one place)
# argon2id with the library's RFC 9106 low-memory profile (64 MiB, 3 passes).
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when a user has no password, so that costs as long as a wrong one;
    made on first use, not on import (an argon2 hash is tenths of a CPU second)."""
    return _HASHER.hash("not a password of anyone")


class IdentityError(RegistryError):
    """A user operation was refused; the message says why and what to do."""


@dataclass(frozen=True)
class UserView:
    """A user as the rest of ipwatch sees them; ``owners`` None means every owner."""

    name: str
    role: str
    owners: tuple[str, ...] | None
    disabled: bool
    created: datetime
    has_password: bool = False


@dataclass(frozen=True)
class SessionGrant:
    token: str  # goes into the cookie; only its hash is stored
    csrf_token: str
    user: UserView


@dataclass(frozen=True)
class TokenView:
    id: int
    user: str
    label: str
    created: datetime
    last_used: datetime | None
    revoked: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _view(row: m.User) -> UserView:
    owners = None if row.all_owners else tuple(o.owner for o in row.owners)
    return UserView(
        row.name, row.role, owners, row.disabled, row.created, row.password_hash is not None
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Directory:
    """The user directory over a registry database; every method is one short transaction."""

    def __init__(self, registry: Registry, clock: Callable[[], datetime] | None = None) -> None:
        self.registry = registry
        self.clock = clock or (lambda: datetime.now(UTC))
        _dummy_hash()  # made before the first login, so that one is timed like the rest

    # -- users ---------------------------------------------------------------------------
    def add_user(
        self,
        name: str,
        role: str,
        owners: Sequence[str] | None,
        password: str | None = None,
    ) -> UserView:
        """A new user for ``owners`` (None: all owners); refuses unknown owners and roles."""
        if not NAME.match(name):
            raise IdentityError(
                f"user name {name[:40]!r} is not allowed: 1-80 letters, digits and ._@+- "
                "starting with a letter or digit"
            )
        if role not in ROLES:
            raise IdentityError(f"role {role!r} is not one of {', '.join(ROLES)}")
        hashed = None if password is None else _HASHER.hash(check_password(password))
        with self.registry.session() as session:
            known = set(session.scalars(select(Owner.name)))
            chosen = sorted(set(owners or ()))
            unknown = [o for o in chosen if o not in known]
            if unknown:
                raise IdentityError(
                    f"no owner {', '.join(map(repr, unknown))} in the registry; "
                    "`ipwatch assets list` shows the owners"
                )
            if owners is not None and not chosen:
                raise IdentityError("give at least one owner, or --all-owners")
            row = m.User(
                name=name,
                role=role,
                password_hash=hashed,
                all_owners=owners is None,
                created=self.clock(),
                owners=[m.UserOwner(owner=o) for o in chosen],
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                raise IdentityError(f"user {name!r} exists already") from None
            return _view(row)

    def get_user(self, name: str) -> UserView | None:
        with self.registry.session() as session:
            row = self._user(session, name)
            return None if row is None else _view(row)

    def list_users(self) -> list[UserView]:
        with self.registry.session() as session:
            rows = session.scalars(
                select(m.User).options(selectinload(m.User.owners)).order_by(m.User.name)
            )
            return [_view(row) for row in rows]

    def set_disabled(self, name: str, disabled: bool = True) -> UserView:
        """Disable (or enable) a user; disabling ends their sessions and revokes their tokens."""
        with self.registry.session() as session:
            row = self._require(session, name)
            row.disabled = disabled
            if disabled:
                session.execute(delete(m.WebSession).where(m.WebSession.user_id == row.id))
                for token in session.scalars(
                    select(m.ApiToken).where(m.ApiToken.user_id == row.id)
                ):
                    token.revoked = True
            return _view(row)

    def set_password(self, name: str, password: str) -> None:
        hashed = _HASHER.hash(check_password(password))
        with self.registry.session() as session:
            row = self._require(session, name)
            row.password_hash = hashed
            session.execute(delete(m.WebSession).where(m.WebSession.user_id == row.id))

    def authenticate(self, name: str, password: str) -> UserView | None:
        """The user when the password matches and the account is enabled, else None.

        An unknown name still costs one argon2 verification, so timing does not tell which
        names exist.
        """
        with self.registry.session() as session:
            row = self._user(session, name) if NAME.match(name) else None
            stored = row.password_hash if row is not None else None
            try:
                _HASHER.verify(stored or _dummy_hash(), password[:MAX_PASSWORD])
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            if row is None or stored is None or row.disabled:
                return None
            if _HASHER.check_needs_rehash(stored):
                row.password_hash = _HASHER.hash(password)
            return _view(row)

    # -- sessions ------------------------------------------------------------------------
    def open_session(self, name: str, address: str = "") -> SessionGrant:
        """A fresh session (never one the browser brought: no fixation) with its CSRF token."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        with self.registry.session() as session:
            row = self._require(session, name)
            session.add(
                m.WebSession(
                    token_hash=token_hash(token),
                    user_id=row.id,
                    csrf_token=csrf,
                    created=now,
                    last_seen=now,
                    address=address[:64],
                )
            )
            return SessionGrant(token, csrf, _view(row))

    def resume_session(self, token: str) -> SessionGrant | None:
        """The session's user and CSRF token while it is live; expired sessions are removed."""
        now = self.clock()
        with self.registry.session() as session:
            row = session.get(m.WebSession, token_hash(token))
            if row is None:
                return None
            user = session.get(m.User, row.user_id)
            idle = now - _aware(row.last_seen) > SESSION_IDLE
            old = now - _aware(row.created) > SESSION_MAX
            if user is None or user.disabled or idle or old:
                session.delete(row)
                return None
            row.last_seen = now
            return SessionGrant(token, row.csrf_token, _view(user))

    def close_session(self, token: str) -> None:
        with self.registry.session() as session:
            session.execute(
                delete(m.WebSession).where(m.WebSession.token_hash == token_hash(token))
            )

    # -- API tokens ----------------------------------------------------------------------
    def issue_token(self, name: str, label: str = "") -> tuple[str, TokenView]:
        """A new API token for ``name``: the plain token is returned once, only its hash kept."""
        token = "ipw_" + secrets.token_urlsafe(32)
        with self.registry.session() as session:
            user = self._require(session, name)
            if user.disabled:
                raise IdentityError(f"user {name!r} is disabled; enable them first")
            row = m.ApiToken(
                user_id=user.id,
                token_hash=token_hash(token),
                label=label[:200],
                created=self.clock(),
            )
            session.add(row)
            session.flush()
            return token, TokenView(row.id, name, row.label, row.created, None, False)

    def token_user(self, token: str) -> UserView | None:
        """Who a bearer token belongs to, if it is live and its user enabled."""
        if not token.startswith("ipw_") or len(token) > 100:
            return None
        with self.registry.session() as session:
            row = session.scalar(
                select(m.ApiToken).where(m.ApiToken.token_hash == token_hash(token))
            )
            if row is None or row.revoked:
                return None
            user = session.get(m.User, row.user_id)
            if user is None or user.disabled:
                return None
            row.last_used = self.clock()
            return _view(user)

    def revoke_token(self, token_id: int) -> bool:
        with self.registry.session() as session:
            row = session.get(m.ApiToken, token_id)
            if row is None:
                return False
            row.revoked = True
            return True

    def list_tokens(self, name: str | None = None) -> list[TokenView]:
        with self.registry.session() as session:
            query = select(m.ApiToken, m.User.name).join(m.User, m.User.id == m.ApiToken.user_id)
            if name is not None:
                query = query.where(m.User.name == name)
            return [
                TokenView(t.id, user, t.label, t.created, t.last_used, t.revoked)
                for t, user in session.execute(query.order_by(m.ApiToken.id))
            ]

    # -- saved views ----------------------------------------------------------------------
    def save_view(self, name: str, view: str, query: str) -> None:
        """Keep (or replace) the user's view ``view`` with ``query``."""
        view = " ".join(view.split())[:80]
        if not view:
            raise IdentityError("a saved view needs a name")
        with self.registry.session() as session:
            user = self._require(session, name)
            row = session.scalar(
                select(m.SavedView).where(m.SavedView.user_id == user.id, m.SavedView.name == view)
            )
            if row is None:
                session.add(m.SavedView(user_id=user.id, name=view, query=query[:2000]))
            else:
                row.query = query[:2000]

    def list_views(self, name: str) -> list[tuple[str, str]]:
        with self.registry.session() as session:
            user = self._require(session, name)
            rows = session.scalars(
                select(m.SavedView).where(m.SavedView.user_id == user.id).order_by(m.SavedView.name)
            )
            return [(row.name, row.query) for row in rows]

    def delete_view(self, name: str, view: str) -> bool:
        with self.registry.session() as session:
            user = self._require(session, name)
            done = session.execute(
                delete(m.SavedView).where(m.SavedView.user_id == user.id, m.SavedView.name == view)
            )
            return bool(getattr(done, "rowcount", 0))

    # -- login throttle ------------------------------------------------------------------
    def login_blocked(self, name: str, address: str) -> bool:
        """Whether this account or this address used up its failures for the window."""
        now = self.clock()
        with self.registry.session() as session:
            for key, limit in self._throttle_keys(name, address):
                row = session.get(m.LoginFailures, key)
                live = row is not None and now - _aware(row.window_start) < THROTTLE_WINDOW
                if live and row is not None and row.count >= limit:
                    return True
            return False

    def record_login(self, name: str, address: str, ok: bool) -> None:
        """Count a failure against account and address; a success clears the account's count."""
        now = self.clock()
        with self.registry.session() as session:
            for key, _limit in self._throttle_keys(name, address):
                row = session.get(m.LoginFailures, key)
                if ok:
                    if row is not None and key.startswith("account:"):
                        session.delete(row)
                    continue
                if row is None or now - _aware(row.window_start) >= THROTTLE_WINDOW:
                    if row is not None:
                        session.delete(row)
                        session.flush()
                    session.add(m.LoginFailures(key=key, count=1, window_start=now))
                else:
                    row.count += 1

    @staticmethod
    def _throttle_keys(name: str, address: str) -> list[tuple[str, int]]:
        return [
            (f"account:{name[:100].lower()}", THROTTLE_ACCOUNT),
            (f"address:{address[:64]}", THROTTLE_ADDRESS),
        ]

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _user(session: Session, name: str) -> m.User | None:
        return session.scalar(
            select(m.User).options(selectinload(m.User.owners)).where(m.User.name == name)
        )

    def _require(self, session: Session, name: str) -> m.User:
        row = self._user(session, name)
        if row is None:
            raise IdentityError(f"no user {name!r}; `ipwatch users list` shows them")
        return row


def check_password(password: str) -> str:
    """The password when it is long enough to resist guessing; else a clear refusal."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise IdentityError(
            f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters "
            "(a passphrase of a few words is easiest)"
        )
    return password


def same_token(a: str, b: str) -> bool:
    """Constant-time comparison for CSRF tokens."""
    return hmac.compare_digest(a.encode(), b.encode())
