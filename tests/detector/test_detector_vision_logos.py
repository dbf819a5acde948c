"""Logos inside photos: real simple-icons logos printed onto real skimage photographs."""

from __future__ import annotations

import dataclasses
import hashlib
import io

import cv2
import numpy as np
import pytest
import resvg_py
import simple_icons_pack
import skimage.data
from PIL import Image

from detector.vision.logo_match import LogoParams, logo_signal
from detector.vision.logos import LogoMatcher, _LazyEdges
from model import Asset, AssetKind, ListingImage, ReferenceImage

WIDTH = 800  # listing photos are upscaled to a marketplace-like width


def render_logo(slug: str, px: int, colour: str | None = None) -> Image.Image:
    """The simple-icons SVG rasterised by resvg, RGBA on transparent."""
    icon = simple_icons_pack.get_icon(slug)
    assert icon is not None
    svg = icon.svg.replace("<svg ", f'<svg fill="{colour or "#" + icon.hex}" ', 1)
    return Image.open(io.BytesIO(bytes(resvg_py.svg_to_bytes(svg_string=svg, width=px, height=px))))


def photo(name: str) -> np.ndarray:
    rgb = getattr(skimage.data, name)()
    if rgb.ndim == 2:
        rgb = np.stack([rgb] * 3, -1)
    height = round(rgb.shape[0] * WIDTH / rgb.shape[1])
    return cv2.resize(np.ascontiguousarray(rgb[..., :3]), (WIDTH, height), cv2.INTER_CUBIC)


def jpeg(rgb: np.ndarray, quality: int) -> Image.Image:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def print_logo(
    background: np.ndarray,
    slug: str,
    width_fraction: float,
    *,
    rotate: float = 0.0,
    perspective: float = 0.0,
    occlude: float = 0.0,
    quality: int = 75,
    seed: int = 0,
    colour: str | None = None,
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The logo printed on the photo (shaded by it), warped, partly covered, JPEG-compressed.

    Returns the photo and the logo's true bounding box.
    """
    rng = np.random.default_rng(seed)
    height, width = background.shape[:2]
    art = np.asarray(render_logo(slug, 512, colour), np.float32)
    ys, xs = np.nonzero(art[..., 3])
    art = art[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    w = round(width_fraction * width)
    h = round(art.shape[0] * w / art.shape[1])
    art = cv2.resize(art, (w, h), interpolation=cv2.INTER_AREA)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    t = np.deg2rad(rotate)
    rot = np.float32([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    dst = (src - [w / 2, h / 2]) @ rot.T + [w / 2, h / 2]
    dst += rng.uniform(-perspective, perspective, (4, 2)) * [w, h]
    dst -= dst.min(axis=0)
    room = np.maximum(1, [width, height] - dst.max(axis=0))
    dst += rng.uniform(0, 1, 2) * room
    warp = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    art = cv2.warpPerspective(art, warp, (width, height))
    alpha = art[..., 3:] / 255.0
    ys, xs = np.nonzero(alpha[..., 0] > 0.5)
    truth = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    lum = cv2.cvtColor(background, cv2.COLOR_RGB2GRAY)[..., None] / 255.0
    ink = art[..., :3] * (0.65 + 0.5 * (lum - lum.mean()))  # the product's texture shows through
    out = background * (1 - alpha) + ink * alpha
    if occlude:
        x0, y0, x1, y1 = truth
        cover = round((x1 - x0) * occlude)
        out[y0:y1, x1 - cover : x1] = cv2.resize(photo("chelsea"), (cover, y1 - y0))
    return jpeg(out.clip(0, 255).astype(np.uint8), quality), truth


def iou(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - ix * iy
    return ix * iy / union


def logo_asset(slug: str, *, opaque: bool = False) -> Asset:
    """A figurative mark registered as the black logo (transparent, or on white if opaque)."""
    image = render_logo(slug, 400, "#000000")
    if opaque:
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    digest = hashlib.sha256(image.tobytes()).hexdigest()
    return Asset(
        id=f"A-{slug}",
        owner="brand",
        kind=AssetKind.FIGURATIVE_MARK,
        name=slug.title(),
        images=(ReferenceImage(sha256=digest, image=image, label=f"{slug} logo"),),
    )


def listing_image(image: Image.Image, name: str = "photo") -> ListingImage:
    return ListingImage(
        url=f"https://shop.test/{name}.jpg",
        sha256=hashlib.sha256(image.tobytes()).hexdigest(),
        image=image,
    )


@pytest.fixture(scope="module")
def matcher() -> LogoMatcher:
    return LogoMatcher([logo_asset("starbucks"), logo_asset("redbull")])


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.4])
@pytest.mark.parametrize(
    "transform",
    [
        {},
        {"rotate": 15.0},
        {"perspective": 0.12},
        {"occlude": 0.3},
        {"rotate": 15.0, "perspective": 0.12, "occlude": 0.3, "quality": 60},
    ],
    ids=["plain", "rotated", "perspective", "occluded", "all"],
)
def test_logo_is_found_where_it_was_printed(
    matcher: LogoMatcher, fraction: float, transform: dict[str, float]
) -> None:
    image, truth = print_logo(photo("coffee"), "starbucks", fraction, seed=7, **transform)
    found = matcher.match([listing_image(image)])
    assert set(found) == {"A-starbucks"}  # and not the other registered logo
    (match,) = found["A-starbucks"]
    assert iou(match.bbox, truth) >= 0.5
    assert len(match.polygon) == 4


@pytest.mark.parametrize("name", ["coffee", "astronaut", "brick", "grass", "chelsea", "rocket"])
def test_photo_without_a_logo_matches_nothing(matcher: LogoMatcher, name: str) -> None:
    assert matcher.match([listing_image(jpeg(photo(name), 80))]) == {}


@pytest.mark.parametrize("other", ["puma", "volkswagen", "ferrari", "adidas"])
def test_a_different_logo_is_not_taken_for_a_registered_one(
    matcher: LogoMatcher, other: str
) -> None:
    image, _ = print_logo(photo("astronaut"), other, 0.3, rotate=10.0, seed=3)
    assert matcher.match([listing_image(image)]) == {}


def test_second_logo_is_told_apart_on_a_textured_surface(matcher: LogoMatcher) -> None:
    image, truth = print_logo(photo("brick"), "redbull", 0.25, rotate=15.0, seed=11)
    found = matcher.match([listing_image(image)])
    assert set(found) == {"A-redbull"}
    assert iou(found["A-redbull"][0].bbox, truth) >= 0.5


def test_opaque_reference_on_white_is_masked_like_a_transparent_one() -> None:
    opaque = LogoMatcher([logo_asset("starbucks", opaque=True)])
    image, truth = print_logo(photo("chelsea"), "starbucks", 0.25, perspective=0.1, seed=5)
    (match,) = opaque.match([listing_image(image)])["A-starbucks"]
    assert iou(match.bbox, truth) >= 0.5


def test_white_logo_on_a_dark_product_is_found_through_the_inverted_view() -> None:
    matcher = LogoMatcher([logo_asset("starbucks")])  # registered black on transparent
    dark = (photo("coffee") * 0.35).astype(np.uint8)
    image, truth = print_logo(dark, "starbucks", 0.3, seed=2, colour="#ffffff")
    (match,) = matcher.match([listing_image(image)])["A-starbucks"]
    assert iou(match.bbox, truth) >= 0.5
    assert match.view.startswith("inverted")


def test_signal_carries_the_region_and_the_image_pair(matcher: LogoMatcher) -> None:
    image, truth = print_logo(photo("coffee"), "starbucks", 0.25, rotate=15.0, seed=1)
    clean = listing_image(jpeg(photo("coffee"), 80), "clean")
    printed = listing_image(image, "printed")
    found = matcher.match([clean, printed])
    asset = logo_asset("starbucks")
    signal = logo_signal(asset, found["A-starbucks"], None)
    assert signal.kind == "logo"
    assert 0.6 <= signal.score <= 1.0
    ev = signal.evidence
    assert ev["listing_image_url"] == "https://shop.test/printed.jpg"
    assert ev["listing_image_sha256"] == printed.sha256
    assert ev["reference_sha256"] == asset.images[0].sha256
    assert all(isinstance(v, int) for v in ev["bbox"])
    assert iou(tuple(ev["bbox"]), truth) >= 0.5
    assert len(ev["polygon"]) == 4 and all(len(p) == 2 for p in ev["polygon"])
    assert ev["inliers"] >= LogoParams().min_inliers
    assert "printed.jpg" in signal.detail and "Starbucks" in signal.detail


def test_results_are_deterministic(matcher: LogoMatcher) -> None:
    image, _ = print_logo(photo("grass"), "redbull", 0.2, perspective=0.1, seed=4)
    first = matcher.match([listing_image(image)])
    second = LogoMatcher([logo_asset("starbucks"), logo_asset("redbull")]).match(
        [listing_image(image)]
    )
    assert first == second and first


def test_coordinates_are_in_the_listing_images_own_pixels(matcher: LogoMatcher) -> None:
    """A photo larger than the work size is matched on a copy, but reported at full size."""
    image, truth = print_logo(photo("coffee"), "starbucks", 0.25, seed=9)
    big = image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)
    (match,) = matcher.match([listing_image(big)])["A-starbucks"]
    assert iou(match.bbox, tuple(2 * v for v in truth)) >= 0.5


def test_work_is_bounded_and_other_kinds_are_ignored() -> None:
    word = Asset(id="W", owner="o", kind=AssetKind.WORD_MARK, name="Word")
    assert not LogoMatcher([word])
    assert LogoMatcher([word]).match([listing_image(jpeg(photo("coffee"), 80))]) == {}
    image, _ = print_logo(photo("coffee"), "starbucks", 0.25, seed=7)
    few = LogoMatcher([logo_asset("starbucks")])
    many = [listing_image(jpeg(photo("brick"), 80), f"p{i}") for i in range(few.params.max_images)]
    assert few.match([*many, listing_image(image)]) == {}  # the ninth image is never looked at
    assert few.match([ListingImage(url="u", image=None), listing_image(image)])


def test_a_plain_logo_on_a_plain_page_is_found() -> None:
    """Few features on both sides: found by the fallback fits, in the right place."""
    image, truth = print_logo(photo("page"), "adidas", 0.3, rotate=-15.0, seed=3)
    (match,) = LogoMatcher([logo_asset("adidas")]).match([listing_image(image)])["A-adidas"]
    assert iou(match.bbox, truth) >= 0.5


def test_one_blob_pairing_with_many_logo_points_does_not_drag_the_fit() -> None:
    """Seven true pairs under a small turn and shift, and twelve logo points that all pair with
    one scene blob: the fit still finds the true placement, and counts the blob once at most."""
    matcher = LogoMatcher([logo_asset("adidas")])
    ref = matcher._references[0]
    w, h = ref.size
    rng = np.random.default_rng(1)
    true_src = np.column_stack([rng.uniform(0, w, 7), rng.uniform(0, h, 7)])
    turn = np.deg2rad(12)
    rotation = 0.4 * np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    true_dst = true_src @ rotation.T + np.array([200.0, 150.0])
    blob_src = np.column_stack([rng.uniform(0, w, 12), rng.uniform(0, h, 12)])
    blob_dst = np.tile([[420.0, 90.0]], (12, 1))
    src = np.vstack([blob_src, true_src]).astype(np.float32)
    dst = np.vstack([blob_dst, true_dst]).astype(np.float32)
    scene_idx = [0] * 12 + list(range(1, 8))
    blank = _LazyEdges(np.zeros((480, 640), np.uint8))  # no outline check is needed here
    fitted = matcher._fit(ref, src, dst, scene_idx, (480, 640), blank)
    assert fitted is not None
    inlier, quad, outline = fitted
    assert outline is None
    assert inlier[12:].all() and inlier[:12].sum() <= 1
    expected = np.array([[0, 0], [w, 0], [w, h], [0, h]]) @ rotation.T + [200.0, 150.0]
    assert np.abs(quad - expected).max() < 2.0


@pytest.mark.parametrize(
    "background,slug,width,turn",
    [("grass", "audi", 0.2, 12.0), ("camera", "mcdonalds", 0.2, 12.0)],
)
def test_a_plain_logo_with_too_few_features_is_confirmed_by_its_outline(
    background: str, slug: str, width: float, turn: float
) -> None:
    """Rings on grass, arches on a photo: too few features agree for a fit on their own; the
    placement is kept because the logo's outline lies on the photo's edges, and says so."""
    image, truth = print_logo(photo(background), slug, width, rotate=turn, seed=5)
    matcher = LogoMatcher([logo_asset(slug)])
    (match,) = matcher.match([listing_image(image)])[f"A-{slug}"]
    assert iou(match.bbox, truth) >= 0.5
    assert match.outline is not None and match.inliers < matcher.params.affine_min_inliers
    assert match.outline.along >= matcher.params.min_outline_along
    assert 0.6 <= match.score(matcher.params) <= 1.0
    evidence = match.as_evidence()
    assert evidence["method"] == "sift+outline" and evidence["outline_along"] >= 0.75
    signal = logo_signal(logo_asset(slug), [match])
    assert "of the logo's outline lies on edges of the photo" in signal.detail


def test_without_the_outline_check_those_placements_are_not_reported() -> None:
    image, _ = print_logo(photo("grass"), "audi", 0.2, rotate=12.0, seed=5)
    strict = LogoMatcher([logo_asset("audi")])
    strict.params = dataclasses.replace(strict.params, min_outline_along=1.01)
    assert strict.match([listing_image(image)]) == {}
