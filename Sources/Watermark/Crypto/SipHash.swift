/// SipHash-2-4 (Aumasson & Bernstein), the keyed PRF behind every green list,
/// Gumbel variate and g-value. A 16-byte input costs about 20 ns, so the
/// sampler can afford one call per candidate token.
///
/// Written here rather than taken from a library on purpose: it is the
/// watermark's per-token hot path (up to one call per vocabulary entry per
/// generated token), it must inline into the samplers' loops with no call
/// across a module or into C, and swift-crypto offers no SipHash. The 64
/// reference vectors are tests (CryptoTests).
struct SipHash: Sendable, Hashable {
    let k0: UInt64
    let k1: UInt64

    /// A key from its two little-endian 64-bit halves.
    init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// A key from 16 bytes, read little-endian as the reference does.
    init(keyBytes: [UInt8]) {
        precondition(keyBytes.count == 16, "a SipHash key is 16 bytes")
        self.init(k0: Self.littleEndianWord(keyBytes, at: 0), k1: Self.littleEndianWord(keyBytes, at: 8))
    }

    /// The 64-bit tag of an arbitrary byte message (reference interface; used by tests).
    func hash(_ message: [UInt8]) -> UInt64 {
        var state = State(k0: k0, k1: k1)
        let whole = message.count / 8
        for block in 0..<whole { state.absorb(Self.littleEndianWord(message, at: 8 * block)) }
        var last = UInt64(truncatingIfNeeded: message.count) << 56
        for (shift, byte) in message[(8 * whole)...].enumerated() { last |= UInt64(byte) << UInt64(8 * shift) }
        state.absorb(last)
        return state.finish()
    }

    /// The tag of a message made of little-endian 64-bit words: the same value
    /// as `hash` on those bytes, without building them.
    @inline(__always)
    func hash(words: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var state = State(k0: k0, k1: k1)
        for word in words { state.absorb(word) }
        state.absorb(UInt64(truncatingIfNeeded: words.count &* 8) << 56)
        return state.finish()
    }

    /// The tag of the 16-byte message `a ‖ b` (two little-endian words): the hot path.
    @inline(__always)
    func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var state = State(k0: k0, k1: k1)
        state.absorb(a)
        state.absorb(b)
        state.absorb(16 << 56)
        return state.finish()
    }

    /// The tag of a 4-byte message (one token id): a single compression.
    @inline(__always)
    func hash(fourBytes value: UInt32) -> UInt64 {
        var state = State(k0: k0, k1: k1)
        state.absorb(UInt64(value) | 4 << 56)
        return state.finish()
    }

    /// The tag of the 13-byte message `a ‖ tail` (a as 8 little-endian bytes, then the
    /// low 5 bytes of `tail`): one compression fewer than 16 bytes, for the per-token PRF.
    @inline(__always)
    func hash(_ a: UInt64, thirteenByteTail tail: UInt64) -> UInt64 {
        var state = State(k0: k0, k1: k1)
        state.absorb(a)
        state.absorb(tail & 0xff_ffff_ffff | 13 << 56)
        return state.finish()
    }

    /// The tag of a run of 32-bit token ids, i.e. of their 4-byte little-endian
    /// encodings back to back, packed two per word without building the bytes.
    @inline(__always)
    func hash(tokens: UnsafeBufferPointer<Int32>) -> UInt64 {
        var state = State(k0: k0, k1: k1)
        let pairs = tokens.count / 2
        for pair in 0..<pairs {
            state.absorb(UInt64(UInt32(bitPattern: tokens[2 * pair])) | UInt64(UInt32(bitPattern: tokens[2 * pair + 1])) << 32)
        }
        var last = UInt64(truncatingIfNeeded: tokens.count &* 4) << 56
        if tokens.count % 2 == 1 { last |= UInt64(UInt32(bitPattern: tokens[tokens.count - 1])) }
        state.absorb(last)
        return state.finish()
    }

    private static func littleEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<8 { word |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        return word
    }

    /// The four-word internal state; "736f6d65…" are the initialisation
    /// constants of the SipHash specification ("somepseudorandomlygeneratedbytes").
    private struct State {
        var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64

        @inline(__always) init(k0: UInt64, k1: UInt64) {
            v0 = k0 ^ 0x736f_6d65_7073_6575
            v1 = k1 ^ 0x646f_7261_6e64_6f6d
            v2 = k0 ^ 0x6c79_6765_6e65_7261
            v3 = k1 ^ 0x7465_6462_7974_6573
        }

        @inline(__always) mutating func round() {
            v0 = v0 &+ v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
            v2 = v2 &+ v3; v3 = rotl(v3, 16); v3 ^= v2
            v0 = v0 &+ v3; v3 = rotl(v3, 21); v3 ^= v0
            v2 = v2 &+ v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
        }

        @inline(__always) mutating func absorb(_ m: UInt64) {
            v3 ^= m
            round(); round()
            v0 ^= m
        }

        @inline(__always) mutating func finish() -> UInt64 {
            v2 ^= 0xff
            round(); round(); round(); round()
            return v0 ^ v1 ^ v2 ^ v3
        }

        @inline(__always) private func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { x << n | x >> (64 - n) }
    }
}
