"""What the sampler and the detector must agree on, with the Swift target's defaults.

Mirrors Sources/Watermark/Configuration/WatermarkConfiguration.swift: the same option
names (snake_case), defaults, ranges, clamping and payload shift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import WatermarkConfigError
from .keys import WatermarkKey

#: The schemes, as named on the command line.
SCHEMES = ("kgw", "gumbel", "synthid")
#: KGW's seeding schemes.
SEEDINGS = ("lefthash", "selfhash")
#: The largest context width accepted (Swift: `maximumContextWidth`).
MAXIMUM_CONTEXT_WIDTH = 32
#: The largest number of SynthID layers accepted (Swift: `maximumLayers`).
MAXIMUM_LAYERS = 64


def parse_scheme(text: str) -> str:
    """'kgw', 'gumbel' or 'synthid' (any case); anything else is a one-line error."""
    scheme = text.strip().lower()
    if scheme not in SCHEMES:
        raise WatermarkConfigError(f"unknown watermark scheme '{text}'; use one of kgw, gumbel, synthid")
    return scheme


def parse_seeding(text: str) -> str:
    """'lefthash' or 'selfhash' (any case)."""
    seeding = text.strip().lower()
    if seeding not in SEEDINGS:
        raise WatermarkConfigError(f"unknown seeding scheme '{text}'; use lefthash or selfhash")
    return seeding


def parse_payload(value: object, bits: int = 32) -> int:
    """A payload as it arrives from the gateway (an int, or a decimal string from a header).

    It must be a whole number in 0 ..< 2^bits; anything else (a float, a negative number,
    text that is not decimal, a bool) is a one-line error naming the value.
    """
    if isinstance(value, bool):
        raise WatermarkConfigError(f"the aegis payload must be a whole number, not {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not text.isdigit() or not text.isascii():
            raise WatermarkConfigError(
                f"the aegis payload must be a decimal whole number (got {value!r}); the gateway sends e.g. X-Aegis-Payload: 92")
        number = int(text)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raise WatermarkConfigError(f"the aegis payload must be a whole number (got {value!r})")
    limit = 1 << max(0, min(bits, 32))
    if not 0 <= number < limit:
        raise WatermarkConfigError(f"the aegis payload {number} does not fit in {bits} bits (0 to {limit - 1})")
    return number


@dataclass(frozen=True)
class WatermarkConfig:
    """The watermark's configuration; defaults are those of `WatermarkConfiguration`.

    `payload` is the message embedded (its low `payload_bits` bits); the gateway sends it
    per request, the key comes from the server's own configuration.
    """

    scheme: str
    key: WatermarkKey
    gamma: float = 0.25
    delta: float = 3.0
    context_width: int = 4
    seeding: str = "lefthash"
    layers: int = 30
    top_k: int = 40
    payload_bits: int = 0
    payload: int = 0
    truncates_biased_distribution: bool = True

    def validate(self) -> "WatermarkConfig":
        """Checks every option against its range (Swift's `validate()`); returns self."""
        parse_scheme(self.scheme)
        parse_seeding(self.seeding)
        if not 0 < self.gamma < 1:
            raise WatermarkConfigError(f"--gamma must lie strictly between 0 and 1 (got {self.gamma})")
        if not (math.isfinite(self.delta) and self.delta >= 0):
            raise WatermarkConfigError(f"--delta must be a finite number ≥ 0 (got {self.delta})")
        if not 0 <= self.context_width <= MAXIMUM_CONTEXT_WIDTH:
            raise WatermarkConfigError(
                f"--context must be between 0 and {MAXIMUM_CONTEXT_WIDTH} tokens (got {self.context_width})")
        if not 1 <= self.layers <= MAXIMUM_LAYERS:
            raise WatermarkConfigError(f"--layers must be between 1 and {MAXIMUM_LAYERS} (got {self.layers})")
        if self.top_k < 1:
            raise WatermarkConfigError(f"the SynthID top-k must be at least 1 (got {self.top_k})")
        if not 0 <= self.payload_bits <= 32:
            raise WatermarkConfigError(f"--payload-bits must be between 0 and 32 (got {self.payload_bits})")
        if not (0 <= self.payload < (1 << 32)) or (self.payload_bits < 32 and self.payload >= (1 << self.payload_bits)):
            raise WatermarkConfigError(f"the payload {self.payload} does not fit in {self.payload_bits} bits")
        return self

    # Effective values, clamped as the Swift sampler clamps them.
    @property
    def clamped_gamma(self) -> float:
        """γ clamped into (0, 1)."""
        return 0.25 if math.isnan(self.gamma) else min(max(self.gamma, 1e-9), 1 - 1e-9)

    @property
    def clamped_context_width(self) -> int:
        """h clamped into 0 ... 32."""
        return min(max(self.context_width, 0), MAXIMUM_CONTEXT_WIDTH)

    @property
    def clamped_layers(self) -> int:
        """m clamped into 1 ... 64."""
        return min(max(self.layers, 1), MAXIMUM_LAYERS)

    @property
    def clamped_top_k(self) -> int:
        """The SynthID tournament's top-k, at least 1."""
        return max(self.top_k, 1)

    @property
    def payload_shift(self) -> int:
        """The payload's low `payload_bits` bits: how far the PRF's output vector is shifted."""
        bits = min(max(self.payload_bits, 0), 32)
        if bits == 0:
            return 0
        return self.payload & 0xFFFFFFFF if bits == 32 else self.payload & ((1 << bits) - 1)

    @property
    def green_threshold(self) -> int:
        """γ·2⁶⁴ as an integer: a PRF output below it is green (Swift's `greenThresholdFor`)."""
        return green_threshold_for(self.clamped_gamma)


def green_threshold_for(gamma: float) -> int:
    """γ·2⁶⁴ truncated to an integer, saturating at 2⁶⁴ − 1, exactly as the Swift code computes it."""
    scaled = gamma * 18446744073709551616.0
    return (1 << 64) - 1 if scaled >= 18446744073709551615.0 else int(scaled)
