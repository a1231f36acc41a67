import AegisCore
import Testing
@_spi(Evaluation) @testable import Watermark

@Suite struct DetectorTests {
    let kgw = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first)

    @Test func badInputThrowsOneLineErrors() throws {
        let detector = WatermarkDetector(configuration: kgw)
        #expect(throws: WatermarkError.emptyText) { try detector.detect(tokens: []) }
        #expect(throws: WatermarkError.textTooShort(tokens: 3, needed: 5)) { try detector.detect(tokens: [1, 2, 3]) }
        #expect(throws: (any Error).self) { try WatermarkKey(hex: "12zz") }
        #expect(throws: (any Error).self) { try WatermarkScheme(parsing: "rot13") }
        #expect(!WatermarkError.textTooShort(tokens: 3, needed: 5).description.contains("\n"))
        var invalid = kgw
        invalid.gamma = 1.5
        #expect(throws: (any Error).self) { try invalid.validate() }
        try kgw.validate()
    }

    @Test func repeatedWindowsAreScoredOnce() throws {
        let detector = WatermarkDetector(configuration: WatermarkConfiguration(scheme: .gumbel, key: TestKeys.first))
        let phrase: [TokenID] = Array(100..<120)
        let once = try detector.detect(tokens: phrase)
        let repeated = try detector.detect(tokens: Array(repeating: phrase, count: 5).flatMap { $0 })
        // 20 − 4 windows in the phrase, plus the 4 windows that straddle one repetition and the next.
        #expect(once.scoredTokens == 16)
        #expect(repeated.scoredTokens == 20)
        #expect(repeated.totalTokens == 100)
    }

    @Test func promptWindowsAreIgnored() throws {
        let detector = WatermarkDetector(configuration: kgw)
        let prompt: [TokenID] = Array(1...30)
        // Text that repeats the prompt's end scores only the h windows that straddle the junction
        // (prompt end → copy), which are new PRF inputs; every window inside the copy is the prompt's.
        let copied = try detector.detect(tokens: Array(prompt[10...]), promptTokens: prompt)
        #expect(copied.scoredTokens == kgw.contextWidth)
        // A prompt that repeats a phrase, answered by the phrase again: every window is the prompt's.
        let phrase: [TokenID] = Array(40...49)
        let wholeCopy = try detector.detect(tokens: phrase, promptTokens: phrase + phrase)
        #expect(wholeCopy.scoredTokens == 0)
        #expect(wholeCopy.pValue == 1)
        let fresh = try detector.detect(tokens: [500, 501, 502], promptTokens: prompt)
        #expect(fresh.scoredTokens == 3)  // the prompt supplies the context of the first tokens
    }

    @Test(arguments: WatermarkScheme.allCases)
    func watermarkedTextIsDetectedAndPlainTextIsNot(scheme: WatermarkScheme) throws {
        let configuration = WatermarkConfiguration(scheme: scheme, key: TestKeys.first)
        let marked = synthesise(configuration, count: 200, seed: 3)
        let verdict = try WatermarkDetector(configuration: configuration).detect(tokens: marked)
        #expect(verdict.pValue < 1e-6, "\(scheme): \(verdict)")
        var otherKey = configuration
        otherKey.key = TestKeys.second
        let wrongKey = try WatermarkDetector(configuration: otherKey).detect(tokens: marked)
        #expect(wrongKey.pValue > 1e-4, "\(scheme) with the wrong key: \(wrongKey)")
        let plain = synthesise(configuration, count: 200, seed: 3, watermark: false)
        #expect(try WatermarkDetector(configuration: configuration).detect(tokens: plain).pValue > 1e-4)
    }

    @Test func selfHashAndLeftHashBothRoundTrip() throws {
        for seeding in SeedingScheme.allCases {
            for width in [1, 4] {
                let configuration = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first, contextWidth: width, seeding: seeding)
                let marked = synthesise(configuration, count: 200, seed: 5)
                let verdict = try WatermarkDetector(configuration: configuration).detect(tokens: marked)
                #expect(verdict.pValue < 1e-6, "\(seeding) h=\(width): \(verdict)")
            }
        }
    }

    @Test(arguments: WatermarkScheme.allCases.filter(\.carriesPayload))
    func payloadRoundTrips(scheme: WatermarkScheme) throws {
        for (bits, message) in [(8, UInt32(0xa5)), (scheme == .synthid ? 10 : 16, UInt32(0x3a5))] {
            let configuration = WatermarkConfiguration(scheme: scheme, key: TestKeys.first, payloadBits: bits, payload: message)
            let marked = synthesise(configuration, count: 300, seed: 9)
            let verdict = try WatermarkDetector(configuration: configuration).detect(tokens: marked)
            #expect(verdict.payload == message, "\(scheme) b=\(bits): \(verdict)")
            #expect((verdict.payloadPValue ?? 1) < 1e-3, "\(scheme) b=\(bits): \(verdict)")
        }
    }

    @Test func payloadCandidatesDecodeLongTags() throws {
        let configuration = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first, payloadBits: 32, payload: 0xdead_beef)
        let marked = synthesise(configuration, count: 200, seed: 9)
        let detector = WatermarkDetector(configuration: configuration)
        let verdict = try detector.detect(tokens: marked, payloadCandidates: [1, 2, 0xdead_beef, 0xdead_beee, 77])
        #expect(verdict.payload == 0xdead_beef)
        #expect((verdict.payloadPValue ?? 1) < 1e-6)
        #expect(throws: WatermarkError.self) { try detector.detect(tokens: marked) }
    }

    @Test func windowedDetectionFindsTheMarkedPart() throws {
        let configuration = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first)
        let text = randomTokens(count: 400, seed: 1) + synthesise(configuration, count: 150, seed: 4) + randomTokens(count: 400, seed: 3)
        let detector = WatermarkDetector(configuration: configuration)
        let whole = try detector.detect(tokens: text)
        let windowed = try detector.detectWindowed(tokens: text, windowLength: 100)
        #expect(windowed.verdict.pValue < 1e-6)
        #expect(windowed.verdict.pValue < whole.pValue)
        #expect(windowed.start >= 300 && windowed.end <= 650)
        #expect(windowed.verdict.pValue == min(1, windowed.uncorrectedPValue * Double(windowed.windows)))
    }

    /// Under the null (random tokens, no key involved) p-values are uniform: a smoke test,
    /// the full calibration is the watermark-null evaluation.
    @Test(arguments: WatermarkScheme.allCases)
    func pValuesAreUniformOnRandomTokens(scheme: WatermarkScheme) throws {
        let detector = WatermarkDetector(configuration: WatermarkConfiguration(scheme: scheme, key: TestKeys.first))
        var pValues: [Double] = []
        for segment in 0..<400 {
            pValues.append(try detector.detect(tokens: randomTokens(count: 60, seed: UInt64(1000 + segment))).pValue)
        }
        let belowTenth = pValues.filter { $0 < 0.1 }.count
        let belowHalf = pValues.filter { $0 < 0.5 }.count
        // Binomial(400, 0.1): sd 6; Binomial(400, 0.5): sd 10. Bounds at ≈ 4 sd; discrete KGW tails are
        // slightly conservative, never anti-conservative.
        #expect(belowTenth <= 64, "\(scheme): \(belowTenth) of 400 below 0.1")
        #expect(belowTenth >= 16, "\(scheme): \(belowTenth) of 400 below 0.1")
        #expect(belowHalf >= 140 && belowHalf <= 240, "\(scheme): \(belowHalf) of 400 below 0.5")
        #expect(pValues.min()! > 1e-5)
    }

    @Test func samplerDrawsFromTheModelWhenUnwatermarked() {
        // The plain pipeline with top-k 1 is greedy: it must pick the argmax.
        let model = SyntheticLanguageModel(vocabularySize: 1000, seed: 4)
        var logits = [Float](repeating: 0, count: 1000)
        let context: [TokenID] = [1, 2]
        context.withUnsafeBufferPointer { c in logits.withUnsafeMutableBufferPointer { model.logits(after: c, into: $0) } }
        let argmax = TokenID(logits.indices.max { logits[$0] < logits[$1] }!)
        let sampler = WatermarkSampler.unwatermarked(configuration: kgw)
        var rng = SeededGenerator(seed: 1)
        let chosen = context.withUnsafeBufferPointer { c in
            logits.withUnsafeMutableBufferPointer { sampler.sample(logits: $0, context: c, temperature: 1, topK: 1, topP: 1, using: &rng) }
        }
        #expect(chosen == argmax)
    }
}
