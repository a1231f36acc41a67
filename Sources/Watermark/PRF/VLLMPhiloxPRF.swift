#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// vLLM's watermark PRF, `PhiloxPRF` version "philox4x32-10-v1" (vllm/v1/watermarking/prfs/philox.py),
/// re-implemented bit for bit: the same key, context and token give the same 32-bit word and
/// the same float uniform as vLLM's CPU reference and its Triton sampling kernel.
///
/// The mapping, which vLLM declares part of its compatibility contract:
/// - the key is vLLM's 64-bit integer `key`; Philox key words k₀ = low 32 bits, k₁ = high 32 bits;
/// - the context (the `context_width` tokens before the candidate, each as a 32-bit word; −1,
///   i.e. 0xFFFFFFFF, for positions before the start of the sequence) is absorbed four words
///   at a time: the state starts as (0x574D4358 "WMCX", width, 0, 0); for the block at offset o
///   the state becomes Philox(state ⊕ block, key (k₀ ⊕ o, k₁)), a short last block padded
///   with 0xFFFFFFFF − i at its slot i;
/// - candidate v reads word v mod 4 of Philox((v div 4, s₀, s₁, s₂), key (k₀ ⊕ s₃, k₁ ⊕ 0x574D544B "WMTK")),
///   so one Philox call serves four consecutive token ids;
/// - the uniform is u = float32((⌊word / 2⁸⌋ + 1) / (2²⁴ + 1)), in (0, 1).
///
/// Not a cryptographic PRF (vLLM says so too): keys and marks can be learnt from outputs.
public struct VLLMPhiloxPRF: Sendable, Hashable, CustomStringConvertible {
    /// vLLM's 64-bit watermark key, as written in `--watermark-config '{"key": …}'`.
    public let key: UInt64

    static let contextDomain: UInt32 = 0x574D_4358
    static let tokenDomain: UInt32 = 0x574D_544B

    /// The PRF for vLLM's integer `key`.
    public init(key: UInt64) { self.key = key }

    /// Never the key: it is a secret like `WatermarkKey`.
    public var description: String { "VLLMPhiloxPRF(philox4x32-10-v1, key …)" }

    @inline(__always) var key0: UInt32 { UInt32(truncatingIfNeeded: key) }
    @inline(__always) var key1: UInt32 { UInt32(truncatingIfNeeded: key >> 32) }

    /// The context state of the `width` tokens before a candidate. `window` holds the last
    /// `window.count` of them (only its last `width` are read); missing earlier ones are −1,
    /// as vLLM pads the start of a generation.
    @inline(__always)
    func contextState(window: UnsafeBufferPointer<TokenID>, width: Int) -> SIMD4<UInt32> {
        var state = SIMD4<UInt32>(Self.contextDomain, UInt32(truncatingIfNeeded: width), 0, 0)
        let missing = max(0, width - window.count)
        let skip = max(0, window.count - width)
        var offset = 0
        while offset < width {
            var block = SIMD4<UInt32>()
            for slot in 0..<4 {
                let position = offset + slot
                if position >= width {
                    block[slot] = UInt32.max - UInt32(slot)
                } else if position < missing {
                    block[slot] = UInt32.max  // −1: before the start of the sequence
                } else {
                    block[slot] = UInt32(bitPattern: window[skip + position - missing])
                }
            }
            state = Philox4x32.block(state ^ block, key: (key0 ^ UInt32(truncatingIfNeeded: offset), key1))
            offset += 4
        }
        return state
    }

    /// The four words of token ids 4g…4g+3 in the context whose state is `state`.
    @inline(__always)
    func group(_ group: UInt32, state: SIMD4<UInt32>) -> SIMD4<UInt32> {
        Philox4x32.block(SIMD4(group, state[0], state[1], state[2]), key: (key0 ^ state[3], key1 ^ Self.tokenDomain))
    }

    /// The 32-bit word of `token` in the context whose state is `state`.
    @inline(__always)
    func word(token: TokenID, state: SIMD4<UInt32>) -> UInt32 {
        let v = UInt32(bitPattern: token)
        return group(v >> 2, state: state)[Int(v & 3)]
    }

    /// vLLM's word-to-uniform map (`uint32_to_uniform`): (mantissa + 1)/(2²⁴ + 1) in double,
    /// rounded to float32. Never 0 or 1.
    @inline(__always)
    static func uniform(_ word: UInt32) -> Float {
        Float((Double(word >> 8) + 1) / 16_777_217)
    }

    /// The detector's per-token score, −log(1 − u) in double of the float32 u
    /// (vLLM: `-torch.log1p(-uniforms.to(torch.float64))`). Exp(1) under the null, up to
    /// the 24-bit resolution of u.
    @inline(__always)
    static func score(_ word: UInt32) -> Double {
        -log1p(-Double(uniform(word)))
    }

    /// The Gumbel noise vLLM's sampler adds to a processed logit, in float32 as vLLM computes
    /// it: −log(−log(max(u, FLT_MIN))) (the clamp never acts: u ≥ 1/(2²⁴ + 1)).
    @inline(__always)
    static func gumbelNoise(_ word: UInt32) -> Float {
        let u = max(uniform(word), Float.leastNormalMagnitude)
        return -logf(-logf(u))
    }

    /// A 64-bit digest of a context state: the `seed` of the `PRFInput` that identifies a
    /// scored (context, token) pair for deduplication. (The full state is 128 bits; two
    /// contexts that collide in this digest do so with probability 2⁻⁶⁴.)
    @inline(__always)
    static func seed(of state: SIMD4<UInt32>) -> UInt64 {
        (UInt64(state[0]) | UInt64(state[1]) << 32) ^ mix(UInt64(state[2]) | UInt64(state[3]) << 32)
    }

    /// splitmix64's finaliser, to combine digests without structure.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
