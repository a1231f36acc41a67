import Crypto

// SHA-256, HMAC and HKDF come from swift-crypto (BoringSSL's assembly SHA-256
// on Linux, CryptoKit on Apple systems): they run only when a key is derived,
// never per token, so nothing here is worth writing by hand. The per-token PRF
// is SipHash (SipHash.swift), which swift-crypto does not offer.

/// HMAC-SHA256 (RFC 2104) over byte arrays, as the watermark's key schedule uses it.
enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}

/// HKDF-SHA256 (RFC 5869): how the 256-bit watermark key becomes the
/// independent 128-bit SipHash keys of each role.
enum HKDF {
    /// HKDF-Extract then HKDF-Expand: `length` bytes (at most 255 × 32) of key
    /// material bound to `info`. An empty salt means HashLen zero bytes, as the RFC says.
    static func deriveKey(inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        precondition(length > 0 && length <= 255 * SHA256.byteCount, "HKDF output length out of range")
        let key = Crypto.HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: salt,
                                                info: info, outputByteCount: length)
        return key.withUnsafeBytes { Array($0) }
    }
}
