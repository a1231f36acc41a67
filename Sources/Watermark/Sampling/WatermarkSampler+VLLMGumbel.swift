import AegisCore

extension WatermarkSampler {
    /// An upper bound on vLLM's Gumbel noise −log(−log u): u ≤ 2²⁴/(2²⁴ + 1) gives 16.64.
    /// A token whose processed logit is this far below the best value so far cannot win.
    static let vllmNoiseBound: Float = 17

    /// vLLM's Gumbel-max choice (`GumbelWatermarker._sample_watermarked` and its Triton kernel):
    /// the kept token maximising processed logit + −log(−log u), in float32, the lowest token id
    /// on a tie, where the processed logit is logit / T and u is vLLM's Philox uniform for the
    /// window and the token. Without truncation the Philox call runs once per four token ids;
    /// tokens that cannot win (`vllmNoiseBound`) are skipped without it.
    func vllmGumbelChoice(_ distribution: StepDistribution, logits: UnsafeBufferPointer<Float>, temperature: Float,
                          window: UnsafeBufferPointer<TokenID>) -> Int {
        guard let vllm else { return distribution.token(at: 0) }
        let state = vllm.contextState(window: window, width: contextWidth)
        var best = -Float.infinity
        var chosen = distribution.token(at: 0)
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
                    for token in base..<end where distribution.weight(at: token) > 0 {
                        let value = logits[token] / temperature + VLLMPhiloxPRF.gumbelNoise(words[token - base])
                        // Ascending ids: a strict comparison keeps the lowest id on a tie, as argmax does.
                        if value > best { best = value; chosen = token }
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
            let value = processed + VLLMPhiloxPRF.gumbelNoise(vllm.word(token: TokenID(truncatingIfNeeded: token), state: state))
            if value > best || (value == best && token < chosen) { best = value; chosen = token }
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
