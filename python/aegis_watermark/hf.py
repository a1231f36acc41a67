"""The Hugging Face transformers adapter: a `LogitsProcessor` that embeds Aegis's watermark.

    processor = AegisWatermarkLogitsProcessor(config, SamplingSettings(temperature=1.0, top_p=0.95, min_p=0.05))
    model.generate(**inputs, logits_processor=LogitsProcessorList([processor]), do_sample=False, max_new_tokens=200)

The sampling settings belong to the processor: it performs the watermarked step (as the
Swift sampler does) and leaves one finite logit, so `generate` may run greedy or sample
with any settings and still returns the processor's choice (see engine.py). The row's
probabilities (`output_scores`) are therefore one-hot, not the model's.

`mode="bias"` (KGW only) is the classic alternative: δ is added to the green logits of
the whole vocabulary and generate's own temperature/top-k/top-p/min-p and draw follow.
It is detected the same way, but truncates in transformers' order (top-k, top-p, then
min-p) and hashes the whole vocabulary each step (a few ms in numpy at 49k tokens).
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import torch
from transformers import LogitsProcessor

from .config import WatermarkConfig
from .errors import WatermarkConfigError
from .sampler import SamplingSettings, WatermarkSampler


class AegisWatermarkLogitsProcessor(LogitsProcessor):
    """Embeds the watermark of `config` (its key, scheme and payload) into every generated token."""

    def __init__(self, config: WatermarkConfig, settings: SamplingSettings = SamplingSettings(),
                 seed: Optional[int] = None, mode: str = "choose") -> None:
        if mode not in ("choose", "bias"):
            raise WatermarkConfigError(f"unknown processor mode '{mode}'; use choose or bias")
        if mode == "bias" and config.scheme != "kgw":
            raise WatermarkConfigError(f"mode 'bias' exists for kgw only (got {config.scheme}); use mode 'choose'")
        self.sampler = WatermarkSampler(config.validate())
        self.settings = settings
        self.mode = mode
        self.rng = np.random.default_rng(seed)

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        width = self.sampler.context_width
        contexts = input_ids[:, -width:].tolist() if width > 0 else [[] for _ in range(input_ids.shape[0])]
        rows = scores.detach().to(torch.float32).cpu().numpy()
        if self.mode == "bias":
            delta = float(self.sampler.delta)
            for i, context in enumerate(contexts):
                green = self.sampler.green(context, np.arange(rows.shape[1]))
                rows[i, green] += delta
            return torch.from_numpy(rows).to(device=scores.device, dtype=scores.dtype)
        chosen = [self.sampler.choose(rows[i], context, self.settings, self.rng.random) for i, context in enumerate(contexts)]
        scores = scores.clone()
        scores.fill_(-float("inf"))
        index = torch.tensor(chosen, device=scores.device, dtype=torch.long)
        scores[torch.arange(scores.shape[0], device=scores.device), index] = 0
        return scores
