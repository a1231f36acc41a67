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
        let inner = compress(initial, words(key.map { $0 ^ 0x36 }, 0))
        let outer = compress(initial, words(key.map { $0 ^ 0x5c }, 0))
        let hmac = HMAC<SHA256>(key: SymmetricKey(data: password))
        var output: [UInt8] = []
        var block: UInt32 = 1
        while output.count < length {
            var first = hmac
            first.update(data: salt + [UInt8(block >> 24), UInt8(block >> 16 & 0xFF), UInt8(block >> 8 & 0xFF), UInt8(block & 0xFF)])
            let u1 = Array(first.finalize())
            var u = words(u1, 0).lowHalf
            var t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    u = compress(outer, padded(compress(inner, padded(u))))
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

    private static let initial = SIMD8<UInt32>(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)

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

    private static func words(_ bytes: [UInt8], _ offset: Int) -> SIMD16<UInt32> {
        var w = SIMD16<UInt32>(repeating: 0)
        for i in 0..<min(16, (bytes.count - offset) / 4) {
            let b = offset + 4 * i
            w[i] = UInt32(bytes[b]) << 24 | UInt32(bytes[b + 1]) << 16 | UInt32(bytes[b + 2]) << 8 | UInt32(bytes[b + 3])
        }
        return w
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }

    /// One SHA-256 compression (FIPS 180-4 §6.2.2) of `block` into `state`.
    private static func compress(_ state: SIMD8<UInt32>, _ block: SIMD16<UInt32>) -> SIMD8<UInt32> {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 { w[i] = block[i] }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var a = state[0], b = state[1], c = state[2], d = state[3]
            var e = state[4], f = state[5], g = state[6], h = state[7]
            roundConstants.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                    h = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
            }
            return state &+ SIMD8(a, b, c, d, e, f, g, h)
        }
    }

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
