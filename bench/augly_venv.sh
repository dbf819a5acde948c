#!/usr/bin/env bash
# Create the AugLy virtualenv that bench/imageset.py uses to make copy transforms.
#
# AugLy 1.0 (Meta) pins Pillow < 9, which has no wheel for Python 3.11, so Pillow 8.4.0 is
# built from its sdist: that needs a C compiler and the libjpeg, zlib and libfreetype headers
# (Debian: apt-get install build-essential libjpeg-dev zlib1g-dev libfreetype-dev libmagic1).
# AugLy itself goes in with --no-deps: its image functions need only Pillow, numpy, iopath,
# python-magic and regex (numpy 1.23: AugLy still uses the np.float alias), not the torch/librosa/vidgear that its extras pull in.
#
# Usage: bash bench/augly_venv.sh [VENV_DIR]   (default: .venv-augly in the repository root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$root/.venv-augly}"
python="${PYTHON:-python3.11}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/pip" install -q "Pillow==8.4.0" "numpy==1.23.5" "iopath>=0.1.8" \
    "python-magic>=0.4.22" "regex>=2021.4.4"
"$venv/bin/pip" install -q --no-deps "augly==1.0.0"
"$venv/bin/python" -W ignore -c "import augly.image, PIL; print('augly ready, Pillow', PIL.__version__)"
