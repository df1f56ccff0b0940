#!/usr/bin/env bash
# Regenerates requirements.lock from pyproject.toml (all extras) for Python 3.11.
# Airflow's constraints files cannot be downloaded here, so this lock is what makes two machines agree.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
    --no-header --output-file requirements.lock
