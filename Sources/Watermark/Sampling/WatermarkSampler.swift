#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// The generation-side hook: picks the next token from one step's logits with
/// the configured watermark, so any inference engine can use it.
///
/// One step costs a scan of the logits for their maximum, then work on the
/// *support* only: the tokens whose logit lies within `supportCutoff`·T (+δ for
/// KGW) of the maximum. The PRF runs once per support token (twice for SelfHash,
/// m times per top-k token for SynthID), never over the whole vocabulary. The
/// tokens left out carry less than V·e^−32 ≈ 2e-9 of the probability (V = 151,936),
/// below the resolution of the float logits themselves.
///
/// Memory: the sampler owns a scratch area that grows to the vocabulary size on
/// the first step and is reused after, so steps do not allocate. Make one sampler
/// per generation stream; sharing one between threads is safe but allocates
/// whenever two steps overlap.
public struct WatermarkSampler: Sendable {
    /// The configuration this sampler embeds.
    public let configuration: WatermarkConfiguration
    let prf: WatermarkPRF
    let greenThreshold: UInt64
    let shift: UInt32
    let delta: Float
    let contextWidth: Int
    let layers: Int
    let tournamentTopK: Int
    let scheme: WatermarkScheme?
    private let scratch = SamplerScratch()

    /// Tokens more than this many nats (logit/T) below the best are outside the support.
    public static let supportCutoff: Float = 32

    /// A sampler for `configuration`; out-of-range options are clamped (validate user input first).
    public init(configuration: WatermarkConfiguration) {
        self.init(configuration: configuration, watermarking: true)
    }

    init(configuration: WatermarkConfiguration, watermarking: Bool) {
        self.configuration = configuration
        prf = WatermarkPRF(key: configuration.key, scheme: configuration.scheme)
        greenThreshold = greenThresholdFor(gamma: configuration.clampedGamma)
        shift = configuration.payloadShift
        delta = configuration.clampedDelta
        contextWidth = configuration.clampedContextWidth
        layers = configuration.clampedLayers
        tournamentTopK = configuration.clampedTopK
        scheme = watermarking ? configuration.scheme : nil
    }

    /// Chooses the next token from one step's raw logits (may be modified in place).
    ///
    /// - Parameters:
    ///   - logits: one logit per vocabulary entry.
    ///   - context: all tokens before this step (prompt + generated); its last
    ///     `contextWidth` tokens seed the PRF.
    ///   - temperature: > 0; values ≤ 0 behave as a near-greedy 1e-4.
    ///   - topK: keep the k most likely tokens (0 = no limit). SynthID further caps it at `configuration.topK`.
    ///   - topP: keep the smallest set of most likely tokens whose mass reaches topP (1 = no limit).
    ///   - rng: the randomness of the draw (Gumbel needs none: its randomness is the PRF).
    public func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                       temperature: Float, topK: Int, topP: Float,
                       using rng: inout some RandomNumberGenerator) -> TokenID {
        guard logits.count > 0 else { return 0 }
        let temperature = temperature.isFinite && temperature > 1e-4 ? temperature : 1e-4
        let window = UnsafeBufferPointer(rebasing: context[max(0, context.count - contextWidth)...])
        return scratch.withBuffers(capacity: logits.count) { buffers in
            step(logits: UnsafeBufferPointer(logits), window: window, temperature: temperature,
                 topK: topK, topP: topP.isNaN ? 1 : topP, buffers: buffers, rng: &rng)
        }
    }

    private func step(logits: UnsafeBufferPointer<Float>, window: UnsafeBufferPointer<TokenID>, temperature: Float,
                      topK: Int, topP: Float, buffers: SamplerScratch.Buffers,
                      rng: inout some RandomNumberGenerator) -> TokenID {
        let keys = buffers.keys, weights = buffers.weights
        let maximum = LogitScan.maximum(logits)
        guard maximum.isFinite else { return TokenID(LogitScan.firstIndex(of: maximum, in: logits)) }
        let bias = scheme == .kgw ? delta : 0
        var count = LogitScan.collect(logits, atLeast: maximum - Self.supportCutoff * temperature - bias, into: keys)
        guard count > 0 else { return TokenID(LogitScan.firstIndex(of: maximum, in: logits)) }

        if scheme == .kgw { applyGreenBonus(keys: keys, count: count, window: window) }
        var limit = topK > 0 ? topK : Int.max
        if scheme == .synthid { limit = min(limit, tournamentTopK) }
        if limit < count || topP < 1 {
            CandidateKey.sort(keys, count: count)
            count = min(count, limit)
        }
        var best = -Float.infinity
        for j in 0..<count { best = max(best, CandidateKey.logit(keys[j])) }

        let inverseTemperature = 1 / Double(temperature)
        var total = 0.0
        for j in 0..<count {
            let weight = exp(Double(CandidateKey.logit(keys[j]) - best) * inverseTemperature)
            weights[j] = weight
            total += weight
        }
        if topP < 1 {
            let target = Double(max(topP, 0)) * total
            var cumulative = 0.0
            for j in 0..<count {
                cumulative += weights[j]
                if cumulative >= target { count = j + 1; break }
            }
            total = cumulative
        }

        switch scheme {
        case .gumbel:
            return gumbelChoice(keys: keys, weights: weights, count: count, total: total, window: window)
        case .synthid:
            tournament(keys: keys, weights: weights, count: count, total: total, window: window, values: buffers.values)
            total = 1
        case .kgw, nil:
            break
        }
        var target = Double.random(in: 0..<1, using: &rng) * total
        for j in 0..<count {
            target -= weights[j]
            if target < 0 { return TokenID(CandidateKey.index(keys[j])) }
        }
        return TokenID(CandidateKey.index(keys[count - 1]))
    }

    /// KGW: adds δ to every green support token's logit (re-packing its key).
    private func applyGreenBonus(keys: UnsafeMutableBufferPointer<UInt64>, count: Int, window: UnsafeBufferPointer<TokenID>) {
        let contextSeed = configuration.seeding == .leftHash ? prf.seed(window: window) : prf.minimumAnchor(window: window)
        let selfHash = configuration.seeding == .selfHash
        for j in 0..<count {
            let token = TokenID(truncatingIfNeeded: CandidateKey.index(keys[j]))
            let seed = selfHash ? min(contextSeed, prf.anchor(token)) : contextSeed
            if prf.value(seed: seed, token: token, shift: shift) < greenThreshold {
                keys[j] = CandidateKey.make(logit: CandidateKey.logit(keys[j]) + delta, index: Int(token))
            }
        }
    }

    /// Aaronson's rule: the token maximising r^(1/p), i.e. log(r)/p, with r the keyed uniform.
    private func gumbelChoice(keys: UnsafeMutableBufferPointer<UInt64>, weights: UnsafeMutableBufferPointer<Double>,
                              count: Int, total: Double, window: UnsafeBufferPointer<TokenID>) -> TokenID {
        let seed = prf.seed(window: window)
        var bestScore = -Double.infinity
        var chosen = CandidateKey.index(keys[0])
        for j in 0..<count where weights[j] > 0 {
            let token = TokenID(truncatingIfNeeded: CandidateKey.index(keys[j]))
            let r = unitInterval(prf.value(seed: seed, token: token, shift: shift))
            let score = log(r) * total / weights[j]
            if score > bestScore { bestScore = score; chosen = Int(token) }
        }
        return TokenID(chosen)
    }

    /// SynthID's tournament with two players per match, in its closed form: after each
    /// layer ℓ the winner's distribution is p·(1 + g_ℓ − E_p[g_ℓ]), which leaves the
    /// expected distribution over keys unchanged (non-distortionary).
    private func tournament(keys: UnsafeMutableBufferPointer<UInt64>, weights: UnsafeMutableBufferPointer<Double>,
                            count: Int, total: Double, window: UnsafeBufferPointer<TokenID>,
                            values: UnsafeMutableBufferPointer<UInt64>) {
        let seed = prf.seed(window: window)
        for j in 0..<count { weights[j] /= total }
        for layer in 0..<layers {
            var expected = 0.0
            for j in 0..<count {
                let token = TokenID(truncatingIfNeeded: CandidateKey.index(keys[j]))
                let g = prf.value(seed: seed, token: token, layer: layer, shift: shift) >> 63
                values[j] = g
                expected += weights[j] * Double(g)
            }
            var sum = 0.0
            for j in 0..<count {
                weights[j] *= 1 + Double(values[j]) - expected
                sum += weights[j]
            }
            // Renormalise against rounding drift over many layers.
            for j in 0..<count { weights[j] /= sum }
        }
    }
}

/// γ·2⁶⁴ as an integer: a PRF output below it is green.
func greenThresholdFor(gamma: Double) -> UInt64 {
    let scaled = gamma * 18_446_744_073_709_551_616.0
    return scaled >= 18_446_744_073_709_551_615.0 ? .max : UInt64(scaled)
}

/// A 64-bit PRF output as a uniform number strictly inside (0, 1) (53 bits, centred).
@inline(__always)
func unitInterval(_ value: UInt64) -> Double {
    (Double(value >> 11) + 0.5) * 0x1p-53
}
