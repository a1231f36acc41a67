#!/usr/bin/env bash
# The one device call of the forensics evaluation: trains the three students on the lent GPU.
# Run from a folder holding train.py, harvest.txt and clean.txt; weights and check.json go to $OUT.
set -euo pipefail
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader || true
python3 -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__, "cuda", torch.cuda.is_available())'
PYTHONUNBUFFERED=1 python3 train.py . "$OUT" --epochs "${EPOCHS:-60}" 2>&1 | tee "$OUT/train.log" | grep -v "epoch [0-9]*/" || true
tail -3 "$OUT/train.log"
ls -la "$OUT"
