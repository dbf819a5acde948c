#!/usr/bin/env bash
# Create the AugLy virtualenv that bench/imageset.py uses to make copy transforms, with exactly
# the versions and hashes of requirements/augly.txt (inputs and reasons: requirements/augly.in;
# `make lock` re-resolves it).
#
# AugLy 1.0 (Meta) pins Pillow < 9, which has no wheel for Python 3.11, so Pillow 8.4.0 is
# built from its sdist: that needs a C compiler and the libjpeg, zlib and libfreetype headers
# (Debian: apt-get install build-essential libjpeg-dev zlib1g-dev libfreetype-dev libmagic1).
#
# Usage: bash bench/augly_venv.sh [VENV_DIR]   (default: .venv-augly in the repository root;
# `make augly-venv` runs it again from scratch whenever the lock changes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$root/.venv-augly}"
python="${PYTHON:-python3.11}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check --require-hashes -r "$root/requirements/augly.txt"
"$venv/bin/python" -W ignore -c "import augly.image, PIL; print('augly ready, Pillow', PIL.__version__)"
