"""Flat logos (coloured squares, a silhouette, a one-letter icon) found by colour and shape.

A logo of a few flat colour areas with straight or smooth edges gives SIFT a handful of corners
at best, so the feature stage misses it at small sizes. What such a logo does have is exact
colours and an exact shape. Each flat reference is prepared once: its dominant colours (in
CIELAB) and a small label map (which dominant colour each pixel has) in canonical pixels. A
listing photo is reduced once to coarse Lab colour bins and their histogram; a reference whose
colours are not all present in the photo in the amount its smallest print needs is skipped
outright, which is what keeps the stage cheap with many references. For the rest, the photo's
pixels close to one of the reference's colours are grouped into connected regions (the
candidate regions), and each region is aligned to the reference by its centroid and area and a
sweep of turns; a region is the logo when the label maps agree (same colour at the same place)
on ``min_agreement`` of their union. A plain single-colour disc or square is never matched this
way: any coloured sticker would be one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from detector.vision.flat_align import (
    HOLES_MIN_SHARE,
    Canvas,
    align,
    canvas,
    colour_edges,
    edge_support,
    seen_outline,
)
from detector.vision.flat_index import colours_short
from detector.vision.flat_regions import regions
from detector.vision.logo_references import foreground

if TYPE_CHECKING:
    from PIL import Image

    from model import ReferenceImage

BIN_SHIFT = 4  # Lab channels (0..255 each in OpenCV's 8-bit Lab) quantised to 16 levels
BINS = 1 << (3 * (8 - BIN_SHIFT))
NO_LABEL = 255
CANONICAL_SIDE = 64  # long side of a reference's label map
MIN_COLOUR_SHARE = 0.05  # a colour covering less of the logo is anti-aliasing, not a colour
MAX_COLOURS = 4
GROUP_PX = 7  # parts of one logo up to this many work pixels apart form one region
HU_MOMENTS = 1  # the first Hu moment (spread): the higher ones of a symmetric shape (a square,
# a grid) are near zero and their logarithm is noise (measured: a 2x2 grid 25 apart from itself)
COLOUR_CHECK_SHARE = 0.3  # of a colour's expected share that a feature placement must show
REGION_AREA_SHARE = 0.7  # of the smallest print's pixels a candidate region must hold
REGION_COLOUR_SHARE = 0.4  # of a colour's share of the logo that a region must show of it
LIGHTNESS_WEIGHT = 0.5  # of a Lab lightness difference, against a hue or chroma one, in the
# colour tolerance: a photo's exposure and contrast move a print's lightness far more than its
# hue (a brightness, contrast and saturation shift of 0.8-1.2 put a green 40 units from its
# filed colour, two thirds of it in lightness), while another firm's colour differs in hue
CHROMATIC = 32.0  # Lab chroma (8-bit a/b units) from which a colour gets the full discount;
# greys and black keep full lightness weight (discounting it merged a black mark with a dark
# occluder and lost two covered black marks of the blind set)


@dataclass(frozen=True)
class FlatParams:
    """Tunables of the flat stage (measured with ``bench/flat_logo_quality.py``)."""

    work_side: int = 512  # photos are shrunk to this long side for the colour maps
    max_edge_density: float = 0.15  # boundary pixels / logo pixels at 128 px: flat below this
    max_keypoints: int = 100  # ... or a reference SIFT finds fewer features on than this
    colour_tolerance: float = 34.0  # Lab distance (8-bit units) that still counts as a colour
    tight_tolerance: float = 18.0  # ... for a second segmentation that parts the logo from a
    # background of a near colour (an orange tile on a brown table merges at 34)
    min_area_fraction: float = 0.002  # smallest print looked for, share of the photo's area
    max_candidates: int = 10  # regions verified per reference and photo
    min_agreement: float = 0.62  # label agreement over the union that makes a match
    min_agreement_one_colour: float = 0.85  # ... for a one-colour logo, which only its shape
    # tells apart from another firm's (a red ring, a red bullseye): measured 8 false positives
    # on other flat simple-icons logos at 0.62; with the ECC-refined placement a red ring
    # (opera) reaches 0.75-0.84 on a red disc with a cut-out (vodafone), so the cut is 0.85
    max_plain_solidity: float = 0.93  # a one-colour shape fuller than this is too plain
    max_hu_distance: float = 0.5  # shape prefilter (first Hu moment, log10) before alignment
    min_open_holes_one_colour: float = 0.8  # share of a one-colour logo's holes (a cut-out
    # letter, the gaps between a bird's wing and tail) the region must leave open: a dark patch
    # or a plain tile of the logo's colour and size fills them (measured: 0.00-0.67 on those,
    # 0.82-1.00 on the logos themselves)
    min_seen_outline: float = 0.7  # share of the placed outline that must lie inside the photo
    # and off its border: a region the border cuts has the border's straight edge, which some
    # straight-edged reference among hundreds fits by chance (measured: a generated one-colour
    # reference, one of 297, at agreement 0.88 with half its outline on or past the border);
    # a mark the border cuts loses one side and the cut ends of its neighbours, about a third


@dataclass(frozen=True)
class FlatReference:
    """A flat registered logo: its dominant colours and label map in canonical pixels."""

    asset_id: str
    image: ReferenceImage
    size: tuple[float, float]  # width, height of the cropped logo in the image's pixels
    colours: np.ndarray  # (k, 3) Lab, float32
    shares: np.ndarray  # (k,) share of the logo's pixels in each colour
    labels: np.ndarray  # (h, w) uint8: colour index, NO_LABEL outside the logo
    lut: np.ndarray  # (BINS,) uint8: the colour index of each Lab bin, NO_LABEL if none
    lut_tight: np.ndarray  # the same at ``tight_tolerance``
    canvas: Canvas  # the label map with a margin, its moments and outline, for alignment
    hu: np.ndarray  # (7,) log-scaled Hu moments of the logo's silhouette
    fill: float  # logo pixels / its bounding box

    @property
    def area(self) -> int:
        return int((self.labels != NO_LABEL).sum())


@dataclass(frozen=True)
class ShapeCheck:
    """How a photo region agreed with a flat reference: the numbers the finding shows."""

    agreement: float  # same colour at the same place, over the union of both shapes
    turn: float  # degrees the region is turned relative to the reference
    hu_distance: float
    colours: int  # dominant colours of the reference, all found in the region
    edge_support: float = 0.0  # share of the reference's outline on the photo's edges
    holes: float = 1.0  # share of the reference's holes left open in the region
    stray_holes: float = 0.0  # the region's holes on the reference's ink, share of its area
    seen: float = 1.0  # share of the reference's outline inside the photo, off its border


def edge_density(mask: np.ndarray) -> float:
    """Boundary pixels per logo pixel with the logo's long side at 128 px: low for flat shapes."""
    scale = 128 / max(mask.shape)
    size = (max(1, round(mask.shape[1] * scale)), max(1, round(mask.shape[0] * scale)))
    resized = cv2.resize(mask.astype(np.uint8) * 255, size, interpolation=cv2.INTER_AREA)
    small = (resized > 127).astype(np.uint8)
    boundary = small - cv2.erode(small, np.ones((3, 3), np.uint8))
    return float(boundary.sum()) / max(1, int(small.sum()))


def _lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.ascontiguousarray(rgb, np.uint8), cv2.COLOR_RGB2Lab)


def _bins(lab: np.ndarray) -> np.ndarray:
    q = (lab >> BIN_SHIFT).astype(np.int32)
    levels = 8 - BIN_SHIFT
    return (q[..., 0] << (2 * levels)) | (q[..., 1] << levels) | q[..., 2]


def _bin_centres() -> np.ndarray:
    index = np.arange(BINS)
    levels = 8 - BIN_SHIFT
    mask = (1 << levels) - 1
    channels = [(index >> (2 * levels)) & mask, (index >> levels) & mask, index & mask]
    width = 1 << BIN_SHIFT
    return np.stack(channels, axis=1).astype(np.float32) * width + width / 2


_CENTRES = _bin_centres()


def _hu(mask: np.ndarray) -> np.ndarray:
    hu = cv2.HuMoments(cv2.moments(mask.astype(np.uint8), binaryImage=True)).ravel()
    return np.asarray(-np.sign(hu) * np.log10(np.abs(hu) + 1e-30), np.float64)


def _dominant_colours(lab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lab colours covering at least ``MIN_COLOUR_SHARE`` of the logo, most common first."""
    bins = _bins(lab)
    counts = np.bincount(bins, minlength=BINS)
    order = np.argsort(-counts, kind="stable")
    colours: list[np.ndarray] = []
    shares: list[float] = []
    total = max(1, len(bins))
    for b in order[: MAX_COLOURS * 4]:
        share = counts[b] / total
        if share < MIN_COLOUR_SHARE:
            break
        mean = lab[bins == b].astype(np.float32).mean(axis=0)
        near = [i for i, c in enumerate(colours) if np.linalg.norm(c - mean) < 20]
        if near:  # a neighbouring bin of a colour already held (a shade split by the grid)
            shares[near[0]] += share
            continue
        if len(colours) < MAX_COLOURS:
            colours.append(mean)
            shares.append(share)
    return np.array(colours, np.float32).reshape(-1, 3), np.array(shares, np.float32)


def prepare_flat(
    asset_id: str, ref: ReferenceImage, keypoints: int, params: FlatParams
) -> FlatReference | None:
    """The reference's colours and label map when it is flat (few features or few edges) and
    not too plain to tell from any sticker; else None."""
    assert ref.image is not None
    _, mask = foreground(ref.image)
    ys, xs = np.nonzero(mask)
    if len(xs) < 64:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    crop_mask = mask[y0:y1, x0:x1]
    if keypoints >= params.max_keypoints and edge_density(crop_mask) > params.max_edge_density:
        return None  # textured or detailed: the feature stage is the right tool
    rgb = np.asarray(ref.image.convert("RGB"))[y0:y1, x0:x1]
    lab = _lab(rgb)
    colours, shares = _dominant_colours(lab[crop_mask])
    if len(colours) == 0:
        return None
    scale = CANONICAL_SIDE / max(crop_mask.shape)
    size = (max(1, round(crop_mask.shape[1] * scale)), max(1, round(crop_mask.shape[0] * scale)))
    small_lab = cv2.resize(lab, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    small_mask = cv2.resize(crop_mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    distances = np.linalg.norm(small_lab[:, :, None, :] - colours[None, None], axis=3)
    labels = np.where(small_mask > 0, distances.argmin(axis=2), NO_LABEL).astype(np.uint8)
    silhouette = (labels != NO_LABEL).astype(np.uint8)
    shaped = canvas(labels)
    if len(colours) == 1:
        contours, _ = cv2.findContours(silhouette, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        hull = cv2.convexHull(np.concatenate(contours))
        solidity = silhouette.sum() / max(1.0, cv2.contourArea(hull))
        # Too plain: a convex blob without a cut-out the holes check can see (a disc or a
        # square matches any sticker). A cut-out (a play button's triangle) makes a solid
        # shape a mark, and a sticker of its outline fails ``min_open_holes_one_colour``;
        # solidity alone rejected a tile with a 6 % cut-out (solidity 0.95).
        checked_holes = shaped.holes.sum() >= HOLES_MIN_SHARE * shaped.area
        if solidity > params.max_plain_solidity and not checked_holes:
            return None
    lut = _lut(colours, params.colour_tolerance)
    return FlatReference(
        asset_id=asset_id,
        image=ref,
        size=(float(x1 - x0), float(y1 - y0)),
        colours=colours,
        shares=shares,
        labels=labels,
        lut=lut,
        lut_tight=_lut(colours, params.tight_tolerance, lightness=1.0),
        canvas=shaped,
        hu=_hu(silhouette),
        fill=float(silhouette.mean()),
    )


def _lut(colours: np.ndarray, tolerance: float, lightness: float = LIGHTNESS_WEIGHT) -> np.ndarray:
    """The colour index of each Lab bin within ``tolerance`` of a colour, else NO_LABEL; for a
    chromatic colour a lightness difference counts ``LIGHTNESS_WEIGHT`` of a hue or chroma one
    (a grey's or black's lightness is all it has, so it keeps full weight). The tight LUT
    keeps full lightness weight (``lightness=1``): it exists to part a logo from a ground of a
    near colour, often one of another lightness."""
    chroma = np.hypot(colours[:, 1] - 128.0, colours[:, 2] - 128.0)
    light = 1.0 - (1.0 - lightness) * np.minimum(1.0, chroma / CHROMATIC)
    weights = np.stack([light, np.ones_like(light), np.ones_like(light)], axis=1)
    to_centres = np.linalg.norm((_CENTRES[:, None, :] - colours[None]) * weights[None], axis=2)
    return np.where(
        to_centres.min(axis=1) <= tolerance, to_centres.argmin(axis=1), NO_LABEL
    ).astype(np.uint8)


@dataclass(frozen=True)
class FlatFind:
    """A flat reference found in a photo: the polygon in work pixels and the check's numbers."""

    reference: FlatReference
    polygon: np.ndarray  # (4, 2) the reference's canonical frame placed in the work image
    check: ShapeCheck


class FlatScene:
    """One listing photo reduced once for every flat reference: Lab bins and their histogram."""

    def __init__(self, image: Image.Image, params: FlatParams) -> None:
        rgb = np.asarray(image.convert("RGB"))
        self.scale = min(1.0, params.work_side / max(rgb.shape[:2]))
        if self.scale < 1.0:
            size = (
                max(1, round(rgb.shape[1] * self.scale)),
                max(1, round(rgb.shape[0] * self.scale)),
            )
            rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        self.lab = _lab(rgb)
        self.bins = _bins(self.lab)
        self._edges: np.ndarray | None = None
        self.histogram = np.bincount(self.bins.ravel(), minlength=BINS)
        self.params = params

    @property
    def pixels(self) -> int:
        return int(self.bins.size)

    def shows_colours(self, ref: FlatReference, bbox: tuple[int, int, int, int]) -> bool:
        """Whether a region (listing-image pixels) holds each of the reference's colours in about
        its share: a feature placement of a multi-colour flat logo must, since SIFT is blind to
        colour and the same squares in another firm's colours give the same features."""
        x0, y0, x1, y1 = (round(v * self.scale) for v in bbox)
        window = self.bins[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
        if window.size == 0:
            return False
        labels = np.bincount(ref.lut[window].ravel(), minlength=NO_LABEL + 1)
        shown = labels[: len(ref.shares)] / window.size
        return bool((shown >= COLOUR_CHECK_SHARE * ref.shares * ref.fill).all())

    @property
    def edges(self) -> np.ndarray:
        """The work image's colour edges, made on first use."""
        if self._edges is None:
            self._edges = colour_edges(self.lab)
        return self._edges

    def find(self, ref: FlatReference) -> FlatFind | None:
        """The best-agreeing region for the reference, or None (most references: colour gate)."""
        params = self.params
        smallest = params.min_area_fraction * self.pixels
        present = np.bincount(ref.lut, weights=self.histogram, minlength=NO_LABEL + 1)
        if colours_short(present[: len(ref.shares)], ref.shares * ref.fill, smallest).any():
            return None  # a colour of the logo is missing from the photo (as ``FlatIndex``)
        best: FlatFind | None = None
        # The tight tolerance parts a logo from a background of a near colour; it is only
        # tried when the usual one finds nothing, so most photos pay for one segmentation.
        for lut in (ref.lut, ref.lut_tight):
            if not self._could_hold(ref, lut):
                continue  # no region of these colours can pass ``_verify``'s colour check
            best = self._best_region(ref, lut)
            if best is not None:
                break
        return best

    def _needed(self, ref: FlatReference) -> tuple[float, np.ndarray]:
        """(pixels, pixels of each colour) a candidate region of ``ref`` must hold: a region
        of fewer is never segmented, one with less of a colour fails ``_verify``."""
        area = REGION_AREA_SHARE * self.params.min_area_fraction * self.pixels * ref.fill
        return area, REGION_COLOUR_SHARE * ref.shares * area

    def _could_hold(self, ref: FlatReference, lut: np.ndarray) -> bool:
        """Whether the whole photo holds, under ``lut``, the pixels one candidate region needs
        (with the tight tolerance two in three colour-gated references at 1,000 registered
        images do not: their segmentation is skipped with the same result)."""
        area, colours = self._needed(ref)
        present = np.bincount(lut, weights=self.histogram, minlength=NO_LABEL + 1)
        held = present[: len(ref.shares)]
        return bool(held.sum() >= area and (held >= colours).all())

    def _best_region(self, ref: FlatReference, lut: np.ndarray) -> FlatFind | None:
        """The best verified region among those of the photo's pixels ``lut`` labels."""
        params = self.params
        least, _ = self._needed(ref)
        # One gather of 0/1 per pixel (``np.take``: a third of indexing's cost); the labels
        # themselves only in the windows that pass ``_verify``'s shape prefilter.
        inked = np.take((lut != NO_LABEL).view(np.uint8), self.bins)
        # Parts of one logo (three squares with gaps) are grouped by a small dilation; a
        # larger one joins the parts of a big print whose gaps are wider.
        found = regions(inked, (GROUP_PX, 3 * GROUP_PX), least)
        best: FlatFind | None = None
        seen: set[tuple[int, int, int, int]] = set()
        for area, x, y, window in found[: params.max_candidates]:
            key = (area, x, y, window.shape[0])
            if key in seen:
                continue  # the same region from the other spread
            seen.add(key)
            check = self._verify(ref, lut, window, (x, y))
            if check is not None and (best is None or check[0].agreement > best.check.agreement):
                polygon = _frame_in_work(ref, check[1]) + np.array([x, y], np.float32)
                best = FlatFind(ref, polygon, check[0])
        return best

    def _verify(
        self, ref: FlatReference, lut: np.ndarray, window: np.ndarray, offset: tuple[int, int]
    ) -> tuple[ShapeCheck, np.ndarray] | None:
        """Align the region (``window`` at ``offset``, its pixels labelled by ``lut``) to the
        reference and compare label maps and outlines."""
        params = self.params
        hu_distance = float(np.abs(_hu(window) - ref.hu)[:HU_MOMENTS].sum())
        if hu_distance > params.max_hu_distance:
            return None
        x, y = offset
        labels = np.take(lut, self.bins[y : y + window.shape[0], x : x + window.shape[1]])
        inside = labels[window > 0]
        shown = np.bincount(inside, minlength=NO_LABEL + 1)[: len(ref.shares)]
        if (shown / float(window.sum()) < REGION_COLOUR_SHARE * ref.shares).any():
            return None  # a colour of the logo is missing from this region
        one_colour = len(ref.shares) == 1
        cut = params.min_agreement_one_colour if one_colour else params.min_agreement
        placement = align(ref.canvas, labels, window, floor=cut - 0.25)
        if placement is None or placement.agreement < cut:
            return None
        if one_colour and placement.holes < params.min_open_holes_one_colour:
            return None
        frame = (self.bins.shape[1], self.bins.shape[0])
        seen = seen_outline(ref.canvas, placement, frame, offset)
        if seen < params.min_seen_outline:
            return None  # the fit leans on the photo's border, an outline of nobody's logo
        support = edge_support(ref.canvas, placement, self.edges, offset)
        check = ShapeCheck(
            placement.agreement,
            placement.turn,
            hu_distance,
            len(ref.shares),
            support,
            placement.holes,
            placement.stray_holes,
            seen,
        )
        return check, placement.warp


def _frame_in_work(ref: FlatReference, warp: np.ndarray) -> np.ndarray:
    """The reference's canonical rectangle (inside its canvas margin) mapped back into the
    region's pixels."""
    h, w = ref.labels.shape
    pad = (ref.canvas.labels.shape[0] - h) / 2
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32) + np.float32(pad)
    back = np.linalg.inv(warp)
    return np.asarray(cv2.perspectiveTransform(corners[None], back)[0], np.float32)
