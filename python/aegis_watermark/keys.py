"""The 256-bit watermark key: parsing, loading from a file, and HKDF-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import os
import string

from .errors import WatermarkConfigError

#: The environment variable naming the key file when none is configured explicitly.
KEY_FILE_ENVIRONMENT = "AEGIS_WATERMARK_KEY_FILE"

_HEX = set(string.hexdigits)


class WatermarkKey:
    """A 256-bit watermark secret. Its repr never shows the bytes."""

    __slots__ = ("_bytes",)

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise WatermarkConfigError(
                f"a watermark key must be 32 bytes (got {len(key)}); create one with `aegis keys new`")
        self._bytes = bytes(key)

    @classmethod
    def from_hex(cls, text: str) -> "WatermarkKey":
        """Parses 64 hex digits, the form `aegis keys new` prints (surrounding whitespace ignored)."""
        trimmed = text.strip()
        if len(trimmed) != 64 or not set(trimmed) <= _HEX:
            raise WatermarkConfigError(
                f"the watermark key must be 64 hex digits (got {len(trimmed)} characters"
                f"{'' if set(trimmed) <= _HEX else ', not all hex digits'}); create one with `aegis keys new`")
        return cls(bytes.fromhex(trimmed))

    @classmethod
    def from_file(cls, path: "str | os.PathLike[str]") -> "WatermarkKey":
        """Reads a key file holding the 64 hex digits (as `aegis keys new > FILE` writes it)."""
        try:
            with open(path, "r", encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise WatermarkConfigError(
                f"the watermark key file {os.fspath(path)} does not exist; create it with `aegis keys new > {os.fspath(path)}`") from None
        except (OSError, UnicodeDecodeError) as error:
            raise WatermarkConfigError(f"cannot read the watermark key file {os.fspath(path)}: {error}") from None
        try:
            return cls.from_hex(text)
        except WatermarkConfigError as error:
            raise WatermarkConfigError(f"{os.fspath(path)}: {error}") from None

    @classmethod
    def from_environment(cls, variable: str = KEY_FILE_ENVIRONMENT) -> "WatermarkKey":
        """Loads the key file named by an environment variable (default AEGIS_WATERMARK_KEY_FILE)."""
        path = os.environ.get(variable)
        if not path:
            raise WatermarkConfigError(
                f"no watermark key configured: pass a key file or set {variable} to the path of one (`aegis keys new > FILE`)")
        return cls.from_file(path)

    @property
    def bytes(self) -> bytes:
        """The 32 secret bytes."""
        return self._bytes

    def __repr__(self) -> str:
        return "WatermarkKey(…)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WatermarkKey) and hmac.compare_digest(self._bytes, other._bytes)

    def __hash__(self) -> int:
        return hash(self._bytes)


def hkdf_sha256(input_key_material: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    """HKDF-SHA256 (RFC 5869): Extract then Expand; an empty salt means 32 zero bytes."""
    if not 0 < length <= 255 * 32:
        raise ValueError("HKDF output length out of range")
    prk = hmac.new(salt or bytes(32), input_key_material, hashlib.sha256).digest()
    output, block = b"", b""
    counter = 1
    while len(output) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        output += block
        counter += 1
    return output[:length]
