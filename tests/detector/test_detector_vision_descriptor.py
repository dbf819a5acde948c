"""The learned image descriptor on real photographs (skimage.data) with edits applied here."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps
from skimage import data

from detector.settings import DetectionSettings
from detector.vision.descriptor import (
    DESCRIPTOR_MIN_SIMILARITY,
    DescriptorIndex,
    DescriptorMatcher,
    DescriptorUnavailableError,
    descriptor_copy_signal,
    get_descriptor,
)
from detector.vision.descriptor_models import THREADS_ENV, descriptor_threads, rmac_regions
from model import Asset, AssetKind, ListingImage, ReferenceImage

REPO = Path(__file__).resolve().parents[2]


def photo(name: str) -> Image.Image:
    pixels = data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)
    return Image.fromarray(np.asarray(pixels[..., :3], dtype=np.uint8)).convert("RGB")


def sha(image: Image.Image) -> str:
    return hashlib.sha256(image.tobytes()).hexdigest()


def crop_half(image: Image.Image) -> Image.Image:
    """Keep the centre half of each side: a quarter of the photo."""
    w, h = image.size
    return image.crop((w // 4, h // 4, w * 3 // 4, h * 3 // 4))


def overlay_text(image: Image.Image) -> Image.Image:
    out = image.copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    draw.rectangle((0, int(h * 0.72), w, int(h * 0.92)), fill=(200, 20, 20))
    draw.text((w * 0.04, h * 0.74), "SALE -50% FREE SHIP", font=font(h * 0.12), fill="white")
    draw.text((w * 0.05, h * 0.05), "BEST PRICE", font=font(h * 0.1), fill=(255, 230, 0))
    return out


def border_resize(image: Image.Image) -> Image.Image:
    border = int(0.15 * max(image.size))
    out = ImageOps.expand(image, border=border, fill=(245, 245, 245))
    ImageDraw.Draw(out).text(
        (border, out.height - border * 0.8),
        "www.shop.example",
        font=font(border * 0.5),
        fill="black",
    )
    out.thumbnail((300, 300))
    return out


def font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, int(size)))


HARD_EDITS = {"crop 50%": crop_half, "text overlay": overlay_text, "border + resize": border_resize}


@pytest.fixture(scope="module")
def descriptor():
    pytest.importorskip("torch", reason="the descriptor extra is not installed")
    return get_descriptor()


@pytest.fixture(scope="module")
def photos() -> dict[str, Image.Image]:
    names = ("astronaut", "chelsea", "coffee", "rocket", "motorcycle", "immunohistochemistry")
    return {name: photo(name) for name in names}


def test_vectors_are_unit_length_and_deterministic(descriptor, photos):
    images = [photos["astronaut"], photos["coffee"]]
    first = descriptor.embed(images)
    again = descriptor.embed(images)
    assert first.dtype == np.float32
    assert first.shape == (2, descriptor.dimension)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(first, again)


def test_batch_and_single_embeddings_agree(descriptor, photos):
    images = list(photos.values())[:4]
    batch = descriptor.embed(images)
    single = np.concatenate([descriptor.embed([image]) for image in images])
    np.testing.assert_allclose(batch, single, atol=1e-5)


def test_empty_input_gives_an_empty_matrix(descriptor):
    assert descriptor.embed([]).shape == (0, descriptor.dimension)


@pytest.mark.parametrize("edit", HARD_EDITS)
@pytest.mark.parametrize("name", ["astronaut", "chelsea", "coffee"])
def test_hard_copies_score_above_the_threshold(descriptor, photos, name, edit):
    original, copy = descriptor.embed([photos[name], HARD_EDITS[edit](photos[name])])
    assert float(original @ copy) >= DESCRIPTOR_MIN_SIMILARITY


def test_unrelated_photos_score_below_the_threshold(descriptor, photos):
    names = list(photos)
    images = [photos[n] for n in names] + [crop_half(photos[n]) for n in names]
    owners = names + names
    vectors = descriptor.embed(images)
    similarities = vectors @ vectors.T
    for i, a in enumerate(owners):
        for j, b in enumerate(owners):
            if a != b:
                assert similarities[i, j] < DESCRIPTOR_MIN_SIMILARITY, (a, b, similarities[i, j])


def test_index_returns_the_closest_keys_above_the_floor():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(5, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index: DescriptorIndex[str] = DescriptorIndex(16)
    index.add(["a", "b", "c", "d", "e"], vectors)
    hits = index.search(vectors[[2, 4]], k=3, min_similarity=0.99)
    assert [[key for key, _ in row] for row in hits] == [["c"], ["e"]]
    assert hits[0][0][1] == pytest.approx(1.0, abs=1e-5)
    ranked = index.search(vectors[:1], k=3)[0]
    assert len(ranked) == 3
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_index_edge_cases():
    index: DescriptorIndex[int] = DescriptorIndex(8)
    assert index.search(np.ones((2, 8), dtype=np.float32), k=3) == [[], []]
    with pytest.raises(ValueError, match="expected an"):
        index.add([1], np.ones((1, 9), dtype=np.float32))
    with pytest.raises(ValueError, match="keys"):
        index.add([1, 2], np.ones((1, 8), dtype=np.float32))


def test_matcher_finds_the_copied_photo_and_explains_it(descriptor, photos):
    astronaut, rocket = photos["astronaut"], photos["rocket"]
    assets = [
        Asset(
            id="A1",
            owner="o",
            kind=AssetKind.PRODUCT_IMAGE,
            name="Astronaut poster",
            images=(ReferenceImage(sha(astronaut), astronaut, "official photo"),),
        ),
        Asset(
            id="A2",
            owner="o",
            kind=AssetKind.PRODUCT_IMAGE,
            name="Coffee cup",
            images=(ReferenceImage(sha(photos["coffee"]), photos["coffee"], "cup"),),
        ),
        Asset(id="W1", owner="o", kind=AssetKind.WORD_MARK, name="ACME"),
    ]
    settings = DetectionSettings()
    matcher = DescriptorMatcher(assets, settings, descriptor)
    copy = border_resize(overlay_text(crop_half(astronaut)))
    listing = (
        ListingImage("https://shop.example/1.jpg", sha(copy), copy),
        ListingImage("https://shop.example/2.jpg", sha(rocket), rocket),
        ListingImage("https://shop.example/3.jpg", None, None),
    )
    matches = matcher.match(listing)
    assert set(matches) == {"A1"}
    assert [m.listing_image.url for m in matches["A1"]] == ["https://shop.example/1.jpg"]
    signal = descriptor_copy_signal(assets[0], matches["A1"], settings)
    assert signal.kind == "image_copy"
    assert 0.5 <= signal.score <= 1.0
    assert "official photo" in signal.detail
    evidence = signal.evidence
    assert evidence["level"] == "descriptor"
    assert evidence["reference_sha256"] == sha(astronaut)
    assert evidence["listing_image_url"] == "https://shop.example/1.jpg"
    assert evidence["listing_image_sha256"] == sha(copy)
    assert evidence["similarity"] >= evidence["threshold"] == DESCRIPTOR_MIN_SIMILARITY


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_importing_and_building_load_no_model():
    code = (
        "import sys\n"
        "from model import Asset, AssetKind, ListingImage\n"
        "from detector.settings import DetectionSettings\n"
        "from PIL import Image\n"
        "import detector.vision.descriptor as d\n"
        "d.get_descriptor()\n"
        "word = Asset(id='W', owner='o', kind=AssetKind.WORD_MARK, name='ACME')\n"
        "m = d.DescriptorMatcher([word], DetectionSettings())\n"
        "img = ListingImage('u', None, Image.new('RGB', (64, 64), 'red'))\n"
        "print(m.match([img]), 'torch' in sys.modules, sorted(d.loaded_descriptors()))\n"
    )
    assert _run(code) == "{} False []"


def test_missing_torch_names_the_extra_to_install():
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "from PIL import Image\n"
        "import detector.vision.descriptor as d\n"
        "try:\n"
        "    d.get_descriptor().embed([Image.new('RGB', (32, 32))])\n"
        "except d.DescriptorUnavailableError as exc:\n"
        "    print(exc)\n"
    )
    assert "pip install 'ipwatch[descriptor]'" in _run(code)


def test_unknown_descriptor_name_is_refused():
    with pytest.raises(DescriptorUnavailableError, match="efficientnet-lite0"):
        get_descriptor("resnet-9000")


def test_thread_count_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(THREADS_ENV, "3")
    assert descriptor_threads() == 3
    monkeypatch.setenv(THREADS_ENV, "many")
    with pytest.raises(DescriptorUnavailableError, match=THREADS_ENV):
        descriptor_threads()
    monkeypatch.delenv(THREADS_ENV)
    assert descriptor_threads() >= 1


def test_rmac_regions_cover_the_map_at_three_levels():
    regions = rmac_regions(10, 10, 3)
    assert len(regions) == 1 + 4 + 9
    assert regions[0] == (0, 0, 10)
    assert all(t + s <= 10 and x + s <= 10 for t, x, s in regions)


def test_unknown_descriptor_device_is_refused_by_settings_and_loader():
    from detector.exceptions import SettingsError

    with pytest.raises(SettingsError, match="descriptor_device must be cpu, cuda, cuda:N or auto"):
        DetectionSettings.from_mapping({"descriptor_device": "gpu0"})
    with pytest.raises(DescriptorUnavailableError, match="cpu, cuda, cuda:N or auto"):
        get_descriptor(device="tpu")


def test_device_setting_is_runtime_so_cached_findings_serve_every_device():
    cpu = DetectionSettings.from_mapping({"descriptor_device": "cpu"})
    gpu = DetectionSettings.from_mapping({"descriptor_device": "cuda:1"})
    assert cpu.scoring_repr() == gpu.scoring_repr()


def test_a_cuda_device_runs_in_half_precision_or_is_refused_where_there_is_none(descriptor, photos):
    """On a machine with a GPU the fp16 vectors match the CPU's; without one, asking for it is
    a clear error (never a silent CPU fall-back), and ``auto`` is the CPU, bit for bit."""
    import torch

    images = list(photos.values())[:3]
    on_cpu = descriptor.embed(images)
    if torch.cuda.is_available():
        on_gpu = get_descriptor(device="cuda").embed(images)
        assert on_gpu.shape == on_cpu.shape
        np.testing.assert_allclose((on_gpu * on_cpu).sum(axis=1), 1.0, atol=1e-3)
        return
    with pytest.raises(DescriptorUnavailableError, match="torch sees 0 CUDA device"):
        get_descriptor(device="cuda").embed(images)
    np.testing.assert_array_equal(get_descriptor(device="auto").embed(images), on_cpu)
