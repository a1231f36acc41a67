"""What every engine adapter shares: configuration from options or the environment,
samplers cached per payload, and the one-hot row that makes any engine pick the choice.

How a logits processor reproduces the Swift sampler: the processor runs the whole
watermarked step itself (`WatermarkSampler.choose`, with the request's temperature,
top-k, top-p and min-p and its own uniform draws) and leaves one finite logit, 0 at
the chosen token and −∞ elsewhere. Whatever the engine does after it — temperature,
top-k, top-p, min-p, multinomial or greedy — keeps that one token. This is the only
way to be exact for Gumbel (deterministic given key and context) and SynthID (a
tournament no logit bias expresses), and it gives KGW the Swift order of truncation
(min-p, top-k, then top-p, after δ) rather than the engine's own order.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Mapping, Optional, Sequence

import numpy as np

from .config import WatermarkConfig, parse_payload, parse_scheme, parse_seeding
from .errors import WatermarkConfigError
from .keys import KEY_FILE_ENVIRONMENT, WatermarkKey
from .sampler import SamplingSettings, WatermarkSampler

#: Per-request argument (vLLM `extra_args` / REST `vllm_xargs`) carrying the account's payload.
PAYLOAD_ARGUMENT = "aegis_payload"
#: HTTP header carrying the payload to servers without per-request arguments.
PAYLOAD_HEADER = "X-Aegis-Payload"
#: The payload width used unless configured (the gateway's default, Swift `AccountPayload.defaultBits`).
DEFAULT_PAYLOAD_BITS = 8


def config_from_environment(environment: Optional[Mapping[str, str]] = None) -> WatermarkConfig:
    """The processor's configuration from environment variables (how vLLM's processors are configured).

    AEGIS_WATERMARK_KEY_FILE (required: a file holding 64 hex digits), AEGIS_WATERMARK_SCHEME
    (kgw | gumbel | synthid, default kgw), AEGIS_WATERMARK_PAYLOAD_BITS (default 8), and the
    optional AEGIS_WATERMARK_GAMMA, _DELTA, _CONTEXT, _SEEDING, _LAYERS, _TOP_K.
    """
    env = os.environ if environment is None else environment
    path = env.get(KEY_FILE_ENVIRONMENT)
    if not path:
        raise WatermarkConfigError(
            f"no watermark key configured: set {KEY_FILE_ENVIRONMENT} to a file holding the key (`aegis keys new > FILE`)")
    key = WatermarkKey.from_file(path)

    def number(name: str, kind: type, default: object) -> object:
        text = env.get(f"AEGIS_WATERMARK_{name}")
        if text is None or text.strip() == "":
            return default
        try:
            return kind(text.strip())
        except ValueError:
            raise WatermarkConfigError(f"AEGIS_WATERMARK_{name} must be a {kind.__name__} (got {text!r})") from None

    return WatermarkConfig(
        scheme=parse_scheme(env.get("AEGIS_WATERMARK_SCHEME", "kgw")),
        key=key,
        gamma=number("GAMMA", float, 0.25),
        delta=number("DELTA", float, 3.0),
        context_width=number("CONTEXT", int, 4),
        seeding=parse_seeding(env.get("AEGIS_WATERMARK_SEEDING", "lefthash")),
        layers=number("LAYERS", int, 30),
        top_k=number("TOP_K", int, 40),
        payload_bits=number("PAYLOAD_BITS", int, DEFAULT_PAYLOAD_BITS),
    ).validate()


class SamplerCache:
    """One `WatermarkSampler` per payload (key derivation once per payload, bounded in size)."""

    def __init__(self, config: WatermarkConfig, capacity: int = 4096) -> None:
        self.config = config.validate()
        self.capacity = capacity
        self._samplers: "OrderedDict[int, WatermarkSampler]" = OrderedDict()

    def sampler(self, payload: int) -> WatermarkSampler:
        """The sampler embedding `payload` (validated against the configured width)."""
        found = self._samplers.get(payload)
        if found is not None:
            self._samplers.move_to_end(payload)
            return found
        parse_payload(payload, self.config.payload_bits)
        config = WatermarkConfig(**{**self.config.__dict__, "payload": payload}).validate()
        sampler = WatermarkSampler(config)
        self._samplers[payload] = sampler
        if len(self._samplers) > self.capacity:
            self._samplers.popitem(last=False)
        return sampler


def payload_from_headers(headers: Mapping[str, str], bits: int) -> int:
    """The payload of an HTTP request to a server without per-request arguments: the
    `X-Aegis-Payload` header (any case), 0 when absent; an invalid value is a one-line error."""
    for name, value in headers.items():
        if name.lower() == PAYLOAD_HEADER.lower():
            return parse_payload(value, bits)
    return 0


def context_tail(prompt: Sequence[int], output: Sequence[int], width: int) -> list[int]:
    """The last `width` tokens of prompt + output, without concatenating the whole history."""
    if width <= 0:
        return []
    tail = list(output[-width:])
    if len(tail) < width and prompt:
        tail = list(prompt[-(width - len(tail)):]) + tail
    return tail


def one_hot_row(vocabulary: int, token: int) -> np.ndarray:
    """A float32 logits row with 0 at `token` and −∞ elsewhere."""
    row = np.full(vocabulary, -np.inf, dtype=np.float32)
    row[token] = 0
    return row


__all__ = ["PAYLOAD_ARGUMENT", "PAYLOAD_HEADER", "DEFAULT_PAYLOAD_BITS", "config_from_environment", "SamplerCache", "payload_from_headers",
           "context_tail", "one_hot_row", "SamplingSettings"]
