"""The keyed PRF shared by sampling and detection (Sources/Watermark/PRF/WatermarkPRF.swift).

Three SipHash-2-4 keys are derived from the 256-bit key with HKDF-SHA256 (salt
"aegis-watermark-v1", info "<scheme>/<role>"): `context` hashes the window of preceding
tokens into a seed, `anchor` hashes one token (SelfHash), `value` maps (seed, token,
layer) to the 64-bit output every scheme reads. A payload m makes token v read the
output of index (v + m) mod 2³².
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .config import parse_scheme
from .keys import WatermarkKey, hkdf_sha256
from .siphash import MASK64, SipHash

_SALT = b"aegis-watermark-v1"


def derived_key(key: WatermarkKey, scheme: str, role: str) -> bytes:
    """The 16-byte SipHash key of one role ("context", "anchor", "value") under one scheme."""
    return hkdf_sha256(key.bytes, _SALT, f"{scheme}/{role}".encode(), 16)


class WatermarkPRF:
    """The three role keys of one (key, scheme) and the functions built on them."""

    def __init__(self, key: WatermarkKey, scheme: str) -> None:
        scheme = parse_scheme(scheme)
        self.context_key = SipHash.from_bytes(derived_key(key, scheme, "context"))
        self.anchor_key = SipHash.from_bytes(derived_key(key, scheme, "anchor"))
        self.value_key = SipHash.from_bytes(derived_key(key, scheme, "value"))

    def seed(self, window: Sequence[int]) -> int:
        """The seed of a window of preceding tokens (LeftHash, Gumbel, SynthID)."""
        return self.context_key.hash_tokens(window)

    def anchor(self, token: int) -> int:
        """SelfHash's per-token hash."""
        return self.anchor_key.hash_u32(token)

    def minimum_anchor(self, window: Sequence[int]) -> int:
        """The minimum anchor over a window (2⁶⁴ − 1 for an empty one)."""
        return min((self.anchor(t) for t in window), default=MASK64)

    def value(self, seed: int, token: int, layer: int = 0, shift: int = 0) -> int:
        """The PRF output of one candidate token (layer: SynthID's tournament layer, else 0)."""
        tail = ((token + shift) & 0xFFFFFFFF) | ((layer & 0xFF) << 32)
        return self.value_key.hash_thirteen(seed, tail)

    def values(self, seed: int, tokens: np.ndarray, layer: int = 0, shift: int = 0) -> np.ndarray:
        """`value(seed, t, layer, shift)` for every token id of an integer array, as uint64."""
        tails = np.asarray(tokens, dtype=np.int64).astype(np.uint64)
        tails += np.uint64(shift & 0xFFFFFFFF)
        tails &= np.uint64(0xFFFFFFFF)
        tails |= np.uint64((layer & 0xFF) << 32)
        return self.value_key.hash_thirteen_many(seed, tails)

    def anchors(self, tokens: np.ndarray) -> np.ndarray:
        """`anchor(t)` for every token id of an integer array, as uint64 (SelfHash over many candidates)."""
        return self.anchor_key.hash_u32_many(np.asarray(tokens, dtype=np.int64).astype(np.uint64))


def unit_interval(value: "int | np.ndarray") -> "float | np.ndarray":
    """A 64-bit PRF output as a uniform strictly inside (0, 1): (value >> 11 + 0.5)·2⁻⁵³."""
    if isinstance(value, np.ndarray):
        return ((value >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53
    return ((value >> 11) + 0.5) * 2.0 ** -53
