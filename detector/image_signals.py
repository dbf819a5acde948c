"""The detector's photo extractors, asked of the image-signal cache first.

Each wrapper sits around one extraction call and leaves the matcher that uses its result alone:
the hash level's hashes and colour histogram, the learned descriptor's vectors, the SIFT features
of the copy check, the region level and the logo stage, and OCR text. A photo is known by its
SHA-256 only while the detector holds it — the registered images for the detector's lifetime, a
listing's photos for one ``detect`` call (``PhotoSignals.listing``) — so a crop or other derived
picture a matcher makes is never mistaken for the photo itself; it is simply extracted.

Every stored row is checked against what its extractor returns (dtype, shape, range) before use;
one that is not is deleted and the photo extracted again.
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from detector.image_cache import CorruptSignalError
from detector.images import HUE_BINS, PhotoHashes, photo_hashes
from detector.vision.descriptor import get_descriptor
from detector.vision.keypoints import SceneFeatures, describe_scene, work_shape
from detector.vision.ocr import ImageTextReader, TextBox
from detector.vision.regions import Features, describe

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from PIL.Image import Image

    from detector.image_cache import ImageSignalCache
    from detector.settings import DetectionSettings
    from detector.vision.copycheck import CopyChecker
    from detector.vision.descriptor import ImageDescriptor
    from model import Asset, ListingImage

T = TypeVar("T")
Encoded = tuple[dict[str, Any], dict[str, np.ndarray]]
MAX_KEYPOINTS = 100_000  # far above any extractor's feature cap: a larger row is forged
_ROW_ERRORS = (CorruptSignalError, ValueError, KeyError, TypeError, IndexError)


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise CorruptSignalError(what)


def _keypoints(
    arrays: dict[str, np.ndarray], image: Image, within: tuple[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(points (n, 2) inside the photo, SIFT descriptors (n, 128)) as float32, finite and
    non-negative (points are in the photo's pixels or a shrunk copy's: never past its size,
    nor past ``within`` (width, height) where the copy's size is known)."""
    points, desc = arrays["points"], arrays["descriptors"]
    _check(points.dtype == np.float32 and points.ndim == 2 and points.shape[1] == 2, "points")
    _check(desc.dtype in (np.uint8, np.float32) and desc.ndim == 2, "descriptors dtype")
    _check(desc.shape == (len(points), 128) and len(points) <= MAX_KEYPOINTS, "descriptors")
    desc = desc.astype(np.float32)
    _check(bool(np.isfinite(points).all() and np.isfinite(desc).all()), "not finite")
    _check(bool((desc >= 0).all()), "negative descriptor")
    bound = np.array(within if within is not None else image.size, np.float32)
    inside = (points >= 0).all() and (points <= bound).all()
    _check(bool(inside), "keypoint outside the photo")
    return points, desc


def _compact(desc: np.ndarray) -> np.ndarray:
    """SIFT descriptors as uint8 when that loses nothing (OpenCV's are whole numbers 0-255)."""
    small = desc.astype(np.uint8)
    return small if np.array_equal(small, desc) else desc.astype(np.float32)


class PhotoSignals:
    """Knows which decoded images are which photo, and asks the cache before extracting."""

    def __init__(self, cache: ImageSignalCache, assets: Sequence[Asset]) -> None:
        self.cache = cache
        self.extracted: Counter[str] = Counter()  # real extractor runs, by kind
        self.reused: Counter[str] = Counter()  # photos answered from the cache, by kind
        self._counts = threading.Lock()
        self._local = threading.local()
        # Registered images live as long as the assets: the object itself is kept, so its id
        # is never reused by another image while this map holds it.
        self._references = {
            id(ref.image): (ref.image, ref.sha256)
            for asset in assets
            for ref in asset.images
            if ref.image is not None and ref.sha256
        }

    @contextmanager
    def listing(self, images: Sequence[ListingImage]) -> Iterator[None]:
        """While scoring one listing (per thread), its photos are known by their SHA-256."""
        previous = getattr(self._local, "photos", None)
        self._local.photos = {
            id(item.image): (item.image, item.sha256)
            for item in images
            if item.image is not None and item.sha256
        }
        try:
            yield
        finally:
            self._local.photos = previous

    def sha256_of(self, image: Image) -> str | None:
        photos = getattr(self._local, "photos", None) or {}
        for known in (photos, self._references):
            entry = known.get(id(image))
            if entry is not None and entry[0] is image:
                return str(entry[1])
        return None

    def _count(self, counter: Counter[str], kind: str, n: int = 1) -> None:
        with self._counts:
            counter[kind] += n

    def lookup(self, kind: str, params: str, image: Image, decode: Callable[..., T]) -> T | None:
        """The stored signal of this photo, or None (unknown photo, absent or malformed row)."""
        sha256 = self.sha256_of(image)
        if sha256 is None:
            return None
        key = self.cache.key(kind, params, sha256)
        row = self.cache.get(key)
        if row is None:
            return None
        try:
            value = decode(row[0], row[1], image)
        except _ROW_ERRORS as exc:
            self.cache.drop(key, f"{kind}: {exc}")
            return None
        self._count(self.reused, kind)
        return value

    def store(self, kind: str, params: str, image: Image, encoded: Encoded) -> None:
        sha256 = self.sha256_of(image)
        if sha256 is not None:
            self.cache.put(self.cache.key(kind, params, sha256), encoded[0], encoded[1])

    def signal(
        self,
        kind: str,
        params: str,
        image: Image,
        compute: Callable[[], T],
        encode: Callable[[T], Encoded],
        decode: Callable[..., T],
    ) -> T:
        """The photo's signal from the cache, else computed (and stored)."""
        found = self.lookup(kind, params, image, decode)
        if found is not None:
            return found
        value = compute()
        self._count(self.extracted, kind)
        self.store(kind, params, image, encode(value))
        return value

    # --- one method per wrapped extractor -------------------------------------------------

    def hashes(self, image: Image) -> PhotoHashes:
        """The hash level's (pHash, dHash, wHash) and colour histogram of a listing photo."""
        return self.signal(
            "hashes", "", image, lambda: photo_hashes(image), _encode_hashes, _decode_hashes
        )

    def copy_features(self, checker: CopyChecker, image: Image) -> tuple[np.ndarray, np.ndarray]:
        """The copy check's SIFT features of a listing photo."""

        def encode(value: tuple[np.ndarray, np.ndarray]) -> Encoded:
            return {}, {"points": value[0], "descriptors": _compact(value[1])}

        def decode(
            meta: dict[str, Any], arrays: dict[str, np.ndarray], image: Image
        ) -> tuple[np.ndarray, np.ndarray]:
            return _keypoints(arrays, image)

        return self.signal(
            "copycheck", "", image, lambda: checker.listing_features(image), encode, decode
        )

    def region_features(self, image: Image, max_side: int, max_features: int) -> Features:
        """The region level's RootSIFT features of a photo at this size and feature cap."""
        return self.signal(
            "regions",
            f"{max_side},{max_features}",
            image,
            lambda: describe(image, max_side, max_features),
            _encode_features,
            _decode_features,
        )

    def logo_features(self, image: Image, max_side: int, max_features: int) -> SceneFeatures:
        """The logo stage's SIFT features of a photo at this work size and feature cap."""

        def decode(
            meta: dict[str, Any], arrays: dict[str, np.ndarray], image: Image
        ) -> SceneFeatures:
            return _decode_scene(arrays, image, max_side)

        return self.signal(
            "logos",
            f"{max_side},{max_features}",
            image,
            lambda: describe_scene(image, max_side, max_features),
            _encode_scene,
            decode,
        )

    def descriptor(self, name: str, device: str = "cpu", runtime: str = "auto") -> CachedDescriptor:
        return CachedDescriptor(name, self, device, runtime)

    def text_reader(self, settings: DetectionSettings) -> CachedTextReader:
        return CachedTextReader(settings, signals=self)


def _encode_hashes(value: PhotoHashes) -> Encoded:
    hashes, histogram = value
    return {"hashes": None if hashes is None else [str(h) for h in hashes]}, {
        "histogram": histogram
    }


def _decode_hashes(meta: dict[str, Any], arrays: dict[str, np.ndarray], _: Image) -> PhotoHashes:
    raw = meta["hashes"]
    hashes: tuple[int, int, int] | None = None
    if raw is not None:
        _check(isinstance(raw, list) and len(raw) == 3, "hashes")
        values = [int(str(h)) for h in raw]
        _check(all(0 <= v < 2**64 for v in values), "hash range")
        hashes = (values[0], values[1], values[2])
    histogram = arrays["histogram"]
    _check(histogram.dtype == np.float64 and histogram.shape == (4 + 2 * HUE_BINS,), "histogram")
    _check(bool((histogram >= 0).all()) and abs(float(histogram.sum()) - 1.0) < 1e-6, "shares")
    return hashes, histogram


def _encode_features(value: Features) -> Encoded:
    meta = {"scale": value.scale, "size": list(value.size)}
    return meta, {"points": value.points, "descriptors": value.descriptors.astype(np.float32)}


def _decode_features(meta: dict[str, Any], arrays: dict[str, np.ndarray], image: Image) -> Features:
    points, desc = _keypoints(arrays, image)
    scale = float(meta["scale"])
    _check(0.0 < scale <= 1.0, "scale")
    _check([int(v) for v in meta["size"]] == list(image.size), "size is not the photo's")
    return Features(points, desc, scale, image.size)


def _encode_scene(value: SceneFeatures) -> Encoded:
    arrays = {"points": value.points, "descriptors": _compact(value.descriptors)}
    return {}, {**arrays, "frames": value.frames}


def _decode_scene(arrays: dict[str, np.ndarray], image: Image, max_side: int) -> SceneFeatures:
    """Points inside the work image the photo shrinks to; frames (size > 0, angle in degrees)."""
    _, (height, width) = work_shape(image.size, max_side)
    points, desc = _keypoints(arrays, image, within=(width, height))
    frames = arrays["frames"]
    _check(frames.dtype == np.float32 and frames.shape == (len(points), 2), "frames")
    _check(bool(np.isfinite(frames).all()), "frames not finite")
    sizes, angles = frames[:, 0], frames[:, 1]
    _check(bool((sizes > 0).all() and (angles >= 0).all() and (angles <= 360).all()), "frames")
    return SceneFeatures(points, desc, frames)


class CachedDescriptor:
    """An ``ImageDescriptor`` that embeds only the photos the cache has no vector for; the
    network (torch, weights) is not even loaded when every photo is known."""

    def __init__(
        self, name: str, signals: PhotoSignals, device: str = "cpu", runtime: str = "auto"
    ) -> None:
        self.name = name
        self._signals = signals
        self._device = device
        self._runtime = runtime
        self._dimension: int | None = None  # learned from the first real embedding

    @property
    def _model(self) -> ImageDescriptor:
        # The device and runtime the settings name: without them a GPU worker's photos were
        # embedded on its CPU whenever the signal cache was on, which it always is in a crawl.
        return get_descriptor(self.name, self._device, self._runtime)

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = self._model.dimension
        return self._dimension

    def _decode(self, meta: dict[str, Any], arrays: dict[str, np.ndarray], _: Image) -> np.ndarray:
        vector = arrays["vector"]
        _check(vector.dtype == np.float32 and vector.ndim == 1 and len(vector) >= 8, "vector")
        _check(self._dimension is None or len(vector) == self._dimension, "vector length")
        _check(bool(np.isfinite(vector).all()), "vector not finite")
        _check(abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3, "vector not unit length")
        return vector

    def embed(self, images: Sequence[Image]) -> np.ndarray:
        rows: list[Any] = [
            self._signals.lookup("descriptor", self.name, image, self._decode) for image in images
        ]
        if len({len(r) for r in rows if r is not None}) > 1:
            rows = [None] * len(rows)  # stored vectors disagree in length: trust none of them
        self._fill(images, rows, [i for i, row in enumerate(rows) if row is None])
        # A stored vector of another length than the network's (learned just now): redo it.
        if self._dimension is not None:
            wrong = [i for i, r in enumerate(rows) if len(r) != self._dimension]
            self._fill(images, rows, wrong)
        return np.stack(rows).astype(np.float32)

    def _fill(self, images: Sequence[Image], rows: list[Any], indices: list[int]) -> None:
        """Embed the photos at ``indices`` with the network, store and place their vectors."""
        if not indices:
            return
        vectors = self._model.embed([images[i] for i in indices])
        self._dimension = int(vectors.shape[1])
        self._signals._count(self._signals.extracted, "descriptor", len(indices))
        for i, vector in zip(indices, vectors, strict=True):
            rows[i] = vector
            encoded: Encoded = ({}, {"vector": np.ascontiguousarray(vector, np.float32)})
            self._signals.store("descriptor", self.name, images[i], encoded)


class CachedTextReader(ImageTextReader):
    """The OCR reader, each photo's lines read from the cache when this photo was read before."""

    def __init__(self, settings: DetectionSettings | None, *, signals: PhotoSignals) -> None:
        super().__init__(settings)
        self._signals = signals
        p = self.params
        # What one photo's lines depend on (not the per-listing caps: images, seconds).
        self._key = f"{p.max_side},{p.max_boxes},{p.max_box_chars},{p.min_confidence},{p.threads}"

    def read(self, image: Image) -> list[TextBox]:
        return self._signals.signal(
            "ocr",
            self._key,
            image,
            lambda: super(CachedTextReader, self).read(image),
            self._encode,
            self._decode,
        )

    @staticmethod
    def _encode(boxes: list[TextBox]) -> Encoded:
        return {"boxes": [[b.text, b.confidence, list(b.bbox)] for b in boxes]}, {}

    def _decode(self, meta: dict[str, Any], _: dict[str, np.ndarray], image: Image) -> Any:
        raw = meta["boxes"]
        _check(isinstance(raw, list) and len(raw) <= self.params.max_boxes, "boxes")
        boxes = []
        for text, confidence, bbox in raw:
            _check(isinstance(text, str) and 0 < len(text) <= self.params.max_box_chars, "text")
            _check(self.params.min_confidence <= float(confidence) <= 1.0, "confidence")
            x0, y0, x1, y1 = (int(v) for v in bbox)
            width, height = image.size
            _check(0 <= x0 <= x1 <= width and 0 <= y0 <= y1 <= height, "box outside the photo")
            boxes.append(TextBox(text=text, confidence=float(confidence), bbox=(x0, y0, x1, y1)))
        return boxes
