"""Text printed on listing photos, read by OCR so a mark shown only in an image is found.

RapidOCR runs the PP-OCRv4 Chinese + English text detector and recogniser shipped inside the
``rapidocr-onnxruntime`` wheel (no download). The engine is built lazily, once per process and
thread count, the first time an image is actually read. Each photo is shrunk to ``max_side``
pixels and never enlarged (the text detector's default would scale the short side up to 736
pixels, unbounded for a long thin banner); boxes come back as
``[x0, y0, x1, y1]`` in the original photo's pixels. The 180-degree classifier is off: images
arrive upright. Onnxruntime runs with a fixed thread count so one input always reads the same.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from detector.exceptions import SettingsError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.settings import DetectionSettings
    from model import ListingImage

MIN_SIDE = 16  # a thinner image holds no readable line of text
ENGINE_LOADS = 0  # engines built in this process (tests check that unused OCR loads nothing)
_ENGINES: dict[int, Any] = {}
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()


@dataclass(frozen=True)
class OcrParams:
    """Tunables of the image-text reader; ``from_settings`` reads ``ocr_*`` detection settings."""

    max_side: int = 1280  # photos are shrunk to this long side (never enlarged)
    max_images: int = 4  # listing photos read per listing
    max_boxes: int = 32  # text lines kept per photo, in reading order
    max_box_chars: int = 200  # characters kept per text line
    min_confidence: float = 0.6  # recogniser score below which a line is noise
    threads: int = 1  # onnxruntime intra-op threads (fixed, so results repeat)
    max_seconds: float = 30.0  # no further photo of a listing is read after this much time

    def __post_init__(self) -> None:
        if self.max_side < MIN_SIDE or self.threads < 1 or self.max_images < 0:
            raise SettingsError(
                f"ocr max_side must be >= {MIN_SIDE}, threads >= 1 and max_images >= 0;"
                f" got {self.max_side}, {self.threads}, {self.max_images} (try 1280, 1, 4)"
            )
        if not 0.0 <= self.min_confidence <= 1.0:
            raise SettingsError(
                f"ocr min_confidence must be in [0, 1], got {self.min_confidence!r}; try 0.6"
            )

    @classmethod
    def from_settings(cls, settings: DetectionSettings | None) -> OcrParams:
        """Defaults, overridden by any ``ocr_<name>`` field the detection settings carry."""
        if settings is None:
            return cls()
        values = {
            name: getattr(settings, f"ocr_{name}")
            for name in cls.__dataclass_fields__
            if hasattr(settings, f"ocr_{name}")
        }
        return cls(**values)


@dataclass(frozen=True)
class TextBox:
    """One line of text read from a photo; ``bbox`` is ``(x0, y0, x1, y1)`` in its pixels."""

    text: str
    confidence: float
    bbox: tuple[int, int, int, int]


@dataclass(frozen=True)
class ImageText:
    """The text lines read from one listing photo (empty ``boxes``: read, no text found)."""

    url: str
    sha256: str | None
    boxes: tuple[TextBox, ...]


def _engine(params: OcrParams) -> Any:
    """The process-wide RapidOCR engine for this thread count, built on first use."""
    global ENGINE_LOADS
    with _ENGINE_LOCK:
        engine = _ENGINES.get(params.threads)
        if engine is None:
            from rapidocr_onnxruntime import RapidOCR  # heavy: onnxruntime, cv2, three models

            engine = RapidOCR(
                intra_op_num_threads=params.threads,
                inter_op_num_threads=1,
                use_cls=False,
                # "max" never enlarges a photo under 960/1500 pixels; "min" (the default)
                # scales the short side up to 736, unbounded for a long thin banner
                det_limit_type="max",
                # rapidocr's own pre-resize would otherwise run at its 2000-pixel default
                max_side_len=params.max_side,
                text_score=0.0,  # the confidence floor is applied per reader, not per engine
            )
            _ENGINES[params.threads] = engine
            ENGINE_LOADS += 1
    return engine


class ImageTextReader:
    """Reads the text printed on listing photos, bounded in images, pixels, lines and time."""

    def __init__(
        self, settings: DetectionSettings | None = None, *, params: OcrParams | None = None
    ) -> None:
        self.params = params if params is not None else OcrParams.from_settings(settings)

    def read(self, image: Image.Image) -> list[TextBox]:
        """Text lines of one photo in reading order; empty when it shows no text."""
        if min(image.size) < MIN_SIDE:
            return []
        work, scale = _shrunk(image.convert("RGB"), self.params.max_side)
        bgr = np.ascontiguousarray(np.asarray(work)[:, :, ::-1])
        engine = _engine(self.params)
        with _RUN_LOCK:  # one image at a time: the engine keeps per-call state
            result, _ = engine(bgr, use_cls=False)
        boxes: list[TextBox] = []
        for points, text, score in result or ():
            line = " ".join(str(text).split())[: self.params.max_box_chars]
            if not line or float(score) < self.params.min_confidence:
                continue
            bbox = _bbox(points, scale, image.size)
            boxes.append(TextBox(text=line, confidence=round(float(score), 4), bbox=bbox))
            if len(boxes) >= self.params.max_boxes:
                break
        return boxes

    def read_listing(self, listing_images: Sequence[ListingImage]) -> list[ImageText]:
        """Text of the first ``max_images`` decoded photos (each digest once), in listing order.

        Photos left unread (not decoded, over the image cap, after the time budget) are absent
        from the result; a photo read without text is present with no boxes.
        """
        out: list[ImageText] = []
        seen: set[str] = set()
        started = time.monotonic()
        for item in listing_images:
            if len(out) >= self.params.max_images:
                break
            if time.monotonic() - started > self.params.max_seconds:
                break
            if item.image is None or (item.sha256 and item.sha256 in seen):
                continue
            if item.sha256:
                seen.add(item.sha256)
            boxes = tuple(self.read(item.image))
            out.append(ImageText(url=item.url, sha256=item.sha256, boxes=boxes))
        return out


def _shrunk(image: Image.Image, max_side: int) -> tuple[Image.Image, float]:
    """The image with its long side at most ``max_side``, and original pixels per work pixel."""
    long_side = max(image.size)
    if long_side <= max_side:
        return image, 1.0
    ratio = max_side / long_side
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    work = image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return work, image.width / work.width


def _bbox(points: Any, scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The axis-aligned box around a detected quadrilateral, in the original image's pixels."""
    quad = np.asarray(points, dtype=np.float64).reshape(-1, 2) * scale
    width, height = size
    x0 = min(max(math.floor(quad[:, 0].min()), 0), width)
    y0 = min(max(math.floor(quad[:, 1].min()), 0), height)
    x1 = min(max(math.ceil(quad[:, 0].max()), x0), width)
    y1 = min(max(math.ceil(quad[:, 1].max()), y0), height)
    return (x0, y0, x1, y1)
