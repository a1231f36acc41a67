#!/usr/bin/env bash
# Makes the evaluation's pinned Python environment (idempotent): evaluations/forensics/.venv-forensics
# with PyTorch (CPU build; a local wheel in /opt/wheels is used when present) and transformers.
set -euo pipefail
cd "$(dirname "$0")"
venv=.venv-forensics
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import torch, transformers, numpy' 2>/dev/null; then
  echo "$venv"; exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q torch==2.13.0 transformers==5.25.0 numpy==2.4.6
echo "$venv"
