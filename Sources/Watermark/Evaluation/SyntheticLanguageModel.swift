#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// A stand-in for a language model's next-token distribution, for tests,
/// benchmarks and the power evaluation (not part of the public API: `@_spi(Evaluation)`).
///
/// After a context it returns Zipf logits −s·ln(rank) over the whole vocabulary,
/// ranks scattered over token ids by a random affine permutation; the exponent s
/// and the permutation are a deterministic function of the last two tokens, so, as
/// with a real model, the same context gives the same distribution. With s drawn
/// from 1.3…2.6 the entropy per step ranges from about 4.5 to 1 nat (mean ≈ 2.1),
/// the range of a small chat model's sampling entropy at temperature 1.
@_spi(Evaluation)
public struct SyntheticLanguageModel: Sendable {
    /// Number of token ids.
    public let vocabularySize: Int
    /// Range of the Zipf exponent drawn per context.
    public let exponentRange: ClosedRange<Double>
    private let seed: UInt64
    private let logRanks: [Float]

    /// A model over `vocabularySize` tokens whose distributions are fixed by `seed`.
    public init(vocabularySize: Int = 49_152, seed: UInt64 = 1, exponentRange: ClosedRange<Double> = 1.3...2.6) {
        self.vocabularySize = max(vocabularySize, 2)
        self.seed = seed
        self.exponentRange = exponentRange
        logRanks = (0..<max(vocabularySize, 2)).map { Float(log(Double($0 + 1))) }
    }

    /// Writes the next-token logits after `context` into `logits` (vocabularySize entries).
    public func logits(after context: UnsafeBufferPointer<TokenID>, into logits: UnsafeMutableBufferPointer<Float>) {
        var state = seed
        for token in context.suffix(2) { state = Self.mix(state ^ UInt64(UInt32(bitPattern: token))) }
        state = Self.mix(state &+ UInt64(context.count >= 2 ? 0 : 1 + context.count))
        let unit = Double(Self.mix(state ^ 0x1) >> 11) * 0x1p-53
        let exponent = Float(exponentRange.lowerBound + unit * (exponentRange.upperBound - exponentRange.lowerBound))
        let v = vocabularySize
        var multiplier = Int(Self.mix(state ^ 0x2) % UInt64(v)) | 1
        while Self.gcd(multiplier, v) != 1 { multiplier = (multiplier + 2) % v }
        let offset = Int(Self.mix(state ^ 0x3) % UInt64(v))
        var token = offset
        for rank in 0..<v {
            logits[token] = -exponent * logRanks[rank]
            token += multiplier
            if token >= v { token -= v }
        }
    }

    /// Entropy in nats of the distribution after `context` at temperature 1.
    public func entropy(after context: [TokenID]) -> Double {
        var logits = [Float](repeating: 0, count: vocabularySize)
        context.withUnsafeBufferPointer { c in logits.withUnsafeMutableBufferPointer { self.logits(after: c, into: $0) } }
        let maximum = Double(logits.max() ?? 0)
        let weights = logits.map { exp(Double($0) - maximum) }
        let total = weights.reduce(0, +)
        return -weights.reduce(0.0) { $0 + ($1 > 0 ? $1 / total * log($1 / total) : 0) }
    }

    /// Continues `prompt` by `count` tokens drawn with `sampler`, returning only the new tokens.
    public func generate(count: Int, prompt: [TokenID], sampler: WatermarkSampler, temperature: Float = 1,
                         topK: Int = 0, topP: Float = 1, using rng: inout some RandomNumberGenerator) -> [TokenID] {
        var context = prompt
        context.reserveCapacity(prompt.count + count)
        var logits = [Float](repeating: 0, count: vocabularySize)
        for _ in 0..<count {
            let next = context.withUnsafeBufferPointer { c in
                logits.withUnsafeMutableBufferPointer { l in
                    self.logits(after: c, into: l)
                    return sampler.sample(logits: l, context: c, temperature: temperature, topK: topK, topP: topP, using: &rng)
                }
            }
            context.append(next)
        }
        return Array(context[prompt.count...])
    }

    /// splitmix64's finaliser: a fixed, unkeyed mixer, fine for a test distribution.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}

@_spi(Evaluation)
extension WatermarkSampler {
    /// The same sampling pipeline (support, top-k, top-p, draw) with the watermark left out:
    /// the peer the benchmark and the evaluation compare against.
    public static func unwatermarked(configuration: WatermarkConfiguration) -> WatermarkSampler {
        WatermarkSampler(configuration: configuration, watermarking: false)
    }
}

