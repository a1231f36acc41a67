"""SipHash-2-4, scalar and vectorised over numpy arrays.

The Swift target writes SipHash by hand (Sources/Watermark/Crypto/SipHash.swift); this is
the same function. The scalar form hashes windows of tokens and single anchors; the
vectorised form computes the per-token PRF of many candidate tokens at once, which is
what a logits processor needs (one call per candidate per step).
"""

from __future__ import annotations

import numpy as np

MASK64 = (1 << 64) - 1

# The initialisation constants of the SipHash specification ("somepseudorandomlygeneratedbytes").
_C0, _C1, _C2, _C3 = 0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573


def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & MASK64


def _round(v0: int, v1: int, v2: int, v3: int) -> tuple[int, int, int, int]:
    v0 = (v0 + v1) & MASK64; v1 = _rotl(v1, 13); v1 ^= v0; v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & MASK64; v3 = _rotl(v3, 16); v3 ^= v2
    v0 = (v0 + v3) & MASK64; v3 = _rotl(v3, 21); v3 ^= v0
    v2 = (v2 + v1) & MASK64; v1 = _rotl(v1, 17); v1 ^= v2; v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


class SipHash:
    """A SipHash-2-4 key (two little-endian 64-bit halves) and the message shapes Aegis hashes."""

    __slots__ = ("k0", "k1")

    def __init__(self, k0: int, k1: int) -> None:
        self.k0 = k0 & MASK64
        self.k1 = k1 & MASK64

    @classmethod
    def from_bytes(cls, key: bytes) -> "SipHash":
        """A key from 16 bytes, read little-endian as the reference does."""
        if len(key) != 16:
            raise ValueError(f"a SipHash key is 16 bytes (got {len(key)})")
        return cls(int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little"))

    def _start(self) -> tuple[int, int, int, int]:
        return self.k0 ^ _C0, self.k1 ^ _C1, self.k0 ^ _C2, self.k1 ^ _C3

    @staticmethod
    def _absorb(state: tuple[int, int, int, int], m: int) -> tuple[int, int, int, int]:
        v0, v1, v2, v3 = state
        v3 ^= m
        v0, v1, v2, v3 = _round(v0, v1, v2, v3)
        v0, v1, v2, v3 = _round(v0, v1, v2, v3)
        return v0 ^ m, v1, v2, v3

    @staticmethod
    def _finish(state: tuple[int, int, int, int]) -> int:
        v0, v1, v2, v3 = state
        v2 ^= 0xFF
        for _ in range(4):
            v0, v1, v2, v3 = _round(v0, v1, v2, v3)
        return v0 ^ v1 ^ v2 ^ v3

    def hash(self, message: bytes) -> int:
        """The 64-bit tag of an arbitrary byte message (the reference interface)."""
        state = self._start()
        whole = len(message) // 8
        for block in range(whole):
            state = self._absorb(state, int.from_bytes(message[8 * block:8 * block + 8], "little"))
        last = (len(message) & 0xFF) << 56
        for shift, byte in enumerate(message[8 * whole:]):
            last |= byte << (8 * shift)
        return self._finish(self._absorb(state, last))

    def hash_tokens(self, tokens: "list[int] | tuple[int, ...]") -> int:
        """The tag of 32-bit token ids as 4-byte little-endian words back to back (a context window)."""
        return self.hash(b"".join((t & 0xFFFFFFFF).to_bytes(4, "little") for t in tokens))

    def hash_u32(self, value: int) -> int:
        """The tag of one 4-byte message (a token id: SelfHash's anchor)."""
        return self._finish(self._absorb(self._start(), (value & 0xFFFFFFFF) | (4 << 56)))

    def hash_two_words(self, a: int, b: int) -> int:
        """The tag of the 16-byte message a ‖ b (two little-endian words)."""
        state = self._absorb(self._absorb(self._start(), a & MASK64), b & MASK64)
        return self._finish(self._absorb(state, 16 << 56))

    def hash_thirteen(self, a: int, tail: int) -> int:
        """The tag of the 13-byte message a ‖ the low 5 bytes of tail (the per-token PRF)."""
        state = self._absorb(self._start(), a & MASK64)
        return self._finish(self._absorb(state, (tail & 0xFFFFFFFFFF) | (13 << 56)))

    def hash_thirteen_many(self, a: int, tails: np.ndarray) -> np.ndarray:
        """`hash_thirteen(a, t)` for every t of a uint64 array, vectorised.

        The first word `a` (the context seed) is the same for every candidate, so its
        absorption runs once in scalar code; only the second block and the finalisation
        run over the array, in place on a few temporaries: no Python loop per token.
        """
        m = np.bitwise_and(tails, np.uint64(0xFFFFFFFFFF))
        m |= np.uint64(13 << 56)
        return _absorb_last_and_finish(self._absorb(self._start(), a & MASK64), m)

    def hash_u32_many(self, values: np.ndarray) -> np.ndarray:
        """`hash_u32(v)` for every v of a uint64 array of 32-bit values, vectorised."""
        m = np.bitwise_and(values, np.uint64(0xFFFFFFFF))
        m |= np.uint64(4 << 56)
        return _absorb_last_and_finish(self._start(), m)


def _absorb_last_and_finish(state: tuple[int, int, int, int], m: np.ndarray) -> np.ndarray:
    """Absorbs one final block per array element into a common scalar state, then finalises."""
    v0s, v1s, v2s, v3s = state
    v0 = np.full(m.shape, v0s, dtype=np.uint64)
    v1 = np.full(m.shape, v1s, dtype=np.uint64)
    v2 = np.full(m.shape, v2s, dtype=np.uint64)
    v3 = np.bitwise_xor(m, np.uint64(v3s))
    t = np.empty_like(m)
    for _ in range(2):
        _vround(v0, v1, v2, v3, t)
    v0 ^= m
    v2 ^= np.uint64(0xFF)
    for _ in range(4):
        _vround(v0, v1, v2, v3, t)
    v0 ^= v1
    v0 ^= v2
    v0 ^= v3
    return v0


_S = {n: (np.uint64(n), np.uint64(64 - n)) for n in (13, 16, 17, 21, 32)}


def _vrotl(x: np.ndarray, n: int, t: np.ndarray) -> None:
    """x = rotl(x, n) in place, with t as scratch."""
    left, right = _S[n]
    np.right_shift(x, right, out=t)
    np.left_shift(x, left, out=x)
    x |= t


def _vround(v0: np.ndarray, v1: np.ndarray, v2: np.ndarray, v3: np.ndarray, t: np.ndarray) -> None:
    """One SipRound on arrays, in place (uint64 arithmetic wraps modulo 2^64 as the algorithm needs)."""
    v0 += v1; _vrotl(v1, 13, t); v1 ^= v0; _vrotl(v0, 32, t)
    v2 += v3; _vrotl(v3, 16, t); v3 ^= v2
    v0 += v3; _vrotl(v3, 21, t); v3 ^= v0
    v2 += v1; _vrotl(v1, 17, t); v1 ^= v2; _vrotl(v2, 32, t)
