#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

extension WatermarkSampler {
    /// The most candidates the bias-first truncation examines (see `kgwBiasedTruncatedChoice`).
    static let biasedTruncationLimit = 4_096

    /// KGW under truncation, with the truncation applied to the *biased* distribution:
    /// δ is added to the green logits first, then min-p (relative to the biased maximum),
    /// top-k, temperature and top-p select the kept set, and the draw is exact over it.
    ///
    /// Why: truncating first (the earlier order) leaves the mark only the choice among the
    /// few tokens the nucleus keeps; at min-p 0.05 that is often one or two tokens, and a
    /// lone red token carries no mark. Biasing first lets a green token just outside the
    /// nucleus in, which is what the reference implementation does (its logits processor
    /// runs before the sampling warpers) and what keeps the mark detectable as served.
    ///
    /// Only tokens that can survive are examined: a kept token has
    /// logit + δ ≥ biased maximum + T·ln(min-p) ≥ maximum + T·ln(min-p), so the PRF runs on
    /// the tokens within δ − T·ln(min-p) of the best (δ + 32·T without min-p).
    ///
    /// Returns nil when more than `biasedTruncationLimit` tokens could survive (a flat
    /// distribution without min-p): the caller then truncates first and biases the kept
    /// tokens (the old order), which on such high-entropy steps keeps many tokens for the
    /// mark to act on, and avoids sorting most of the vocabulary (≈ 10× the plain sampler).
    func kgwBiasedTruncatedChoice(logits: UnsafeBufferPointer<Float>, temperature: Float,
                                  topK: Int, topP: Float, minP: Float, window: UnsafeBufferPointer<TokenID>,
                                  buffers: SamplerScratch.Buffers, rng: inout some RandomNumberGenerator) -> Int? {
        let maximum = LogitScan.maximum(logits)
        guard maximum.isFinite else { return nil }
        let cutoff = minP > 0 ? max(temperature * log(minP), -Self.supportCutoff * temperature) : -Self.supportCutoff * temperature
        let floor = maximum - delta + cutoff
        let keys = buffers.keys, weights = buffers.sparseWeights
        let count = LogitScan.collect(logits, atLeast: floor, into: keys, limit: Self.biasedTruncationLimit)
        guard count > 0, count <= Self.biasedTruncationLimit else { return nil }
        let isGreen = greenTest(window: window)
        // Re-key every candidate on its biased logit, then sort: most likely first.
        var biasedMaximum = -Float.infinity
        for j in 0..<count {
            let index = CandidateKey.index(keys[j])
            let biased = CandidateKey.logit(keys[j]) + (isGreen(index) ? delta : 0)
            keys[j] = CandidateKey.make(logit: biased, index: index)
            biasedMaximum = max(biasedMaximum, biased)
        }
        CandidateKey.sort(keys, count: count)
        // Min-p and top-k bound the kept prefix; then the weights at temperature and the top-p prefix.
        let minimumLogit = biasedMaximum + cutoff
        var kept = topK > 0 ? min(count, topK) : count
        var total = 0.0
        for j in 0..<kept {
            let logit = CandidateKey.logit(keys[j])
            guard logit >= minimumLogit else { kept = j; break }
            weights[j] = exp(Double((logit - biasedMaximum) / temperature))
            total += weights[j]
        }
        kept = max(kept, 1)
        if topP < 1 {
            var mass = 0.0
            for j in 0..<kept {
                mass += weights[j]
                if mass >= Double(topP) * total { kept = j + 1; total = mass; break }
            }
        }
        var target = Double.random(in: 0..<1, using: &rng) * total
        for j in 0..<kept {
            target -= weights[j]
            if target < 0 { return CandidateKey.index(keys[j]) }
        }
        return CandidateKey.index(keys[kept - 1])
    }
}
