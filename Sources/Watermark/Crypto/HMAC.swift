/// HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869): how the 256-bit
/// watermark key becomes the independent 128-bit SipHash keys of each role.
enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > SHA256.blockCount ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockCount - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}

enum HKDF {
    /// HKDF-Extract then HKDF-Expand: `length` bytes (at most 255 × 32) of key
    /// material bound to `info`.
    static func deriveKey(inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        precondition(length > 0 && length <= 255 * SHA256.digestCount, "HKDF output length out of range")
        let pseudoRandomKey = HMACSHA256.authenticationCode(
            key: salt.isEmpty ? [UInt8](repeating: 0, count: SHA256.digestCount) : salt,
            message: inputKeyMaterial)
        var output: [UInt8] = []
        var previous: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < length {
            previous = HMACSHA256.authenticationCode(key: pseudoRandomKey, message: previous + info + [counter])
            output += previous
            counter &+= 1
        }
        return Array(output.prefix(length))
    }
}
