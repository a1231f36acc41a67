"""The vLLM adapter: a V1 logits processor (`vllm.v1.sample.logits_processor.LogitsProcessor`).

Load it with

    AEGIS_WATERMARK_KEY_FILE=/etc/aegis/watermark.key AEGIS_WATERMARK_SCHEME=kgw \\
    vllm serve MODEL --logits-processors aegis_watermark.vllm_processor:AegisWatermarkLogitsProcessor

Configuration comes from the environment (`engine.config_from_environment`: the key is
read from a key file, never from a request). Each request's payload arrives as
`SamplingParams.extra_args["aegis_payload"]`, i.e. the REST body's
`"vllm_xargs": {"aegis_payload": N}`; a request without it embeds payload 0. An invalid
payload fails the request at admission (`validate_params`, HTTP 400 through the server).

Per step the processor takes each request's logits row, runs the watermarked step with
the request's own temperature, top-k, top-p and min-p (the Swift sampler's order) and a
uniform from the request's generator (seeded by `SamplingParams.seed` when given), and
leaves one finite logit; vLLM's temperature, min-p, top-k/top-p and draw then keep it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import torch
from vllm import SamplingParams
from vllm.v1.sample.logits_processor import BatchUpdate, LogitsProcessor, MoveDirectionality

from .config import parse_payload
from .engine import PAYLOAD_ARGUMENT, SamplerCache, config_from_environment, context_tail
from .errors import WatermarkConfigError
from .sampler import SamplingSettings, WatermarkSampler

if TYPE_CHECKING:
    from vllm.config import VllmConfig


class _Request:
    """The state of one request in the persistent batch."""

    __slots__ = ("sampler", "settings", "prompt", "output", "rng")

    def __init__(self, sampler: WatermarkSampler, settings: SamplingSettings, prompt: Optional[list[int]],
                 output: list[int], rng: np.random.Generator) -> None:
        self.sampler = sampler
        self.settings = settings
        self.prompt = prompt or []
        self.output = output  # vLLM's live list of generated tokens: read, never copied
        self.rng = rng


def request_payload(params: SamplingParams, bits: int) -> int:
    """The payload of a request: `extra_args["aegis_payload"]`, 0 when absent (one-line error when invalid)."""
    extra: Any = getattr(params, "extra_args", None) or {}
    if PAYLOAD_ARGUMENT not in extra:
        return 0
    return parse_payload(extra[PAYLOAD_ARGUMENT], bits)


def request_settings(params: SamplingParams) -> SamplingSettings:
    """The request's sampling settings in the sampler's terms (vLLM: top_k ≤ 0 or −1 means off)."""
    top_k = int(params.top_k or 0)
    return SamplingSettings(temperature=float(params.temperature), top_k=max(top_k, 0),
                            top_p=float(params.top_p if params.top_p is not None else 1.0),
                            min_p=float(params.min_p or 0.0))


class AegisWatermarkLogitsProcessor(LogitsProcessor):
    """Embeds Aegis's watermark into every request of the batch (see the module's documentation)."""

    _config = None

    @classmethod
    def _configuration(cls):
        if cls._config is None:
            cls._config = config_from_environment()
        return cls._config

    @classmethod
    def validate_params(cls, sampling_params: SamplingParams) -> None:
        """Rejects a request whose `aegis_payload` is not a whole number of the configured width."""
        try:
            request_payload(sampling_params, cls._configuration().payload_bits)
        except WatermarkConfigError as error:
            raise ValueError(str(error)) from None

    def __init__(self, vllm_config: "VllmConfig", device: torch.device, is_pin_memory: bool) -> None:
        self.samplers = SamplerCache(self._configuration())
        self.requests: dict[int, _Request] = {}

    def is_argmax_invariant(self) -> bool:
        """False: the watermark changes which token wins, greedy decoding included."""
        return False

    def update_state(self, batch_update: Optional[BatchUpdate]) -> None:
        """Follows the persistent batch: removed, then added, then moved requests."""
        if batch_update is None:
            return
        for index in batch_update.removed:
            self.requests.pop(index, None)
        for index, params, prompt, output in batch_update.added:
            payload = request_payload(params, self.samplers.config.payload_bits)
            seed = getattr(params, "seed", None)
            self.requests[index] = _Request(self.samplers.sampler(payload), request_settings(params), prompt, output,
                                            np.random.default_rng(seed))
        for first, second, direction in batch_update.moved:
            # a → b overwrites b; a ↔ b swaps the two.
            moving = self.requests.pop(first, None)
            other = self.requests.pop(second, None)
            if moving is not None:
                self.requests[second] = moving
            if other is not None and direction == MoveDirectionality.SWAP:
                self.requests[first] = other

    def apply(self, logits: torch.Tensor) -> torch.Tensor:
        """Replaces each watermarked request's row by the one-hot row of its watermarked choice."""
        if not self.requests:
            return logits
        indices = sorted(i for i in self.requests if i < logits.shape[0])
        if not indices:
            return logits
        rows = logits[indices].to(torch.float32).cpu().numpy()
        chosen = []
        for row, index in zip(rows, indices):
            request = self.requests[index]
            context = context_tail(request.prompt, request.output, request.sampler.context_width)
            chosen.append(request.sampler.choose(row, context, request.settings, request.rng.random))
        where = torch.tensor(indices, device=logits.device, dtype=torch.long)
        logits[where] = -float("inf")
        logits[where, torch.tensor(chosen, device=logits.device, dtype=torch.long)] = 0
        return logits
