"""Design patents: patent-style line drawings against rendered products on real photographs.

The products are surfaces of revolution shaded by a light and textured with a skimage photo,
set on a real photograph; the drawings are outline, edge lines between surfaces, shading lines
and a figure label, drawn from the same profile. Shape is all the two share.
"""

from __future__ import annotations

import hashlib
import io

import cv2
import numpy as np
import pytest
import skimage.data
from PIL import Image

from detector.vision.designs import (
    DesignMatcher,
    compare,
    design_signal,
    drawing_shape,
    photo_shape,
)
from model import Asset, AssetKind, ListingImage, ReferenceImage

PROFILES = {  # y from top (0) to bottom (1) -> radius, as a fraction of the height
    "bottle": [(0, 0.07), (0.18, 0.07), (0.32, 0.2), (0.4, 0.22), (1, 0.22)],
    "vase": [(0, 0.18), (0.1, 0.12), (0.35, 0.3), (0.7, 0.28), (1, 0.12)],
    "cup": [(0, 0.36), (0.9, 0.3), (1, 0.22)],
    "goblet": [(0, 0.25), (0.35, 0.2), (0.5, 0.04), (0.88, 0.04), (0.92, 0.22), (1, 0.24)],
    "hourglass": [(0, 0.3), (0.5, 0.08), (1, 0.3)],
}


def gray_photo(name: str) -> np.ndarray:
    image = getattr(skimage.data, name)()
    return image if image.ndim == 2 else cv2.cvtColor(image[..., :3], cv2.COLOR_RGB2GRAY)


def product_photo(name: str, background: str, colour: tuple[int, int, int]) -> Image.Image:
    """The product rendered (Lambert shading, gravel texture) on a real photo, as a JPEG."""
    height = 300
    ys = np.linspace(0, 1, height)
    py, pr = zip(*PROFILES[name], strict=True)
    radius = np.interp(ys, py, pr) * height
    slope = np.gradient(radius, ys) / height
    half = int(radius.max()) + 1
    x = np.arange(-half, half + 1, dtype=np.float32)
    texture = gray_photo("gravel").astype(np.float32) / 255.0
    light = np.array([-0.5, -0.4, 0.77]) / np.linalg.norm([-0.5, -0.4, 0.77])
    canvas = cv2.resize(getattr(skimage.data, background)(), (480, 400)).astype(np.float32)
    if canvas.ndim == 2:
        canvas = np.stack([canvas] * 3, -1)
    top, left = 50, 240 - half
    for row in range(height):
        r = radius[row]
        inside = np.abs(x) <= r
        z = np.sqrt(np.clip(r * r - x * x, 0, None))
        normal = np.stack([x, np.full_like(x, -r * slope[row]), z], -1)
        normal /= np.linalg.norm(normal, axis=-1, keepdims=True) + 1e-9
        shade = 0.25 + 0.75 * np.clip(normal @ light, 0, 1)
        u = ((np.arctan2(x, z + 1e-9) / np.pi + 1) * 120).astype(int) % texture.shape[1]
        grain = 0.75 + 0.5 * (texture[row % texture.shape[0], u] - 0.5)
        pixels = np.array(colour, np.float32) * (shade * grain)[:, None]
        line = canvas[top + row, left : left + len(x)]
        line[inside] = pixels[inside]
    buf = io.BytesIO()
    Image.fromarray(canvas.clip(0, 255).astype(np.uint8)).save(buf, "JPEG", quality=80)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def patent_drawing(name: str) -> Image.Image:
    """Front elevation in patent style: outline, surface edges, shading lines, 'FIG. 1'."""
    h, width, height = 400, 600, 560
    ys = np.linspace(0, 1, 400)
    py, pr = zip(*PROFILES[name], strict=True)
    radius = np.interp(ys, py, pr) * h
    image = np.full((height, width), 255, np.uint8)
    cx, top = width // 2, (height - h) // 2
    left = np.stack([cx - radius, top + ys * h], -1).astype(np.int32)
    right = np.stack([cx + radius, top + ys * h], -1).astype(np.int32)
    cv2.polylines(image, [np.concatenate([left, right[::-1]])], True, 0, 2, cv2.LINE_AA)
    for y_break, _ in PROFILES[name][1:-1]:
        y, r = int(top + y_break * h), int(np.interp(y_break, ys, radius))
        cv2.line(image, (cx - r, y), (cx + r, y), 0, 1, cv2.LINE_AA)
    for frac in (0.6, 0.75, 0.87):
        shading = np.stack([cx + frac * radius, top + ys * h], -1).astype(np.int32)
        cv2.polylines(image, [shading[20:-20]], False, 0, 1, cv2.LINE_AA)
    cv2.putText(
        image, "FIG. 1", (width // 2 - 40, height - 12), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2
    )
    return Image.fromarray(image).convert("RGB")


def design_asset(name: str) -> Asset:
    drawing = patent_drawing(name)
    return Asset(
        id=f"D-{name}",
        owner="maker",
        kind=AssetKind.DESIGN_PATENT,
        name=f"{name.title()} design",
        images=(
            ReferenceImage(
                sha256=hashlib.sha256(drawing.tobytes()).hexdigest(),
                image=drawing,
                label="FIG. 1 front elevation",
            ),
        ),
    )


def listing_image(image: Image.Image, name: str) -> ListingImage:
    digest = hashlib.sha256(image.tobytes()).hexdigest()
    return ListingImage(url=f"https://shop.test/{name}.jpg", sha256=digest, image=image)


SCENES = [("grass", (60, 120, 200)), ("brick", (180, 90, 40))]


@pytest.fixture(scope="module")
def views() -> dict[str, object]:
    return {name: drawing_shape(patent_drawing(name)) for name in PROFILES}


@pytest.mark.parametrize(("background", "colour"), SCENES)
@pytest.mark.parametrize(
    "product",
    [
        *(p for p in PROFILES if p != "bottle"),
        pytest.param(
            "bottle",
            marks=pytest.mark.xfail(
                reason="known weakness: GrabCut merges the bottle's narrow neck with the"
                " brick wall, and the widened outline is nearer the vase drawing",
                strict=False,
            ),
        ),
    ],
)
def test_product_is_closest_to_its_own_drawing(
    views: dict[str, object], product: str, background: str, colour: tuple[int, int, int]
) -> None:
    shape = photo_shape(product_photo(product, background, colour))
    assert shape is not None
    scores = {name: compare(view, shape)["score"] for name, view in views.items()}  # type: ignore[arg-type]
    assert max(scores, key=scores.__getitem__) == product, scores


def test_matcher_flags_only_the_copied_design_and_explains_it() -> None:
    matcher = DesignMatcher([design_asset(name) for name in PROFILES])
    copy = listing_image(product_photo("cup", "grass", (60, 120, 200)), "cup")
    found = matcher.match([copy])
    assert set(found) == {"D-cup"}
    signal = design_signal(design_asset("cup"), found["D-cup"], None)
    assert signal.kind == "design"
    assert signal.score >= matcher.params.min_score
    ev = signal.evidence
    assert ev["listing_image_url"] == copy.url and ev["listing_image_sha256"] == copy.sha256
    assert ev["reference_label"] == "FIG. 1 front elevation"
    assert ev["silhouette_iou"] > 0.8
    assert "FIG. 1 front elevation" in signal.detail and "cup.jpg" in signal.detail


def test_unrelated_photos_match_no_design() -> None:
    matcher = DesignMatcher([design_asset(name) for name in PROFILES])
    photos = [
        listing_image(Image.fromarray(getattr(skimage.data, name)()).convert("RGB"), name)
        for name in ("chelsea", "rocket", "coffee", "astronaut")
    ]
    assert matcher.match(photos) == {}


def test_drawing_label_and_shading_do_not_change_the_silhouette() -> None:
    shape = drawing_shape(patent_drawing("vase"))
    assert shape is not None
    # The silhouette is the filled outline: most of its box, not just thin lines or the label.
    assert shape.silhouette.mean() > 0.3


def test_non_design_assets_and_blank_drawings_are_ignored() -> None:
    blank = Image.new("RGB", (200, 200), "white")
    asset = Asset(
        id="D-blank",
        owner="o",
        kind=AssetKind.DESIGN_PATENT,
        name="Blank",
        images=(ReferenceImage(sha256="0" * 64, image=blank),),
    )
    word = Asset(id="W", owner="o", kind=AssetKind.WORD_MARK, name="Word")
    matcher = DesignMatcher([asset, word])
    assert not matcher
    assert matcher.match([listing_image(product_photo("cup", "grass", (90, 90, 90)), "c")]) == {}
