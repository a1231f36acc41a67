#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AegisCore

extension WatermarkSampler {
    /// An upper bound on vLLM's Gumbel noise −log(−log u): u ≤ 2²⁴/(2²⁴ + 1) gives 16.64.
    /// A token whose processed logit is this far below the best value so far cannot win.
    static let vllmNoiseBound: Float = 17

    /// vLLM's Gumbel-max choice (`GumbelWatermarker._sample_watermarked` and its Triton kernel):
    /// the kept token maximising processed logit + −log(−log u), in float32, the lowest token id
    /// on a tie, where the processed logit is logit / T and u is vLLM's Philox uniform for the
    /// window and the token. Without truncation the Philox call runs once per four token ids.
    ///
    /// Two filters skip the logs of tokens that cannot win, without changing the choice:
    /// a processed logit more than `vllmNoiseBound` below the best value so far, and the
    /// Aaronson-style bound −log u ≥ 1 − u: P + g ≥ B needs −log u ≤ e^(P − B), so a token with
    /// 1 − u > w·e^(M/T − B)·e^δ (w = e^((logit − M)/T), the distribution's weight) is out, with a
    /// margin δ far above the float error of the weights and of vLLM's float32 arithmetic.
    /// Survivors are evaluated exactly as vLLM evaluates them.
    func vllmGumbelChoice(_ distribution: StepDistribution, logits: UnsafeBufferPointer<Float>, temperature: Float,
                          window: UnsafeBufferPointer<TokenID>) -> Int {
        guard let vllm else { return distribution.token(at: 0) }
        let state = vllm.contextState(window: window, width: contextWidth)
        let maximumNats = Double(LogitScan.maximum(logits)) / Double(temperature)
        var best = -Float.infinity
        var scale = Double.infinity  // e^(M/T − B + δ): the bound's factor for the current best B
        var chosen = distribution.token(at: 0)
        @inline(__always) func consider(_ token: Int, word: UInt32, weight: Double, processed: Float) {
            let u = VLLMPhiloxPRF.uniform(word)
            guard 1 - Double(u) <= weight * scale else { return }
            let value = processed + VLLMPhiloxPRF.gumbelNoise(word)
            if value > best || (value == best && token < chosen) {
                best = value
                chosen = token
                let margin = 1e-3 + 1e-5 * Double(abs(value))
                scale = exp(maximumNats - Double(value) + margin)
            }
        }
        if distribution.isDense {
            var group = 0
            while group * 4 < logits.count {
                let base = group * 4
                let end = min(base + 4, logits.count)
                var groupBest = -Float.infinity
                for token in base..<end where distribution.weight(at: token) > 0 {
                    groupBest = max(groupBest, logits[token] / temperature)
                }
                if groupBest > -.infinity, groupBest + Self.vllmNoiseBound >= best {
                    let words = vllm.group(UInt32(truncatingIfNeeded: group), state: state)
                    for token in base..<end {
                        let weight = distribution.weight(at: token)
                        guard weight > 0 else { continue }
                        consider(token, word: words[token - base], weight: weight, processed: logits[token] / temperature)
                    }
                }
                group += 1
            }
            return chosen
        }
        // Sparse: the kept tokens by decreasing logit, so the first that cannot win ends the scan.
        for j in 0..<distribution.entries {
            let token = distribution.token(at: j)
            let processed = logits[token] / temperature
            if processed + Self.vllmNoiseBound < best { break }
            consider(token, word: vllm.word(token: TokenID(truncatingIfNeeded: token), state: state),
                     weight: distribution.weight(at: j), processed: processed)
        }
        return chosen
    }

    /// Whether the current window (the last `contextWidth` tokens of `context`, −1 before its
    /// start) already occurred as the window of an earlier position of `context`, within the
    /// last `deduplicateContextsMaxHistory` positions: vLLM's generation-side context
    /// deduplication (`deduplicate_contexts: "single_turn"`, its `_repeated_context_mask_cpu`),
    /// where the context is the request's generated tokens. No allocation: index arithmetic only.
    func vllmWindowRepeats(in context: UnsafeBufferPointer<TokenID>) -> Bool {
        let h = contextWidth, length = context.count
        let maxHistory = configuration.deduplicateContextsMaxHistory
        if maxHistory == 0 || length == 0 { return false }
        guard h > 0 else { return true }  // the empty window repeats at every position after the first
        @inline(__always) func token(_ index: Int) -> TokenID { index < 0 ? -1 : context[index] }
        let start = maxHistory.map { max(0, length - $0) } ?? 0
        for position in start..<length {
            var same = true
            for offset in 1...h where token(position - offset) != token(length - offset) {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }
}
