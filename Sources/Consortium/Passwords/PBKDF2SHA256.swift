import AegisCore
import Crypto

/// PBKDF2-HMAC-SHA256 without allocation per round.
///
/// Every round after the first hashes a 32-byte value, so with the HMAC pads
/// compressed once up front a round is exactly two SHA-256 block compressions
/// on words kept in registers: about ten times faster than going through
/// swift-crypto's HMAC per round, which is what keeps a login at 600,000
/// rounds near a third of a second. ``PBKDF2`` (the generic version) is the
/// reference it is tested against.
enum PBKDF2SHA256 {
    static func deriveKey(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        var key = password
        if key.count > 64 { key = Array(SHA256.hash(data: key)) }
        key += [UInt8](repeating: 0, count: 64 - key.count)
        let inner = SHA256Compression.compress(SHA256Compression.initialState, SHA256Compression.words(key.map { $0 ^ 0x36 }, 0))
        let outer = SHA256Compression.compress(SHA256Compression.initialState, SHA256Compression.words(key.map { $0 ^ 0x5c }, 0))
        let hmac = HMAC<SHA256>(key: SymmetricKey(data: password))
        var output: [UInt8] = []
        var block: UInt32 = 1
        while output.count < length {
            var first = hmac
            first.update(data: salt + [UInt8(block >> 24), UInt8(block >> 16 & 0xFF), UInt8(block >> 8 & 0xFF), UInt8(block & 0xFF)])
            let u1 = Array(first.finalize())
            var u = SHA256Compression.words(u1, 0).lowHalf
            var t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    u = SHA256Compression.compress(outer, padded(SHA256Compression.compress(inner, padded(u))))
                    t ^= u
                }
            }
            for i in 0..<8 where output.count < length {
                for shift in [24, 16, 8, 0] where output.count < length { output.append(UInt8(truncatingIfNeeded: t[i] >> UInt32(shift))) }
            }
            block += 1
        }
        return output
    }

    /// A 32-byte message after a 64-byte block, padded to one block: the
    /// digest words, the 0x80 marker, zeros, and the bit length 96 × 8.
    @inline(__always)
    private static func padded(_ digest: SIMD8<UInt32>) -> SIMD16<UInt32> {
        var block = SIMD16<UInt32>(repeating: 0)
        for i in 0..<8 { block[i] = digest[i] }
        block[8] = 0x8000_0000
        block[15] = 768
        return block
    }
}
