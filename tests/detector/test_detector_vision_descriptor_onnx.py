"""The descriptor run by ONNX Runtime gives torch's vectors and leaves torch's network as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps
from skimage import data

from detector.exceptions import SettingsError
from detector.settings import DetectionSettings
from detector.vision.descriptor import DESCRIPTOR_MIN_SIMILARITY, DescriptorUnavailableError
from detector.vision.descriptor_onnx import OnnxFeatureMap, choose_runtime

REPO = Path(__file__).resolve().parents[2]

pytest.importorskip("torch", reason="the descriptor extra is not installed")


def photos() -> list[Image.Image]:
    """Real photographs and an edited copy of each (a crop, a banner, a frame)."""
    originals = [
        Image.fromarray(getattr(data, name)()).convert("RGB")
        for name in ("astronaut", "chelsea", "coffee", "rocket")
    ]
    edited = []
    for i, image in enumerate(originals):
        w, h = image.size
        if i % 3 == 0:
            edited.append(image.crop((w // 6, h // 6, w * 5 // 6, h * 5 // 6)))
        elif i % 3 == 1:
            banner = image.copy()
            ImageDraw.Draw(banner).rectangle((0, h * 3 // 4, w, h), fill=(230, 30, 30))
            edited.append(banner)
        else:
            edited.append(ImageOps.expand(image, border=w // 8, fill=(250, 250, 250)))
    return originals + edited


@pytest.fixture(scope="module")
def both():
    from detector.vision.descriptor_models import EfficientNetLite0Descriptor

    return (
        EfficientNetLite0Descriptor(runtime="torch"),
        EfficientNetLite0Descriptor(runtime="onnxruntime"),
    )


def test_onnxruntime_gives_torchs_vectors_and_the_same_copy_decisions(both):
    by_torch, by_onnx = both
    assert (by_torch.runtime, by_onnx.runtime) == ("torch", "onnxruntime")
    images = photos()
    a, b = by_torch.embed(images), by_onnx.embed(images)
    assert float((a * b).sum(axis=1).min()) > 0.9999
    originals, copies = slice(0, 4), slice(4, 8)
    decide = lambda v: (v[copies] @ v[originals].T) >= DESCRIPTOR_MIN_SIMILARITY  # noqa: E731
    assert np.array_equal(decide(a), decide(b))
    assert decide(b).diagonal().all()  # each edited copy still found by the faster path


def test_one_photo_a_call_and_a_batch_agree_under_onnxruntime(both):
    _, by_onnx = both
    images = photos()[:5]
    batch = by_onnx.embed(images)
    single = np.concatenate([by_onnx.embed([image]) for image in images])
    np.testing.assert_allclose(batch, single, atol=1e-5)


def test_exporting_leaves_the_live_torch_network_unchanged(both):
    """The exporter restores the training mode of the module it traced: a wrapper left in
    training mode put the live network's batch norms on batch statistics."""
    by_torch, _ = both
    images = photos()[:3]
    before = by_torch.embed(images)
    OnnxFeatureMap(by_torch._model, 320, threads=1)
    assert not by_torch._model.training
    np.testing.assert_array_equal(by_torch.embed(images), before)


def test_auto_takes_onnxruntime_on_the_cpu_and_torch_on_a_gpu():
    assert choose_runtime("auto", "cpu") == "onnxruntime"
    assert choose_runtime("auto", "cuda") == "torch"
    assert choose_runtime("torch", "cpu") == "torch"
    with pytest.raises(DescriptorUnavailableError, match="CPU only"):
        choose_runtime("onnxruntime", "cuda")
    with pytest.raises(DescriptorUnavailableError, match="unknown descriptor runtime"):
        choose_runtime("tensorrt", "cpu")


def test_the_runtime_setting_is_checked_and_does_not_change_cached_findings():
    with pytest.raises(SettingsError, match="descriptor_runtime must be auto, torch, onnxruntime"):
        DetectionSettings.from_mapping({"descriptor_runtime": "tensorrt"})
    torch_run = DetectionSettings.from_mapping({"descriptor_runtime": "torch"})
    onnx_run = DetectionSettings.from_mapping({"descriptor_runtime": "onnxruntime"})
    assert torch_run.scoring_repr() == onnx_run.scoring_repr()


def test_without_the_onnx_exporter_auto_falls_back_and_asking_for_it_names_the_extra():
    code = (
        "import sys\n"
        "sys.modules['onnx'] = None\n"
        "from detector.vision.descriptor_onnx import choose_runtime\n"
        "print(choose_runtime('auto', 'cpu'))\n"
        "try:\n"
        "    choose_runtime('onnxruntime', 'cpu')\n"
        "except Exception as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    first, reason = out.splitlines()[:2]
    assert first == "torch"
    assert "pip install 'ipwatch[descriptor]'" in reason
    assert "descriptor_runtime: torch" in reason
