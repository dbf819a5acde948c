"""SQL tables for owners, their assets and the assets' reference images (portable SQL only)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept as exact text: SQLite has no exact decimal type and money is never float."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    """Declarative base of the registry tables (prefixed ``registry_`` to share a database)."""


class Owner(Base):
    """A rights holder."""

    __tablename__ = "registry_owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact: Mapped[str | None] = mapped_column(String(320))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    assets: Mapped[list[Asset]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", order_by="Asset.id"
    )


class Asset(Base):
    """A registered right (mark, design, patent, product photo) watched on behalf of its owner."""

    __tablename__ = "registry_assets"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("registry_owners.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(Text)
    registration_number: Mapped[str | None] = mapped_column(String(100))
    jurisdiction: Mapped[str | None] = mapped_column(String(50))
    classes: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    negative_keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    authorized_sellers: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_floor_amount: Mapped[Decimal | None] = mapped_column(DecimalText)
    price_floor_currency: Mapped[str | None] = mapped_column(String(3))
    claims: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[Owner] = relationship(back_populates="assets")
    images: Mapped[list[AssetImage]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="AssetImage.position"
    )


class AssetImage(Base):
    """A reference image stored in the database itself, so the registry is self-contained."""

    __tablename__ = "registry_asset_images"
    __table_args__ = (UniqueConstraint("asset_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[str] = mapped_column(
        ForeignKey("registry_assets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # load only when needed
    label: Mapped[str] = mapped_column(String(255))

    asset: Mapped[Asset] = relationship(back_populates="images")
