"""Settings of seller networks and the repeat-infringer record (``enforcement:`` in the yaml)."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

# How grave a confirmed finding is, by its strongest signal kind: a counterfeit mark is graver
# than a copied photo, which is graver than a price or seller-list signal alone.
DEFAULT_GRAVITY = {
    "word_mark": 3,
    "logo": 3,
    "counterfeit_wording": 3,
    "design": 2,
    "design_article": 2,
    "patent_claim": 2,
    "image_copy": 2,
    "mark_context": 1,
    "below_price_floor": 1,
    "unauthorized_seller": 1,
    "class_mismatch": 1,
}


class EnforcementConfig(BaseModel):
    """Linking rules and strike thresholds; every field has a default."""

    model_config = ConfigDict(extra="forbid")

    fanout_cap: int = Field(
        default=20,
        ge=2,
        le=10_000,
        description="an identifier (e-mail, phone, photo...) shown by more sellers than this "
        "links nobody: it is a marketplace-wide or placeholder value",
    )
    photo_max_distance: int = Field(
        default=3,
        ge=0,
        le=16,
        description="product photos whose 64-bit pHashes differ in at most this many bits are "
        "near-identical and link their sellers",
    )
    strikes_warning: int = Field(
        default=2, ge=1, description="confirmed infringing listings at which a seller is warned"
    )
    strikes_suspend: int = Field(
        default=5,
        ge=1,
        description="confirmed infringing listings at which suspension is recommended",
    )
    manifest_risk: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="a confirmed finding at or above this detector risk is 'manifestly illegal' "
        "(DSA Art. 23): obvious without a detailed legal examination",
    )
    gravity: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_GRAVITY),
        description="gravity (0-3) of a confirmed finding by its signal kinds (the highest "
        "counts); a kind not listed weighs 1",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.strikes_suspend < self.strikes_warning:
            raise ValueError(
                f"strikes_suspend ({self.strikes_suspend}) is below strikes_warning "
                f"({self.strikes_warning}): raise strikes_suspend or lower strikes_warning"
            )
        wrong = sorted(k for k, v in self.gravity.items() if not 0 <= v <= 3)
        if wrong:
            raise ValueError(f"gravity of {wrong[0]!r} must be 0 to 3")
        return self
