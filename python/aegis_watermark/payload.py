"""The account payload rule shared with the gateway (Swift `AccountPayload`)."""

from __future__ import annotations

import hashlib


def account_payload(account: str, bits: int) -> int:
    """The first `bits` bits (of the first 4 bytes, big-endian) of SHA-256 of the account's name."""
    value = int.from_bytes(hashlib.sha256(account.encode("utf-8")).digest()[:4], "big")
    return value if bits >= 32 else value & ((1 << max(0, bits)) - 1)
