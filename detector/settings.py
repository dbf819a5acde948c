"""Tunable detection settings: one typed, validated object read once by the ``Detector``."""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from detector.exceptions import SettingsError

# Where the learned image descriptor may run (torch device names).
DESCRIPTOR_DEVICES = re.compile(r"cpu|auto|cuda(:[0-9]{1,2})?")
DESCRIPTOR_RUNTIMES = ("auto", "torch", "onnxruntime")  # who runs the learned descriptor


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class DetectionSettings:
    """Thresholds and weights for matching and scoring; every field has a default and a doc."""

    threshold: float = field(
        default=0.6, metadata=_doc("A finding is flagged when its risk is >= this value (0..1].")
    )
    weight_word_mark_exact: float = field(
        default=0.4,
        metadata=_doc("Weight of an exact word-mark match (an exact mark alone must not flag)."),
    )
    weight_word_mark_disguised: float = field(
        default=0.9,
        metadata=_doc("Weight of a disguised word-mark match (homoglyphs, spacing, misspelling)."),
    )
    weight_image_copy: float = field(
        default=0.5, metadata=_doc("Weight of a listing photo that copies a reference image.")
    )
    weight_image_copy_authorized: float = field(
        default=0.1,
        metadata=_doc("Weight of a copied photo by an authorized seller (resellers may use it)."),
    )
    weight_unauthorized_seller: float = field(
        default=0.5, metadata=_doc("Weight of a seller missing from the asset's authorized list.")
    )
    weight_below_price_floor: float = field(
        default=0.7, metadata=_doc("Weight of a price below the asset's price floor x ratio.")
    )
    class_mismatch_factor: float = field(
        default=0.3,
        metadata=_doc(
            "Word-mark, seller and price weights x this when the listing category (or, without"
            " a known one, the goods its title names) is outside the mark's Nice classes."
        ),
    )
    weight_counterfeit_wording: float = field(
        default=0.6,
        metadata=_doc(
            "Weight of counterfeit wording (replica, 1:1, 高仿); it never links a listing alone."
        ),
    )
    compatibility_factor: float = field(
        default=0.3,
        metadata=_doc(
            "Exact word-mark, seller and price weights x this when wording says the item fits"
            " the product ('case for X')."
        ),
    )
    resale_factor: float = field(
        default=0.25,
        metadata=_doc(
            "Seller and price weights x this when wording says the item is resold"
            " ('pre-owned', 二手)."
        ),
    )
    fuzzy_min_similarity: float = field(
        default=0.75,
        metadata=_doc("Minimum OSA similarity (1 - edits/length) for a misspelt mark to match."),
    )
    short_mark_length: int = field(
        default=4,
        metadata=_doc("Marks this short or shorter match only exactly, on word boundaries."),
    )
    max_window_gap: int = field(
        default=3, metadata=_doc("Most separator characters allowed between the pieces of a mark.")
    )
    other_brands: tuple[str, ...] = field(
        default=(),
        metadata={
            "doc": "Brands sold in the watched categories besides the registered ones: a title"
            " naming one is naming that brand, never disguising a registered mark a letter"
            " away (added to the built-in list of well-known brands; case, accents and spaces"
            " do not matter).",
            "items": "str",
        },
    )
    weight_patent_claim: float = field(
        default=0.7,
        metadata=_doc(
            "Weight of a listing that describes a utility patent's claim in other words"
            " (claim coverage >= 0.6; alone it flags from coverage 0.86)."
        ),
    )
    weight_design_article: float = field(
        default=0.3,
        metadata=_doc(
            "Weight of a listing title naming a design patent's article; never links alone."
        ),
    )
    semantic_embedder: str = field(
        default="use",
        metadata=_doc("Sentence embedder for patent matching: use (multilingual) or minilm."),
    )
    max_text_chars: int = field(
        default=20_000,
        metadata=_doc("Each text field is cut to this many characters (bounds hostile input)."),
    )
    image_max_distance: int = field(
        default=10,
        metadata=_doc("Largest mean pHash/dHash/wHash distance (of 64 bits) still a copy."),
    )
    image_crop_fractions: tuple[float, ...] = field(
        default=(0.05, 0.1),
        metadata=_doc("Crops of each reference image also hashed, so cropped copies still match."),
    )
    descriptor_model: str = field(
        default="efficientnet-lite0",
        metadata=_doc(
            "Learned image descriptor for copies hashes miss (crops, text, borders); empty"
            " turns the level off. Needs the 'descriptor' extra (torch)."
        ),
    )
    descriptor_min_similarity: float = field(
        default=0.65,
        metadata=_doc(
            "Cosine similarity at or above which a listing photo copies a reference image"
            " (calibrated: unrelated real photos peak at 0.60)."
        ),
    )
    descriptor_max_images: int = field(
        default=12, metadata=_doc("Listing photos embedded per listing (bounds the work).")
    )
    descriptor_device: str = field(
        default="cpu",
        metadata={
            **_doc(
                "Where the learned descriptor runs: cpu, cuda or cuda:N (half precision, larger"
                " batches), or auto (the first CUDA device torch sees, else the CPU)."
            ),
            "runtime": True,
        },
    )
    descriptor_runtime: str = field(
        default="auto",
        metadata={
            **_doc(
                "What runs the learned descriptor: torch, onnxruntime (the CPU only; the same"
                " weights exported in memory, about half torch's CPU per photo), or auto"
                " (onnxruntime on the CPU where the onnx exporter is installed, else torch)."
            ),
            "runtime": True,
        },
    )
    region_max_images: int = field(
        default=8,
        metadata=_doc(
            "Listing photos searched for a registered photo pasted into part of the frame"
            " (another picture, a screenshot); 0 turns the region level off."
        ),
    )
    region_min_inliers: int = field(
        default=15,
        metadata=_doc("Local features agreeing on one homography that make a partial copy."),
    )
    logo_min_inliers: int = field(
        default=6,
        metadata=_doc("Verified feature matches needed to report a logo inside a photo."),
    )
    logo_max_images: int = field(
        default=8, metadata=_doc("Listing photos searched for logos per listing (0 turns it off).")
    )
    logo_max_side: int = field(
        default=1024, metadata=_doc("Photos are shrunk to this long side before logo search.")
    )
    design_min_score: float = field(
        default=0.75,
        metadata=_doc("Shape similarity (0..1) of a drawing view and a photo that makes a match."),
    )
    weight_logo: float = field(
        default=0.4,
        metadata=_doc(
            "Weight of a registered logo found inside a listing photo; like an exact word mark"
            " it never flags alone (genuine goods carry their logo)."
        ),
    )
    weight_logo_authorized: float = field(
        default=0.1,
        metadata=_doc(
            "Weight of a registered logo in a photo by an authorized seller (the owner's own"
            " sellers list, owner-wide unless the asset names its own): licensed goods carry it."
        ),
    )
    authorized_price_factor: float = field(
        default=0.3,
        metadata=_doc(
            "The below-price-floor weight x this for an authorized seller: a licensed shop's"
            " sale price says nothing about counterfeits (a pricing matter, not infringement)."
        ),
    )
    weight_design: float = field(
        default=0.4,
        metadata=_doc(
            "Weight of a product outline matching a design drawing; it never links alone"
            " (outline similarity is weak evidence)."
        ),
    )
    ocr_max_images: int = field(
        default=4,
        metadata=_doc("Listing photos read by OCR for printed marks (0 turns OCR off)."),
    )
    ocr_max_side: int = field(
        default=1280,
        metadata=_doc("Photos are shrunk to this long side before OCR (never enlarged)."),
    )
    ocr_min_confidence: float = field(
        default=0.6, metadata=_doc("OCR lines read with a lower recogniser score are dropped.")
    )
    ocr_threads: int = field(
        default=1, metadata=_doc("Onnxruntime threads for OCR (fixed so results repeat).")
    )
    ocr_max_seconds: float = field(
        default=30.0,
        metadata=_doc("No further photo of a listing is OCR'd once this many seconds are spent."),
    )
    price_floor_ratio: float = field(
        default=1.0,
        metadata=_doc("Price < floor x ratio raises below_price_floor (1.0: below the floor)."),
    )
    workers: int = field(
        default=0,
        metadata={
            **_doc(
                "Detection worker processes (one model thread each); 0 detects in the calling"
                " process, -1 one per CPU core but one."
            ),
            "runtime": True,
        },
    )

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "threshold" and not 0.0 < value <= 1.0:
                raise SettingsError(f"threshold must be in (0, 1], got {value!r}; try 0.6")
            if f.name.startswith("weight_") and not 0.0 <= value <= 1.0:
                raise SettingsError(f"{f.name} must be in [0, 1], got {value!r}")
        if not 0.0 <= self.class_mismatch_factor <= 1.0:
            raise SettingsError(
                f"class_mismatch_factor must be in [0, 1], got {self.class_mismatch_factor!r};"
                " 1.0 ignores the listing's category"
            )
        for name in ("compatibility_factor", "resale_factor", "authorized_price_factor"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise SettingsError(
                    f"{name} must be in [0, 1], got {value!r}; 1.0 ignores that wording"
                )
        if not 0.5 <= self.fuzzy_min_similarity <= 1.0:
            raise SettingsError(
                f"fuzzy_min_similarity must be in [0.5, 1], got {self.fuzzy_min_similarity!r};"
                " lower values match unrelated words"
            )
        if self.short_mark_length < 0 or self.max_window_gap < 0:
            raise SettingsError("short_mark_length and max_window_gap must be >= 0")
        if self.max_text_chars < 1:
            raise SettingsError(f"max_text_chars must be >= 1, got {self.max_text_chars!r}")
        if not 0 <= self.image_max_distance <= 32:
            raise SettingsError(
                f"image_max_distance must be in [0, 32] bits, got {self.image_max_distance!r};"
                " beyond 32 unrelated images match"
            )
        if any(not 0.0 < c <= 0.25 for c in self.image_crop_fractions):
            raise SettingsError(
                f"image_crop_fractions must each be in (0, 0.25], got {self.image_crop_fractions!r}"
            )
        if self.semantic_embedder not in ("use", "minilm"):
            raise SettingsError(
                f"semantic_embedder must be 'use' or 'minilm', got {self.semantic_embedder!r}"
            )
        if self.descriptor_model not in ("", "efficientnet-lite0"):
            raise SettingsError(
                f"descriptor_model must be 'efficientnet-lite0' or '' (off),"
                f" got {self.descriptor_model!r}"
            )
        if not 0.0 < self.descriptor_min_similarity <= 1.0:
            raise SettingsError(
                "descriptor_min_similarity must be in (0, 1],"
                f" got {self.descriptor_min_similarity!r}; try 0.65"
            )
        if self.descriptor_max_images < 0:
            raise SettingsError("descriptor_max_images must be >= 0")
        if self.region_max_images < 0 or self.region_min_inliers < 8:
            raise SettingsError(
                "region_max_images must be >= 0 and region_min_inliers >= 8"
                f" (got {self.region_max_images} and {self.region_min_inliers}; try 8 and 15)"
            )
        if self.logo_min_inliers < 4 or self.logo_max_images < 0 or self.logo_max_side < 64:
            raise SettingsError(
                "logo_min_inliers must be >= 4 (a homography needs 4 points),"
                " logo_max_images >= 0 and logo_max_side >= 64"
            )
        if not 0.0 < self.design_min_score <= 1.0:
            raise SettingsError(
                f"design_min_score must be in (0, 1], got {self.design_min_score!r}"
            )
        if self.price_floor_ratio <= 0:
            raise SettingsError(f"price_floor_ratio must be > 0, got {self.price_floor_ratio!r}")
        if not DESCRIPTOR_DEVICES.fullmatch(self.descriptor_device):
            raise SettingsError(
                f"descriptor_device must be cpu, cuda, cuda:N or auto,"
                f" got {self.descriptor_device!r}"
            )
        if self.descriptor_runtime not in DESCRIPTOR_RUNTIMES:
            raise SettingsError(
                f"descriptor_runtime must be {', '.join(DESCRIPTOR_RUNTIMES)},"
                f" got {self.descriptor_runtime!r}"
            )
        if self.workers < -1:
            raise SettingsError(
                f"workers must be -1 (one per core but one), 0 (in process) or a count,"
                f" got {self.workers!r}"
            )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DetectionSettings:
        """Build settings from config data (YAML/JSON), rejecting unknown keys and wrong types."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in fields:
                hint = difflib.get_close_matches(str(key), fields, n=1)
                fix = f"did you mean {hint[0]!r}?" if hint else f"known keys: {', '.join(fields)}"
                raise SettingsError(f"unknown detection setting {key!r}; {fix}")
            if fields[key].metadata.get("items") == "str":
                values[key] = _names(key, value)
            else:
                values[key] = _coerce(key, fields[key].default, value)
        return cls(**values)

    def scoring_repr(self) -> str:
        """The fields findings depend on: how many workers compute them never changes them."""
        scoring = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if not f.metadata.get("runtime")
        }
        return f"DetectionSettings({scoring!r})"

    def worker_count(self) -> int:
        """Worker processes to start: ``workers``, or for -1 every core this process may use
        but one (the caller keeps one), at least one."""
        if self.workers >= 0:
            return self.workers
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return max(1, (cores or 1) - 1)

    @classmethod
    def docs(cls) -> dict[str, str]:
        """Field name -> one-line help, for CLI help and the settings reference."""
        return {f.name: f.metadata.get("doc", "") for f in dataclasses.fields(cls)}


MAX_NAMES = 100_000
MAX_NAME_CHARS = 100


def _names(key: str, value: Any) -> tuple[str, ...]:
    """A config list of names: non-empty strings of a sane length, at most MAX_NAMES."""
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, str) and v.strip() and len(v) <= MAX_NAME_CHARS for v in value
    ):
        raise SettingsError(
            f"{key} must be a list of names (non-empty strings of at most {MAX_NAME_CHARS}"
            f" characters), got {str(value)[:200]!r}"
        )
    if len(value) > MAX_NAMES:
        raise SettingsError(f"{key} holds {len(value)} names; at most {MAX_NAMES}")
    return tuple(v.strip() for v in value)


def _coerce(key: str, default: Any, value: Any) -> Any:
    """Check one config value against the type of its default (bools are never numbers)."""
    if isinstance(default, str):
        if not isinstance(value, str):
            raise SettingsError(f"{key} must be a string, got {value!r}")
        return value
    if isinstance(default, bool) or isinstance(value, bool):
        raise SettingsError(f"{key} must be a number, got {value!r}")
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            raise SettingsError(f"{key} must be a list of numbers, got {value!r}")
        return tuple(float(v) for v in value)
    if isinstance(default, int):
        if not isinstance(value, int):
            raise SettingsError(f"{key} must be a whole number, got {value!r}")
        return value
    if not isinstance(value, int | float):
        raise SettingsError(f"{key} must be a number, got {value!r}")
    return float(value)
