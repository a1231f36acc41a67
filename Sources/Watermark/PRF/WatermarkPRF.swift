import AegisCore

/// The keyed pseudo-random function shared by the sampler and the detector.
///
/// Three independent SipHash-2-4 keys are derived from the 256-bit watermark key
/// with HKDF-SHA256, bound to the scheme and to their role, so the same secret
/// used with two schemes gives unrelated marks and no constant is hard-coded:
/// - `context` hashes the window of preceding tokens into a 64-bit seed;
/// - `anchor` hashes one token (SelfHash's min-hash);
/// - `value` maps (seed, token, layer) to the 64-bit output every scheme reads:
///   KGW compares it with γ·2⁶⁴, Gumbel turns it into a uniform r, SynthID takes its top bit.
struct WatermarkPRF: Sendable {
    let contextKey: SipHash
    let anchorKey: SipHash
    let valueKey: SipHash

    init(key: WatermarkKey, scheme: WatermarkScheme) {
        func derive(_ role: String) -> SipHash {
            SipHash(keyBytes: HKDF.deriveKey(inputKeyMaterial: key.bytes, salt: Array("aegis-watermark-v1".utf8),
                                             info: Array("\(scheme.rawValue)/\(role)".utf8), length: 16))
        }
        contextKey = derive("context")
        anchorKey = derive("anchor")
        valueKey = derive("value")
    }

    /// The seed of a window of preceding tokens (LeftHash, Gumbel, SynthID).
    @inline(__always)
    func seed(window: UnsafeBufferPointer<TokenID>) -> UInt64 {
        contextKey.hash(tokens: window)
    }

    /// SelfHash's per-token hash; the seed is the minimum of it over the window and candidate.
    @inline(__always)
    func anchor(_ token: TokenID) -> UInt64 {
        anchorKey.hash(fourBytes: UInt32(bitPattern: token))
    }

    /// The minimum anchor over a window (`UInt64.max` for an empty one).
    @inline(__always)
    func minimumAnchor(window: UnsafeBufferPointer<TokenID>) -> UInt64 {
        var minimum = UInt64.max
        for token in window { minimum = min(minimum, anchor(token)) }
        return minimum
    }

    /// The PRF output for a candidate token in a seeded context, for one SynthID layer (0 otherwise).
    ///
    /// A payload m reads the output of token index v + m (mod 2³²) instead of v: the
    /// cyclic shift of the PRF's output vector by m positions of Fernandez et al.
    @inline(__always)
    /// The message is 13 bytes: seed ‖ token index (4 bytes) ‖ layer (1 byte, m ≤ 64).
    func value(seed: UInt64, token: TokenID, layer: Int = 0, shift: UInt32 = 0) -> UInt64 {
        valueKey.hash(seed, thirteenByteTail: UInt64(UInt32(bitPattern: token) &+ shift) | UInt64(UInt8(truncatingIfNeeded: layer)) << 32)
    }
}
