"""Float32 arithmetic that reproduces the Swift sampler's bit for bit.

The Swift sampler computes dense weights with its own `fastExp` (Sampling/FastExp.swift)
and sums them in blocks of 64 with eight float lanes (Sampling/StepDistribution.swift).
Top-p boundaries and Gumbel's choice read those floats, so the Python side computes
them with the same operations in the same order (numpy float32 rounds every operation
to float32 as Swift does; neither side fuses multiply-adds).
"""

from __future__ import annotations

import math

import numpy as np

F32 = np.float32
_LOG2E = F32(1.44269504)
_ROUND = F32(12582912.0)  # 1.5·2²³: adding it rounds to an integer kept in the low mantissa bits
_LN2_HIGH = F32(0.69314575)
_LN2_LOW = F32(1.4286068e-6)
_C720 = F32(1) / F32(720)
_C120 = F32(1) / F32(120)
_C24 = F32(1) / F32(24)
_C6 = F32(1) / F32(6)
_HALF = F32(0.5)
_ONE = F32(1)

BLOCK_SIZE = 64


def fast_exp(x: np.ndarray) -> np.ndarray:
    """Swift's `fastExp` on a float32 array: e^x for x ≤ 0, 0 below −87."""
    clamped = np.maximum(x, F32(-87))  # x < -87 ? -87 : x (NaN aside)
    shifted = clamped * _LOG2E
    shifted += _ROUND
    n = shifted - _ROUND
    r = clamped - n * _LN2_HIGH
    r -= n * _LN2_LOW
    p = np.full_like(r, _C720)
    for c in (_C120, _C24, _C6, _HALF, _ONE, _ONE):
        p *= r
        p += c
    exponent = shifted.view(np.int32) - np.int32(0x4B400000) + np.int32(127)
    exponent <<= np.int32(23)
    result = p * exponent.view(np.float32)
    result[x < F32(-87)] = F32(0)
    return result


def logf(x: float) -> np.float32:
    """log of a float32 value, rounded to float32 (Swift calls the C library's logf)."""
    return F32(math.log(float(F32(x))))


def block_sums(weights: np.ndarray) -> np.ndarray:
    """The float32 sum of each block of 64 weights, in the Swift code's order, as float64.

    Each block: eight lanes accumulate eight consecutive floats per chunk, the lanes are
    added in order from −0, then the block's last (count mod 8) floats one by one.
    """
    count = weights.shape[0]
    whole = count // BLOCK_SIZE
    sums = np.empty(whole + (1 if count % BLOCK_SIZE else 0), dtype=np.float64)
    if whole:
        blocks = weights[:whole * BLOCK_SIZE].reshape(whole, 8, 8)
        sums[:whole] = _lane_sum(blocks).astype(np.float64)
    if count % BLOCK_SIZE:
        tail = weights[whole * BLOCK_SIZE:]
        chunks = tail.shape[0] // 8
        total = _lane_sum(tail[:chunks * 8].reshape(1, chunks, 8))[0] if chunks else F32(-0.0)
        for value in tail[chunks * 8:]:
            total = F32(total + value)
        sums[whole] = float(total)
    return sums


def _lane_sum(blocks: np.ndarray) -> np.ndarray:
    """blocks (n, chunks, 8) → per block: lanes = Σ chunks (in order), then Σ lanes from −0 in order."""
    lanes = np.zeros((blocks.shape[0], 8), dtype=np.float32)
    for chunk in range(blocks.shape[1]):
        lanes += blocks[:, chunk, :]
    total = np.full(blocks.shape[0], F32(-0.0), dtype=np.float32)
    for lane in range(8):
        total += lanes[:, lane]
    return total


def sequential_sum(values: np.ndarray) -> float:
    """Σ values added one after another from 0 (numpy's `sum` adds pairwise, which rounds differently)."""
    if values.shape[0] == 0:
        return 0.0
    return float(np.cumsum(values, dtype=np.float64)[-1])


def first_below_zero(start: float, weights: np.ndarray) -> int:
    """The first j at which start − w₀ − … − w_j (subtracted in order) is negative, or −1."""
    if weights.shape[0] == 0:
        return -1
    running = np.subtract.accumulate(np.concatenate(([start], weights.astype(np.float64, copy=False))))[1:]
    hits = np.flatnonzero(running < 0)
    return int(hits[0]) if hits.shape[0] else -1
