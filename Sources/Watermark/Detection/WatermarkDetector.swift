import AegisCore

/// The detection side: tests token sequences for the watermark of one key and
/// configuration, with exact p-values.
///
/// Every scored token contributes one PRF input (seed, token). Inputs are scored
/// once (the first time they occur): repeated n-grams would otherwise count the
/// same pseudo-random value many times and the null distribution would no longer
/// be the binomial/Gamma one. Inputs that already occur in the prompt are not
/// scored, because text copied from the prompt says nothing about the generator.
public struct WatermarkDetector: Sendable {
    /// The configuration whose watermark this detector looks for.
    public let configuration: WatermarkConfiguration
    let prf: WatermarkPRF
    let greenThreshold: UInt64
    let contextWidth: Int
    let layersPerToken: Int
    let payloadBits: Int
    /// vLLM's Philox PRF, for `vllm-gumbel` only.
    let vllm: VLLMPhiloxPRF?

    /// A detector for `configuration` (its `payload` is ignored: the detector decodes it).
    public init(configuration: WatermarkConfiguration) {
        self.configuration = configuration
        prf = WatermarkPRF(key: configuration.key, scheme: configuration.scheme)
        greenThreshold = greenThresholdFor(gamma: configuration.clampedGamma)
        contextWidth = configuration.clampedContextWidth
        layersPerToken = configuration.scheme == .synthid ? configuration.clampedLayers : 1
        let isVLLM = configuration.scheme == .vllmGumbel
        // vLLM's scheme has no payload: its PRF takes no message.
        payloadBits = isVLLM ? 0 : configuration.clampedPayloadBits
        vllm = isVLLM ? VLLMPhiloxPRF(key: configuration.key.vllmKey) : nil
    }

    /// The first position that has a context: h for Aegis's schemes; 0 for `vllm-gumbel`,
    /// whose contexts are padded with −1 before the start of the text, as vLLM's are.
    var firstScoredPosition: Int { vllm == nil ? contextWidth : 0 }

    /// Tests a whole text.
    /// - Parameters:
    ///   - tokens: the text to test.
    ///   - promptTokens: what preceded it when it was generated, if known: it supplies
    ///     the context of the first tokens, and its own windows are excluded from scoring.
    /// - Throws: `WatermarkError` for an empty text or one shorter than a context window plus a token.
    public func detect(tokens: [TokenID], promptTokens: [TokenID] = []) throws(WatermarkError) -> WatermarkVerdict {
        let tuples = try scoredTuples(tokens: tokens, promptTokens: promptTokens)
        return try verdict(tuples, range: 0..<tuples.count, totalTokens: tokens.count)
    }

    /// Tests a text for a payload that must be one of `payloadCandidates` (say, the tags of
    /// the accounts that were served): only those messages are tried, so the correction is
    /// 1 − (1 − p_min)^K with K candidates instead of 2^b, and any b ≤ 32 stays cheap.
    public func detect(tokens: [TokenID], promptTokens: [TokenID] = [],
                       payloadCandidates: [UInt32]) throws(WatermarkError) -> WatermarkVerdict {
        let tuples = try scoredTuples(tokens: tokens, promptTokens: promptTokens)
        return try verdict(tuples, range: 0..<tuples.count, totalTokens: tokens.count, candidates: .list(payloadCandidates))
    }

    /// Tests every window of `windowLength` tokens (starting every `stride` tokens, by default
    /// half a window, the last one flush with the end) and reports the most significant,
    /// for texts of which only a part is watermarked. The best p-value is multiplied by the
    /// number of windows (Bonferroni), which stays valid although overlapping windows are dependent.
    public func detectWindowed(tokens: [TokenID], promptTokens: [TokenID] = [], windowLength: Int = 100,
                               stride: Int? = nil) throws(WatermarkError) -> WindowedVerdict {
        guard windowLength >= 1 else { throw .invalidWindow(length: windowLength) }
        let step = max(1, stride ?? max(1, windowLength / 2))
        let tuples = try scoredTuples(tokens: tokens, promptTokens: promptTokens)
        var starts = Array(Swift.stride(from: 0, to: max(1, tokens.count - windowLength + 1), by: step))
        if let last = starts.last, last + windowLength < tokens.count { starts.append(tokens.count - windowLength) }
        var best: (verdict: WatermarkVerdict, start: Int, end: Int)?
        for start in starts {
            let end = min(tokens.count, start + windowLength)
            let range = tuples.lowerBound(position: start)..<tuples.lowerBound(position: end)
            let candidate = try verdict(tuples, range: range, totalTokens: end - start)
            if best == nil || candidate.pValue < best!.verdict.pValue { best = (candidate, start, end) }
        }
        guard let best else { throw .emptyText }
        var chosen = best.verdict
        let uncorrected = chosen.pValue
        chosen.pValue = PValue.bonferroni(uncorrected, tests: starts.count)
        if let payloadP = chosen.payloadPValue { chosen.payloadPValue = PValue.bonferroni(payloadP, tests: starts.count) }
        return WindowedVerdict(verdict: chosen, start: best.start, end: best.end, windows: starts.count, uncorrectedPValue: uncorrected)
    }

    // MARK: Scoring

    /// The distinct scored PRF inputs, in text order.
    struct ScoredTuples {
        /// Offset in `tokens` of each scored input.
        var positions: [Int] = []
        var seeds: [UInt64] = []
        var tokens: [TokenID] = []
        /// `layers` unshifted outputs per scored input (1 unless SynthID).
        var values: [UInt64] = []
        let layers: Int

        var count: Int { positions.count }

        func lowerBound(position: Int) -> Int {
            var low = 0, high = positions.count
            while low < high {
                let middle = (low + high) / 2
                if positions[middle] < position { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    func scoredTuples(tokens: [TokenID], promptTokens: [TokenID]) throws(WatermarkError) -> ScoredTuples {
        guard !tokens.isEmpty else { throw .emptyText }
        let h = contextWidth
        // Aegis's schemes need one full window plus a token; vllm-gumbel pads its windows with −1.
        guard promptTokens.count + tokens.count > (vllm == nil ? h : 0) else {
            throw .textTooShort(tokens: tokens.count, needed: h + 1 - promptTokens.count)
        }
        var tuples = ScoredTuples(layers: layersPerToken)
        tuples.positions.reserveCapacity(tokens.count)
        tuples.values.reserveCapacity(tokens.count * layersPerToken)
        var seen = Set<UInt64>(minimumCapacity: promptTokens.count + tokens.count)
        appendScored(promptTokens + tokens, promptCount: promptTokens.count, offset: 0, seen: &seen, into: &tuples)
        return tuples
    }

    /// Appends the first occurrence (per `seen`) of each PRF input of `full` after its
    /// first `promptCount` tokens, at positions shifted by `offset`.
    func appendScored(_ full: [TokenID], promptCount: Int, offset: Int, seen: inout Set<UInt64>,
                      into tuples: inout ScoredTuples) {
        let h = contextWidth
        let start = firstScoredPosition
        guard full.count > start else { return }
        let byContext = configuration.deduplication == .context
        full.withUnsafeBufferPointer { text in
            for i in start..<full.count {
                let token = text[i]
                let window = UnsafeBufferPointer(rebasing: text[max(0, i - h)..<i])
                let seed: UInt64, first: UInt64, identity: UInt64
                if let vllm {
                    let state = vllm.contextState(window: window, width: h)
                    seed = VLLMPhiloxPRF.seed(of: state)
                    first = UInt64(vllm.word(token: token, state: state))
                    // The 32-bit word would collide within a few ten thousand tokens: identify
                    // the input by a 64-bit digest of (context state, token) instead.
                    identity = VLLMPhiloxPRF.mix(seed ^ VLLMPhiloxPRF.mix(UInt64(UInt32(bitPattern: token))))
                } else {
                    seed = self.seed(window: window, token: token)
                    // The unshifted output identifies the PRF input (seed, token): the dedup key.
                    first = prf.value(seed: seed, token: token)
                    identity = first
                }
                guard seen.insert(byContext ? seed : identity).inserted, i >= promptCount else { continue }
                tuples.positions.append(offset + i - promptCount)
                tuples.seeds.append(seed)
                tuples.tokens.append(token)
                tuples.values.append(first)
                for layer in 1..<max(layersPerToken, 1) { tuples.values.append(prf.value(seed: seed, token: token, layer: layer)) }
            }
        }
    }

    /// The PRF seed of `token` after `window`: SelfHash's min-hash for KGW SelfHash, else the window's hash.
    @inline(__always)
    func seed(window: UnsafeBufferPointer<TokenID>, token: TokenID) -> UInt64 {
        if configuration.scheme == .kgw && configuration.seeding == .selfHash {
            return min(prf.minimumAnchor(window: window), prf.anchor(token))
        }
        return prf.seed(window: window)
    }

    func verdict(_ tuples: ScoredTuples, range: Range<Int>, totalTokens: Int,
                 candidates: PayloadCandidates? = nil) throws(WatermarkError) -> WatermarkVerdict {
        let n = range.count
        let messages = vllm != nil ? nil : candidates ?? (payloadBits > 0 ? .all(bits: payloadBits) : nil)
        guard n > 0 else {
            return WatermarkVerdict(pValue: 1, score: 0, scoredTokens: 0, totalTokens: totalTokens,
                                    payload: messages == nil ? nil : 0, payloadPValue: messages == nil ? nil : 1)
        }
        let values = tuples.values[(range.lowerBound * tuples.layers)..<(range.upperBound * tuples.layers)]
        let u = tieBreak(values)
        guard let messages else {
            let (p, score) = significance(Self.statistic(values, scheme: configuration.scheme, greenThreshold: greenThreshold), scored: n, tieBreak: u)
            return WatermarkVerdict(pValue: p, score: score, scoredTokens: n, totalTokens: totalTokens)
        }
        let evaluations = Double(n) * Double(tuples.layers) * messages.count
        guard evaluations <= Self.maximumPayloadEvaluations else {
            throw .payloadTooCostly(bits: payloadBits, tokens: n)
        }
        var best = (message: UInt32(0), statistic: -Double.infinity)
        var shifted = [UInt64](repeating: 0, count: n * tuples.layers)
        messages.forEach { message in
            var k = 0
            for t in range {
                for layer in 0..<tuples.layers {
                    shifted[k] = prf.value(seed: tuples.seeds[t], token: tuples.tokens[t], layer: layer, shift: message)
                    k += 1
                }
            }
            let statistic = Self.statistic(shifted[...], scheme: configuration.scheme, greenThreshold: greenThreshold)
            if statistic > best.statistic { best = (message, statistic) }
        }
        let (p, score) = significance(best.statistic, scored: n, tieBreak: u)
        let corrected = PValue.minimumOfIndependent(p, tests: messages.count)
        return WatermarkVerdict(pValue: corrected, score: score, scoredTokens: n, totalTokens: totalTokens,
                                payload: best.message, payloadPValue: corrected)
    }

    /// Decoding re-evaluates the PRF once per scored token, layer and message; beyond this
    /// many evaluations (about five seconds) it refuses rather than hang.
    public static let maximumPayloadEvaluations: Double = 268_435_456

    /// The un-shifted statistic: green count, Σ −log(1−r), or Σ g.
    static func statistic(_ values: ArraySlice<UInt64>, scheme: WatermarkScheme, greenThreshold: UInt64) -> Double {
        switch scheme {
        case .kgw: return Double(values.reduce(0) { $0 + ($1 < greenThreshold ? 1 : 0) })
        case .gumbel: return values.reduce(0.0) { $0 + exponentialScore($1) }
        case .synthid: return Double(values.reduce(0) { $0 + Int($1 >> 63) })
        case .vllmGumbel: return values.reduce(0.0) { $0 + VLLMPhiloxPRF.score(UInt32(truncatingIfNeeded: $1)) }
        }
    }

    /// The exact p-value and normalised score of a statistic over `n` scored tokens.
    ///
    /// The binomial tests (KGW, SynthID) are discrete, so P(X ≥ s) alone would be
    /// conservative (its size below nominal). They use the randomised p-value
    /// P(X > s) + U·P(X = s), exactly uniform under the null, with U a keyed hash of
    /// the scored PRF outputs: the same text always gets the same p-value.
    func significance(_ statistic: Double, scored n: Int, tieBreak u: Double) -> (pValue: Double, score: Double) {
        func randomised(successes: Int, trials: Int, probability: Double) -> Double {
            let atLeast = PValue.binomialUpperTail(successes: successes, trials: trials, probability: probability)
            let above = PValue.binomialUpperTail(successes: successes + 1, trials: trials, probability: probability)
            return min(1, above + u * max(0, atLeast - above))
        }
        switch configuration.scheme {
        case .kgw:
            let gamma = Double(greenThreshold) * 0x1p-64
            return (randomised(successes: Int(statistic), trials: n, probability: gamma), statistic / Double(n))
        case .gumbel, .vllmGumbel:
            return (PValue.gammaUpperTail(shape: Double(n), x: statistic), statistic / Double(n))
        case .synthid:
            let trials = n * layersPerToken
            return (randomised(successes: Int(statistic), trials: trials, probability: 0.5), statistic / Double(trials))
        }
    }

    /// The U of the randomised p-value: a keyed hash of the scored outputs, so it is a
    /// pseudo-random number independent of the count it breaks ties for.
    func tieBreak(_ values: ArraySlice<UInt64>) -> Double {
        var sum: UInt64 = 0, mixed: UInt64 = 0
        for value in values {
            sum &+= value
            mixed = (mixed ^ value) &* 0x9e37_79b9_7f4a_7c15
        }
        return unitInterval(prf.contextKey.hash(sum, mixed))
    }
}
