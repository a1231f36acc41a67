#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

/// The generation-side hook: picks the next token from one step's logits with
/// the configured watermark, so any inference engine can use it.
///
/// A step first builds the model's distribution (temperature, then top-k, then
/// top-p; see `StepDistribution`), then the scheme acts on the kept tokens:
/// - KGW adds δ to green logits before temperature and draws from the result exactly,
///   with the PRF on the few tokens that can matter, or by rejection (≈ 3 proposals per
///   token at T = 1) when many can. Truncation comes first: δ never promotes a token
///   that top-k/top-p removed (with no truncation this is exactly Kirchenbauer et al.).
/// - Gumbel needs r for every kept token (one SipHash each; the log only for the few
///   that can still win). With top-p < 1 that is the nucleus; with none, the vocabulary.
/// - SynthID runs its m-layer tournament over the top-k (default 40) after temperature.
/// Tokens more than `supportCutoff` nats below the best get weight 0: they carry
/// less than V·e^−32 ≈ 2e-9 of the mass (V = 151,936), below float resolution.
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
    /// vLLM's Philox PRF, for `vllm-gumbel` only.
    let vllm: VLLMPhiloxPRF?
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
        vllm = configuration.scheme == .vllmGumbel ? VLLMPhiloxPRF(key: configuration.key.vllmKey) : nil
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
        sample(logits: logits, context: context, temperature: temperature, topK: topK, topP: topP, minP: 0, using: &rng)
    }

    /// Chooses the next token with min-p truncation too: tokens less likely than
    /// `minP` × the most likely one are dropped (0 = off), then top-k, then top-p.
    ///
    /// KGW with `configuration.truncatesBiasedDistribution` (the default) truncates the
    /// distribution *after* δ is added, as the reference implementation's logits
    /// processor does before the sampling warpers: a green token just outside the
    /// nucleus can enter it. Gumbel and SynthID truncate the model's own distribution.
    public func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                       temperature: Float, topK: Int, topP: Float, minP: Float,
                       using rng: inout some RandomNumberGenerator) -> TokenID {
        guard logits.count > 0 else { return 0 }
        if scheme == .vllmGumbel, !(temperature > 0) {
            // vLLM decodes temperature 0 greedily and unmarked (Gumbel noise would change the argmax).
            return TokenID(LogitScan.firstIndex(of: LogitScan.maximum(UnsafeBufferPointer(logits)), in: UnsafeBufferPointer(logits)))
        }
        // vLLM samples a step whose window already occurred in the context without the mark.
        let marks = scheme != .vllmGumbel || !vllmWindowRepeats(in: context)
        let temperature = temperature.isFinite && temperature > 1e-4 ? temperature : 1e-4
        let minP = minP.isFinite && minP > 0 ? min(minP, 1) : 0
        let window = UnsafeBufferPointer(rebasing: context[max(0, context.count - contextWidth)...])
        let topP = topP.isNaN ? 1 : topP
        let truncated = (topK > 0 && topK < logits.count) || topP < 1 || minP > 0
        let biasFirst = scheme == .kgw && configuration.truncatesBiasedDistribution && truncated
        return scratch.withBuffers(capacity: logits.count) { buffers in
            if biasFirst, let token = kgwBiasedTruncatedChoice(logits: UnsafeBufferPointer(logits), temperature: temperature,
                                                               topK: topK, topP: topP, minP: minP, window: window,
                                                               buffers: buffers, rng: &rng) {
                return TokenID(token)
            }
            if minP > 0 {
                // Min-p on the model's own logits: a mask, as the plain sampler applies it.
                let threshold = LogitScan.maximum(UnsafeBufferPointer(logits)) + temperature * log(minP)
                for i in logits.indices where logits[i] < threshold { logits[i] = -.infinity }
            }
            return step(logits: UnsafeBufferPointer(logits), window: window, temperature: temperature,
                        topK: topK, topP: topP, marks: marks, buffers: buffers, rng: &rng)
        }
    }

    private func step(logits: UnsafeBufferPointer<Float>, window: UnsafeBufferPointer<TokenID>, temperature: Float,
                      topK: Int, topP: Float, marks: Bool, buffers: SamplerScratch.Buffers,
                      rng: inout some RandomNumberGenerator) -> TokenID {
        let maximum = LogitScan.maximum(logits)
        guard maximum.isFinite else { return TokenID(LogitScan.firstIndex(of: maximum, in: logits)) }
        if scheme == .kgw {
            return TokenID(kgwChoice(logits: logits, maximum: maximum, temperature: temperature, topK: topK, topP: topP,
                                     window: window, buffers: buffers, rng: &rng))
        }
        var limit = max(topK, 0)
        if scheme == .synthid { limit = limit > 0 ? min(limit, tournamentTopK) : tournamentTopK }
        var distribution = StepDistribution(buffers: buffers)
        distribution.build(logits: logits, maximum: maximum, temperature: temperature, topK: limit, topP: topP)
        guard distribution.total > 0, distribution.total.isFinite else {
            return TokenID(LogitScan.firstIndex(of: maximum, in: logits))
        }
        guard marks else { return TokenID(distribution.draw(using: &rng)) }
        switch scheme {
        case nil: return TokenID(distribution.draw(using: &rng))
        case .kgw: return TokenID(distribution.draw(using: &rng))  // handled above
        case .gumbel: return TokenID(gumbelChoice(distribution, window: window))
        case .synthid: return TokenID(tournament(distribution, window: window, rng: &rng))
        case .vllmGumbel: return TokenID(vllmGumbelChoice(distribution, logits: logits, temperature: temperature, window: window))
        }
    }

    /// KGW: δ is added to the green tokens' logits before temperature, as in the reference
    /// implementation, so the target is p_T(v)·e^(δ·green(v)/T) over the tokens that top-k and
    /// top-p (computed on the model's own distribution) keep. Two exact ways to draw from it:
    /// - *explicit*, when at most 4,096 tokens can matter (the kept set, or without truncation
    ///   the tokens within δ + 32·T logits of the best): the PRF runs on each of them;
    /// - *rejection*, otherwise (high temperature, flat logits): propose from p_T, keep a green
    ///   proposal, keep a red one with probability e^(−δ/T). The PRF runs on
    ///   ≈ 1/(γ + (1−γ)e^(−δ/T)) ≈ 2.9 proposals per token at T = 1 instead of the vocabulary;
    ///   after 64 rejections the explicit draw takes over, equally exact.
    private func kgwChoice(logits: UnsafeBufferPointer<Float>, maximum: Float, temperature: Float, topK: Int, topP: Float,
                           window: UnsafeBufferPointer<TokenID>, buffers: SamplerScratch.Buffers,
                           rng: inout some RandomNumberGenerator) -> Int {
        let isGreen = greenTest(window: window)
        let explicitLimit = 4_096
        let bonusNats = delta / temperature
        let floor = maximum - delta - Self.supportCutoff * temperature
        var distribution = StepDistribution(buffers: buffers)
        if (topK > 0 && topK < logits.count) || topP < 1 {
            distribution.build(logits: logits, maximum: maximum, temperature: temperature, topK: topK, topP: topP)
            if distribution.count <= explicitLimit {
                return explicitGreenDraw(buffers: buffers, count: distribution.count, temperature: temperature, isGreen: isGreen, rng: &rng)
            }
        } else {
            let count = LogitScan.collect(logits, atLeast: floor, into: buffers.keys, limit: explicitLimit)
            if count <= explicitLimit {
                return explicitGreenDraw(buffers: buffers, count: count, temperature: temperature, isGreen: isGreen, rng: &rng)
            }
            distribution.build(logits: logits, maximum: maximum, temperature: temperature, topK: 0, topP: 1,
                               supportNats: Self.supportCutoff + bonusNats)
        }
        let keepRed = exp(-Double(bonusNats))
        for _ in 0..<64 {
            let token = distribution.draw(using: &rng)
            if isGreen(token) || Double.random(in: 0..<1, using: &rng) < keepRed { return token }
        }
        let count = distribution.isDense ? LogitScan.collect(logits, atLeast: floor, into: buffers.keys) : distribution.count
        return explicitGreenDraw(buffers: buffers, count: count, temperature: temperature, isGreen: isGreen, rng: &rng)
    }

    /// KGW's green test for candidates after `window` (the context part of the seed computed once).
    func greenTest(window: UnsafeBufferPointer<TokenID>) -> (Int) -> Bool {
        let contextSeed = configuration.seeding == .leftHash ? prf.seed(window: window) : prf.minimumAnchor(window: window)
        let selfHash = configuration.seeding == .selfHash
        return { (token: Int) -> Bool in
            let token = TokenID(truncatingIfNeeded: token)
            let seed = selfHash ? min(contextSeed, self.prf.anchor(token)) : contextSeed
            return self.prf.value(seed: seed, token: token, shift: self.shift) < self.greenThreshold
        }
    }

    /// Draws from e^((logit + δ·green − best)/T) over the first `count` candidate keys.
    private func explicitGreenDraw(buffers: SamplerScratch.Buffers, count: Int, temperature: Float,
                                   isGreen: (Int) -> Bool, rng: inout some RandomNumberGenerator) -> Int {
        let keys = buffers.keys, biased = buffers.sparseWeights
        var best = -Double.infinity
        for j in 0..<count {
            let logit = Double(CandidateKey.logit(keys[j])) + (isGreen(CandidateKey.index(keys[j])) ? Double(delta) : 0)
            biased[j] = logit
            best = max(best, logit)
        }
        var total = 0.0
        for j in 0..<count {
            biased[j] = exp((biased[j] - best) / Double(temperature))
            total += biased[j]
        }
        var target = Double.random(in: 0..<1, using: &rng) * total
        for j in 0..<count {
            target -= biased[j]
            if target < 0 { return CandidateKey.index(keys[j]) }
        }
        return CandidateKey.index(keys[max(count - 1, 0)])
    }

    /// Aaronson's rule: the token maximising r^(1/p), i.e. minimising E/p with E = −log r
    /// ~ Exp(1). Since E ≥ 1 − r, most tokens are ruled out without computing the log.
    private func gumbelChoice(_ distribution: StepDistribution, window: UnsafeBufferPointer<TokenID>) -> Int {
        let seed = prf.seed(window: window)
        var best = Double.infinity
        var chosen = distribution.token(at: 0)
        for j in 0..<distribution.entries {
            let weight = distribution.weight(at: j)
            guard weight > 0 else { continue }
            let token = distribution.token(at: j)
            let r = unitInterval(prf.value(seed: seed, token: TokenID(truncatingIfNeeded: token), shift: shift))
            let bound = best * weight
            guard 1 - r < bound else { continue }
            let e = -log(r)
            if e < bound {
                best = e / weight
                chosen = token
            }
        }
        return chosen
    }

    /// SynthID's tournament with two players per match, in its closed form: after each
    /// layer ℓ the winner's distribution is p·(1 + g_ℓ − E_p[g_ℓ]), which leaves the
    /// expected distribution over keys unchanged (non-distortionary).
    private func tournament(_ distribution: StepDistribution, window: UnsafeBufferPointer<TokenID>,
                            rng: inout some RandomNumberGenerator) -> Int {
        let seed = prf.seed(window: window)
        let count = distribution.entries
        let weights = distribution.buffers.sparseWeights, values = distribution.buffers.values
        for j in 0..<count { weights[j] = distribution.weight(at: j) / distribution.total }
        for layer in 0..<layers {
            var expected = 0.0
            for j in 0..<count {
                let token = TokenID(truncatingIfNeeded: distribution.token(at: j))
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
        var target = Double.random(in: 0..<1, using: &rng)
        for j in 0..<count {
            target -= weights[j]
            if target < 0 { return distribution.token(at: j) }
        }
        return distribution.token(at: count - 1)
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
