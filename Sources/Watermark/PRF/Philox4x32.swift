/// Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers:
/// as easy as 1, 2, 3" (SC 2011): ten rounds of two 32×32→64-bit multiplies over a
/// 128-bit counter, keyed by 64 bits bumped by the Weyl constants between rounds.
///
/// Written here rather than taken from a library because it is the per-token hot path of
/// the `vllm-gumbel` scheme (one call per four vocabulary entries) and must inline into
/// the sampler's loop; swift-crypto has no Philox. Tests hold it to the Random123
/// known-answer vectors.
enum Philox4x32 {
    /// The round multipliers.
    static let multiplier0: UInt32 = 0xD251_1F53
    static let multiplier1: UInt32 = 0xCD9E_8D57
    /// The key schedule's Weyl increments (golden ratio and √3 − 1, as 32-bit fractions).
    static let weyl0: UInt32 = 0x9E37_79B9
    static let weyl1: UInt32 = 0xBB67_AE85

    /// The ten-round output block for `counter` under `key`.
    @inline(__always)
    static func block(_ counter: SIMD4<UInt32>, key: (UInt32, UInt32)) -> SIMD4<UInt32> {
        var c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3]
        var k0 = key.0, k1 = key.1
        for round in 0..<10 {
            let product0 = UInt64(multiplier0) &* UInt64(c0)
            let product1 = UInt64(multiplier1) &* UInt64(c2)
            let next0 = UInt32(truncatingIfNeeded: product1 >> 32) ^ c1 ^ k0
            let next2 = UInt32(truncatingIfNeeded: product0 >> 32) ^ c3 ^ k1
            c1 = UInt32(truncatingIfNeeded: product1)
            c3 = UInt32(truncatingIfNeeded: product0)
            c0 = next0
            c2 = next2
            if round != 9 {
                k0 &+= weyl0
                k1 &+= weyl1
            }
        }
        return SIMD4(c0, c1, c2, c3)
    }
}
