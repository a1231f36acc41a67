import AegisCore

extension WatermarkDetector {
    /// The PRF input of every position of `tokens` that has a full context window
    /// (prompt tokens supply the context of the first ones), in text order, repeats included.
    /// For `vllm-gumbel` every position has one: windows reaching before the start are
    /// padded with −1, as vLLM pads them.
    ///
    /// A position's `input` is its deduplication identity (see `PRFInput`): the detector
    /// scores each distinct input once, so a corpus-level test that pools texts must
    /// deduplicate on it too.
    public func prfInputs(tokens: [TokenID], promptTokens: [TokenID] = []) -> [(position: Int, input: PRFInput)] {
        let h = contextWidth
        let full = promptTokens + tokens
        let start = firstScoredPosition
        guard full.count > start else { return [] }
        var inputs: [(position: Int, input: PRFInput)] = []
        inputs.reserveCapacity(full.count - start)
        full.withUnsafeBufferPointer { text in
            for i in max(start, promptTokens.count)..<full.count {
                let window = UnsafeBufferPointer(rebasing: text[max(0, i - h)..<i])
                let seed = vllm.map { VLLMPhiloxPRF.seed(of: $0.contextState(window: window, width: h)) }
                    ?? self.seed(window: window, token: text[i])
                inputs.append((i - promptTokens.count, PRFInput(seed: seed, token: text[i])))
            }
        }
        return inputs
    }

    /// Tests a corpus of texts as one sample: every PRF input is scored once over the
    /// whole corpus (its first occurrence), and context windows never span two texts.
    ///
    /// This is the pooled test of many answers under the provider's one key. Pooling
    /// with corpus-wide deduplication keeps the scored values distinct, so under the
    /// null (texts written without the key) the statistic has the same exact
    /// distribution as for one text: Binomial(n, γ) for KGW, Gamma(n, 1) for Gumbel,
    /// Binomial(n·m, ½) for SynthID. The verdict's `totalTokens` is the corpus's token count.
    /// - Throws: `WatermarkError.emptyText` when no text is long enough to score a token.
    public func detect(corpus texts: [[TokenID]]) throws(WatermarkError) -> WatermarkVerdict {
        var tuples = ScoredTuples(layers: layersPerToken)
        var seen = Set<UInt64>()
        var offset = 0
        for text in texts {
            appendScored(text, promptCount: 0, offset: offset, seen: &seen, into: &tuples)
            offset += text.count
        }
        guard tuples.count > 0 else { throw .emptyText }
        return try verdict(tuples, range: 0..<tuples.count, totalTokens: offset)
    }
}
