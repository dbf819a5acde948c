"""Apply AugLy copy transforms to images: runs ONLY inside the AugLy virtualenv, as a subprocess.

AugLy 1.0 (Meta's copy-detection augmentation library) wants Pillow < 9, which the project's
own environment cannot have, so ``bench/imageset.py`` keeps it in a separate virtualenv
(``bench/augly_venv.sh``) and sends this script a JSON document on standard input::

    {"jobs": [{"src": "in.png", "out": "out.png", "seed": 7,
               "ops": [["crop", {"x1": 0.1, "y1": 0.0, "x2": 1.0, "y2": 0.9}], ...]}]}

Each op names a function of ``augly.image.functional`` and its keyword arguments. String
arguments starting with ``augly-asset:`` are paths inside AugLy's bundled assets (fonts,
emoji, screenshot templates); ``image:`` arguments are other image files (overlay, background).
Outputs are lossless PNG (JPEG artefacts from ``encoding_quality`` stay in the pixels). It
prints one JSON line: the AugLy and Pillow versions and how many jobs ran. Standard library,
AugLy and Pillow only: the project's packages are not importable here.
"""

from __future__ import annotations

import json
import os
import random
import sys
import warnings
from typing import Any

MAX_JOBS = 20_000  # the whole image set is a few thousand jobs; refuse anything absurd


def _resolve(key: str, value: Any, assets_dir: str) -> Any:
    """Turn ``augly-asset:`` / ``image:`` strings into paths / opened images."""
    from PIL import Image

    if isinstance(value, str) and value.startswith("augly-asset:"):
        relative = value.removeprefix("augly-asset:")
        path = os.path.normpath(os.path.join(assets_dir, relative))
        if not path.startswith(assets_dir + os.sep):
            raise ValueError(f"asset path {relative!r} leaves AugLy's assets folder")
        return path
    if isinstance(value, str) and value.startswith("image:"):
        with Image.open(value.removeprefix("image:")) as im:
            return im.convert("RGB")
    if key.endswith("color") and isinstance(value, list):
        return tuple(value)  # colours travel as JSON lists; AugLy wants tuples
    return value


def run(jobs: list[dict[str, Any]]) -> int:
    """Apply every job's ops in order and save the result; returns the number of jobs done."""
    import augly
    import augly.image.functional as functional
    import numpy as np
    from PIL import Image

    assets_dir = os.path.join(os.path.dirname(augly.__file__), "assets")
    for job in jobs:
        # Some AugLy ops draw from the global generators when a parameter is left out:
        # seed both so a job gives the same pixels every time.
        random.seed(job["seed"])
        np.random.seed(job["seed"] % 2**32)
        with Image.open(job["src"]) as source:
            image = source.convert("RGB")
        for name, kwargs in job["ops"]:
            func = getattr(functional, name, None)
            if func is None or name.startswith("_"):
                raise ValueError(f"AugLy has no image function {name!r}")
            args = {k: _resolve(k, v, assets_dir) for k, v in kwargs.items()}
            image = func(image, **args).convert("RGB")
        image.save(job["out"], format="PNG", compress_level=1)
    return len(jobs)


def main() -> int:
    warnings.simplefilter("ignore")  # AugLy imports distutils and old numpy aliases
    document = json.load(sys.stdin)
    jobs = document["jobs"]
    if len(jobs) > MAX_JOBS:
        print(f"refusing {len(jobs)} jobs (max {MAX_JOBS})", file=sys.stderr)
        return 2
    import augly
    import PIL

    done = run(jobs)
    versions = {"augly": getattr(augly, "__version__", "1.0.0"), "pillow": PIL.__version__}
    print(json.dumps({"done": done, **versions}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
