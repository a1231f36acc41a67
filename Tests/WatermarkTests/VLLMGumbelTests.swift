import AegisCore
import Testing
@_spi(Evaluation) @testable import Watermark

/// `vllm-gumbel` with Aegis's own sampler: generation, detection, options and errors.
@Suite struct VLLMGumbelTests {
    static let key = WatermarkKey(vllmKey: 15_726_070_495_360_670_683)

    func configuration(contextWidth: Int = 4) -> WatermarkConfiguration {
        WatermarkConfiguration(scheme: .vllmGumbel, key: Self.key, contextWidth: contextWidth)
    }

    /// Text generated the way vLLM generates it: the context is the answer so far (vLLM's
    /// contexts never reach into the prompt), −1 before its start.
    func generate(_ configuration: WatermarkConfiguration, count: Int, seed: UInt64, watermark: Bool = true,
                  topP: Float = 1) -> [TokenID] {
        let model = SyntheticLanguageModel(seed: seed)
        let sampler = watermark ? WatermarkSampler(configuration: configuration)
                                : WatermarkSampler.unwatermarked(configuration: configuration)
        var rng = SeededGenerator(seed: seed &* 7919)
        return model.generate(count: count, prompt: [], sampler: sampler, topP: topP, using: &rng)
    }

    @Test func generatedTextIsDetected() throws {
        let detector = WatermarkDetector(configuration: configuration())
        for seed in UInt64(1)...4 {
            let verdict = try detector.detect(tokens: generate(configuration(), count: 200, seed: seed))
            #expect(verdict.pValue < 1e-10, "seed \(seed): p = \(verdict.pValue)")
            #expect(verdict.score > 1.2)
            // vLLM's own rule scores fewer tokens and still detects.
            var vllmRule = configuration()
            vllmRule.deduplication = .context
            #expect(try WatermarkDetector(configuration: vllmRule).detect(tokens: generate(configuration(), count: 200, seed: seed)).pValue < 1e-10)
        }
        let nucleus = try detector.detect(tokens: generate(configuration(), count: 200, seed: 9, topP: 0.95))
        #expect(nucleus.pValue < 1e-6, "top-p 0.95: p = \(nucleus.pValue)")
    }

    /// Unmarked text (the same pipeline without the mark, and uniform random tokens) gets
    /// p-values that look uniform: none significant at 1e-3, mean near ½.
    @Test func unmarkedTextIsNotDetected() throws {
        let detector = WatermarkDetector(configuration: configuration())
        var pValues: [Double] = []
        for seed in UInt64(1)...30 {
            pValues.append(try detector.detect(tokens: generate(configuration(), count: 100, seed: seed, watermark: false)).pValue)
            pValues.append(try detector.detect(tokens: randomTokens(count: 100, seed: seed)).pValue)
        }
        #expect(pValues.allSatisfy { $0 > 1e-3 }, "smallest p \(pValues.min() ?? 1)")
        let mean = pValues.reduce(0, +) / Double(pValues.count)
        #expect(abs(mean - 0.5) < 0.12, "mean p \(mean) over \(pValues.count) unmarked texts")
        #expect(pValues.filter { $0 < 0.5 }.count > 15 && pValues.filter { $0 > 0.5 }.count > 15)
    }

    @Test func anotherKeyDoesNotDetect() throws {
        let text = generate(configuration(), count: 200, seed: 3)
        let other = WatermarkConfiguration(scheme: .vllmGumbel, key: WatermarkKey(vllmKey: 42), contextWidth: 4)
        #expect(try WatermarkDetector(configuration: other).detect(tokens: text).pValue > 1e-3)
    }

    /// The first tokens are scored under −1-padded contexts, as vLLM's detector scores them.
    @Test func scoresFromTheFirstToken() throws {
        let verdict = try WatermarkDetector(configuration: configuration()).detect(tokens: [5, 6, 7])
        #expect(verdict.scoredTokens == 3)
        let inputs = WatermarkDetector(configuration: configuration()).prfInputs(tokens: [5, 6, 7])
        #expect(inputs.map(\.position) == [0, 1, 2])
    }

    /// The sampler's shortcuts (Philox once per four ids, the noise bound, the 1 − u bound)
    /// never change vLLM's choice: against the plain formula over every kept token, on random
    /// logits at several temperatures and scales, without truncation and with top-k.
    @Test func shortcutsNeverChangeTheChoice() {
        let vocabulary = 5_003
        var rng = SeededGenerator(seed: 77)
        for step in 0..<240 {
            var configuration = configuration(contextWidth: 1 + step % 5)
            configuration.deduplicateContextsMaxHistory = 0
            let sampler = WatermarkSampler(configuration: configuration)
            let temperature: Float = [0.3, 0.7, 1, 1.6][step % 4]
            let scale = Float([0.5, 2, 6][step % 3])
            let logits = (0..<vocabulary).map { _ in scale * Float(Double.random(in: -3...3, using: &rng)) }
            let context = (0..<(step % 7)).map { _ in TokenID(Int.random(in: 0..<vocabulary, using: &rng)) }
            let topK = step % 2 == 0 ? 0 : 64
            let kept = topK == 0 ? Array(0..<vocabulary)
                                 : Array(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(topK))
            let prf = VLLMPhiloxPRF(key: Self.key.vllmKey)
            let state = context.suffix(configuration.contextWidth).withUnsafeBufferPointer {
                prf.contextState(window: $0, width: configuration.contextWidth)
            }
            var expected = -1, best = -Float.infinity
            for token in kept.sorted() {
                let value = logits[token] / temperature + VLLMPhiloxPRF.gumbelNoise(prf.word(token: TokenID(token), state: state))
                if value > best { best = value; expected = token }
            }
            var scratch = logits
            var draw = SeededGenerator(seed: 1)
            let chosen = scratch.withUnsafeMutableBufferPointer { l in
                context.withUnsafeBufferPointer { c in
                    sampler.sample(logits: l, context: c, temperature: temperature, topK: topK, topP: 1, using: &draw)
                }
            }
            #expect(Int(chosen) == expected, "step \(step): T \(temperature) scale \(scale) top-k \(topK)")
        }
    }

    @Test func temperatureZeroIsPlainGreedy() {
        let sampler = WatermarkSampler(configuration: configuration())
        var logits: [Float] = [0.5, 2, 2, -1]
        var rng = SeededGenerator(seed: 1)
        let token = logits.withUnsafeMutableBufferPointer { l in
            [TokenID]([1, 2, 3]).withUnsafeBufferPointer { c in
                sampler.sample(logits: l, context: c, temperature: 0, topK: 0, topP: 1, using: &rng)
            }
        }
        #expect(token == 1)
    }

    /// vLLM's generation-side rule: a window that already occurred in the context is sampled
    /// without the mark; the history limit bounds the search.
    @Test func repeatedWindowsAreFoundAsVLLMFindsThem() {
        var configuration = configuration(contextWidth: 2)
        let sampler = WatermarkSampler(configuration: configuration)
        func repeats(_ context: [TokenID], _ sampler: WatermarkSampler) -> Bool {
            context.withUnsafeBufferPointer { sampler.vllmWindowRepeats(in: $0) }
        }
        #expect(repeats([1, 2, 3, 1, 2], sampler))       // (1, 2) was the window of position 2
        #expect(!repeats([1, 2, 3, 2, 1], sampler))
        #expect(!repeats([1, 2], sampler))               // (1, 2) never preceded a position
        #expect(repeats([7, 7, 7], sampler))             // (7, 7) preceded position 2
        #expect(!repeats([7], sampler))                  // (−1, 7) is new
        configuration.deduplicateContextsMaxHistory = 1
        #expect(!repeats([1, 2, 3, 1, 2], WatermarkSampler(configuration: configuration)))
        configuration.deduplicateContextsMaxHistory = 0
        #expect(!repeats([7, 7, 7], WatermarkSampler(configuration: configuration)))
    }

    @Test func keysAreVLLMsIntegers() throws {
        #expect(try WatermarkKey(parsing: "15726070495360670683", scheme: .vllmGumbel).vllmKey == 15_726_070_495_360_670_683)
        #expect(try WatermarkKey(parsing: " 42 ", scheme: .vllmGumbel) == WatermarkKey(vllmKey: 42))
        #expect(WatermarkKey(vllmKey: .max).vllmKey == .max)
        #expect(throws: InvalidInput.self) { try WatermarkKey(parsing: "18446744073709551616", scheme: .vllmGumbel) }
        #expect(throws: InvalidInput.self) { try WatermarkKey(parsing: "-1", scheme: .vllmGumbel) }
        #expect(throws: InvalidInput.self) {
            try WatermarkConfiguration(scheme: .vllmGumbel, key: TestKeys.first).validate()
        }
        var payload = configuration()
        payload.payloadBits = 8
        #expect(throws: InvalidInput.self) { try payload.validate() }
        #expect(throws: InvalidInput.self) { try self.configuration(contextWidth: 0).validate() }
        try configuration().validate()
        #expect(try WatermarkScheme(parsing: "vLLM-Gumbel") == .vllmGumbel)
        #expect(try Deduplication(parsing: "context") == .context)
    }

    @Test func detectorNamesTheTestAndTheNull() {
        let detector = WatermarkDetector(configuration: configuration())
        #expect(detector.testDescription.contains("Gamma(n, 1)"))
        #expect(detector.testDescription.contains("vLLM"))
        #expect(detector.nullAssumption.hasPrefix("null:"))
    }

    /// The corpus test pools answers with one dedup over all of them, as for the other schemes.
    @Test func corpusDetectionPoolsAnswers() throws {
        let detector = WatermarkDetector(configuration: configuration())
        let answers = (UInt64(1)...3).map { generate(configuration(), count: 60, seed: $0) }
        let pooled = try detector.detect(corpus: answers)
        #expect(pooled.totalTokens == 180)
        #expect(pooled.pValue < 1e-10)
        let duplicated = try detector.detect(corpus: answers + answers)
        #expect(duplicated.scoredTokens == pooled.scoredTokens)
    }
}
