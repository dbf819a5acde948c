"""The agreed import file format as pydantic models: strict, so typos fail loudly."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from model import AssetKind
from registry.ids import ASSET_ID_RE, MAX_ID_LENGTH, derive_asset_id

MARK_KINDS = frozenset({AssetKind.WORD_MARK, AssetKind.FIGURATIVE_MARK})

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
PathText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4096)]


class _Strict(BaseModel):
    # coerce_numbers_to_str: YAML reads ``registration_number: 12345`` or ``classes: [25]`` as ints.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


class PriceFloor(_Strict):
    """Listings of the asset priced below this are suspicious (counterfeits sell cheap)."""

    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=4, allow_inf_nan=False)
    currency: str = Field(description="ISO 4217 code, three upper-case letters such as USD")

    @field_validator("currency")
    @classmethod
    def _iso_4217_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError(
                f"currency {value!r} is not an ISO 4217 code; write e.g. USD, EUR, CNY"
            )
        return value

    @field_validator("amount", mode="before")
    @classmethod
    def _no_binary_float(cls, value: object) -> object:
        # YAML turns ``79.90`` into a float; its shortest repr keeps the written value exactly.
        return repr(value) if isinstance(value, float) else value


class AssetEntry(_Strict):
    """One registered asset; ``id`` is derived from owner, kind and number/name when omitted."""

    id: str | None = Field(default=None, max_length=MAX_ID_LENGTH)
    kind: AssetKind
    name: Text
    registration_number: ShortText | None = None
    jurisdiction: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    classes: list[ShortText] = Field(default_factory=list, max_length=100)
    keywords: list[ShortText] | None = Field(default=None, max_length=1000)
    negative_keywords: list[ShortText] = Field(default_factory=list, max_length=1000)
    authorized_sellers: list[ShortText] = Field(default_factory=list, max_length=10_000)
    price_floor: PriceFloor | None = None
    claims: list[Text] = Field(default_factory=list, max_length=1000)
    images: list[PathText] = Field(default_factory=list, max_length=100)
    valid_from: date | None = None
    valid_until: date | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str | None) -> str | None:
        if value is not None and not ASSET_ID_RE.match(value):
            raise ValueError(
                "id must be lower-case ASCII letters, digits, '.', '_' or '-' starting with a "
                "letter or digit (segments may be joined by '/'); or leave it out to derive one"
            )
        return value

    @field_validator("valid_until")
    @classmethod
    def _dates_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and start > value:
            raise ValueError(f"valid_from {start} is after valid_until {value}; swap them")
        return value

    def effective_keywords(self) -> list[str]:
        """Search keywords as written, else a word mark's text.

        A logo's name only describes the picture and patents need explicit keywords.
        """
        if self.keywords is not None:
            return list(self.keywords)
        return [self.name] if self.kind == AssetKind.WORD_MARK else []


class OwnerEntry(_Strict):
    """A rights holder and the assets registered in its name."""

    name: ShortText
    contact: ShortText | None = None
    assets: list[AssetEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _derive_ids(self) -> Self:
        for asset in self.assets:
            if asset.id is None:
                asset.id = derive_asset_id(
                    self.name, asset.kind.value, asset.registration_number, asset.name
                )
        return self


class RegistryFile(_Strict):
    """The whole import file."""

    owners: list[OwnerEntry]


def duplicate_problems(registry: RegistryFile) -> list[tuple[tuple[int, int | None], str]]:
    """Repeated owner names or asset ids, as ((owner index, asset index), message) pairs."""
    problems: list[tuple[tuple[int, int | None], str]] = []
    owners_seen: dict[str, int] = {}
    ids_seen: dict[str, tuple[int, int]] = {}
    for o, owner in enumerate(registry.owners):
        if owner.name in owners_seen:
            problems.append(
                ((o, None), f"owner also listed as owners[{owners_seen[owner.name]}]; merge them")
            )
        owners_seen.setdefault(owner.name, o)
        for a, asset in enumerate(owner.assets):
            assert asset.id is not None  # set by OwnerEntry._derive_ids
            if asset.id in ids_seen:
                first_o, first_a = ids_seen[asset.id]
                problems.append(
                    (
                        (o, a),
                        f"id: duplicate asset id {asset.id!r}, first used by "
                        f"owners[{first_o}] → assets[{first_a}]; give one of them another id",
                    )
                )
            ids_seen.setdefault(asset.id, (o, a))
    return problems
