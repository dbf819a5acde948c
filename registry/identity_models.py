"""SQL tables for the people who use ipwatch: users, their owners, sessions, API tokens, throttle.

Secrets are never stored: passwords as argon2id hashes, session and API tokens as SHA-256 of 32
random bytes (high-entropy tokens need no slow hash; a stolen table still opens nothing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models import Base, utcnow


class User(Base):
    """Someone who logs in to the desk or calls the API; ``all_owners`` or a list of owners."""

    __tablename__ = "registry_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    all_owners: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owners: Mapped[list[UserOwner]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserOwner.owner"
    )


class UserOwner(Base):
    """One rights holder a user works for (by the owner's name, as findings carry it)."""

    __tablename__ = "registry_user_owners"
    __table_args__ = (UniqueConstraint("user_id", "owner"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("registry_users.id", ondelete="CASCADE"), index=True
    )
    owner: Mapped[str] = mapped_column(String(200))

    user: Mapped[User] = relationship(back_populates="owners")


class WebSession(Base):
    """A logged-in browser: the cookie holds the token, the table its hash."""

    __tablename__ = "registry_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("registry_users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(64), default="")


class ApiToken(Base):
    """A token for scripts, shown once when made; ``revoked`` ends it without losing its record."""

    __tablename__ = "registry_api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("registry_users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailures(Base):
    """Failed logins per key (``account:NAME`` or ``address:IP``) within the current window."""

    __tablename__ = "registry_login_failures"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SavedView(Base):
    """A named queue filter a user keeps (the query string of the queue page)."""

    __tablename__ = "registry_saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("registry_users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(2000))
