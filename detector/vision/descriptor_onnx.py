"""The descriptor network run by ONNX Runtime on the CPU: the same weights for less CPU.

Measured on this project's 2-core machine, one thread each, one photo a call: ONNX Runtime's
feature map took about 36 CPU ms against torch's 60-72 ms, vectors within 1e-6 cosine
(``bench/descriptor_paths.py`` measures recall and precision on the image set beside it).

The network is exported in memory each time a process builds its descriptor (about 2 CPU s),
never read from a file: a model file in the data folder would be one more thing an insider could
swap for a network that never matches. The export traces a deep copy, in eval mode: the exporter
puts the module it is given back in that module's own mode, and a new wrapper module is in training
mode, which left the live network's batch norms on batch statistics (torch's vectors then moved by
up to 0.11 cosine).
"""

from __future__ import annotations

import copy
import io
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from detector.settings import DESCRIPTOR_RUNTIMES as RUNTIMES
from detector.vision.descriptor import DescriptorUnavailableError

if TYPE_CHECKING:
    import torch

OPSET = 17
EXPORT_HINT = (
    "running the descriptor in ONNX Runtime needs the onnx package to export the network;"
    " install the optional extra: pip install 'ipwatch[descriptor]', or set"
    " descriptor_runtime: torch"
)


def missing_exporter() -> str | None:
    """Why the ONNX Runtime path cannot be built here, or None when it can."""
    try:
        import onnx  # noqa: F401  (torch's exporter writes through it)
        import onnxruntime  # noqa: F401
    except ImportError:
        return EXPORT_HINT
    return None


def choose_runtime(runtime: str, device_type: str) -> str:
    """``torch`` or ``onnxruntime`` for this setting on this device; ``auto`` takes ONNX Runtime
    on the CPU where it can be built, torch on a GPU (half precision, large batches)."""
    if runtime not in RUNTIMES:
        raise DescriptorUnavailableError(
            f"unknown descriptor runtime {runtime!r}; use {', '.join(RUNTIMES)}"
        )
    if runtime == "torch" or (runtime == "auto" and device_type != "cpu"):
        return "torch"
    if device_type != "cpu":
        raise DescriptorUnavailableError(
            f"descriptor_runtime onnxruntime runs on the CPU only, not on {device_type};"
            " set descriptor_runtime: auto or torch for a GPU"
        )
    reason = missing_exporter()
    if reason is None:
        return "onnxruntime"
    if runtime == "auto":
        return "torch"
    raise DescriptorUnavailableError(reason)


class OnnxFeatureMap:
    """``network.extract_features`` for (N, 3, side, side) float32 pixels, in ONNX Runtime."""

    def __init__(self, network: torch.nn.Module, side: int, threads: int) -> None:
        import onnxruntime
        import torch

        class Features(torch.nn.Module):
            def __init__(self, net: torch.nn.Module) -> None:
                super().__init__()
                self.net: Any = net

            def forward(self, batch: torch.Tensor) -> Any:
                return self.net.extract_features(batch)

        # The padding arithmetic is traced for the fixed input side (every input is squashed
        # to it), which is what these warnings say. The TorchScript exporter is deprecated in
        # favour of torch.export's, which needs onnxscript as well; while the locked torch has
        # it, it is the one used, and a torch without it falls back (see choose_runtime's caller).
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)  # type: ignore[attr-defined]
        warnings.filterwarnings(
            "ignore", message="You are using the legacy TorchScript", category=DeprecationWarning
        )
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.onnx\.")
        buffer = io.BytesIO()
        torch.onnx.export(
            Features(copy.deepcopy(network)).eval(),
            (torch.zeros(1, 3, side, side),),
            buffer,  # type: ignore[arg-type]  # the TorchScript exporter takes a file object
            dynamo=False,
            input_names=["pixels"],
            output_names=["features"],
            dynamic_axes={"pixels": {0: "n"}},
            opset_version=OPSET,
        )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            buffer.getvalue(), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        (features,) = self._session.run(["features"], {"pixels": pixels})
        return np.asarray(features, dtype=np.float32)
