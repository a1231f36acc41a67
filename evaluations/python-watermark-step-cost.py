"""Cost of one watermarked sampling step in Python (aegis_watermark.WatermarkSampler.choose), next to
the cost of one decode step of SmolLM2-135M through transformers, on the same machine in the same run.

    .venv-watermark/bin/python evaluations/python-watermark-step-cost.py [--steps 40]

Prints one JSON object a line: scheme, settings, median milliseconds per step; and the median
forward milliseconds per decoded token. Logits are the model's own, captured from a plain generation.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
import torch

from aegis_watermark import SamplingSettings, WatermarkConfig, WatermarkKey, WatermarkSampler
from aegis_watermark.generate import Generator


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", default="models/SmolLM2-135M-Instruct.Q4_1.gguf")
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    generator = Generator(args.gguf, 1)
    ids = generator.encode("Write a short story about a robot learning to paint.", False)
    forward, rows, context = [], [], ids[0].tolist()
    with torch.inference_mode():
        past = None
        step_input = ids
        for _ in range(args.steps):
            start = time.perf_counter()
            output = generator.model(step_input, past_key_values=past, use_cache=True)
            forward.append(time.perf_counter() - start)
            past = output.past_key_values
            logits = output.logits[0, -1].to(torch.float32).numpy().copy()
            rows.append((logits, context[-4:]))
            token = int(np.argmax(logits))
            context.append(token)
            step_input = torch.tensor([[token]])
    print(json.dumps({"forward_ms_per_token_median": round(statistics.median(forward[1:]) * 1e3, 2)}))
    key = WatermarkKey.from_hex("0123456789abcdef" * 4)
    rng = np.random.default_rng(0)
    for settings in [SamplingSettings(1.0, 0, 0.95, 0.05), SamplingSettings(0.7, 0, 0.95, 0.05),
                     SamplingSettings(1.0, 0, 0.95, 0.0), SamplingSettings(1.0, 0, 1.0, 0.0)]:
        for scheme in ("kgw", "gumbel", "synthid"):
            sampler = WatermarkSampler(WatermarkConfig(scheme, key, payload_bits=8, payload=92))
            times = []
            for logits, window in rows:
                start = time.perf_counter()
                sampler.choose(logits, window, settings, rng.random)
                times.append(time.perf_counter() - start)
            print(json.dumps({"scheme": scheme, "temperature": settings.temperature, "top_p": settings.top_p,
                              "min_p": settings.min_p, "step_ms_median": round(statistics.median(times) * 1e3, 3)}))


if __name__ == "__main__":
    main()
