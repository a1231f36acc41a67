import AegisCore
import Foundation
import Testing
@_spi(Evaluation) @testable import Watermark

/// Per-key validity: a provider marks everything with ONE key, so the per-text p-values of
/// human text must be calibrated for that key, not only on average over keys. Over many
/// keys, each key's count of texts at p < 0.1 must then spread like a binomial count.
///
/// The texts are team-generated stand-ins for natural language: i.i.d. words from a Zipf
/// law (s = 1.1 over 5,000 word ids, the shape of English word frequencies), so a few
/// frequent words occur in most context windows, as "the", "," and "." do. That is what
/// broke the old default (KGW SelfHash, h = 4): its seed is the anchor of one token of the
/// window, so texts share PRF inputs and a key's luck on them shifts every text's score.
@Suite struct PerKeyDispersionTests {
    static let texts: [[TokenID]] = {
        var rng = SeededGenerator(seed: 2026)
        let vocabulary = 5_000
        var cumulative = [Double](repeating: 0, count: vocabulary)
        var total = 0.0
        for rank in 0..<vocabulary {
            total += 1 / pow(Double(rank + 1), 1.1)
            cumulative[rank] = total
        }
        func word() -> TokenID {
            let target = Double.random(in: 0..<total, using: &rng)
            var low = 0, high = vocabulary - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < target { low = middle + 1 } else { high = middle }
            }
            return TokenID(low)
        }
        return (0..<1_000).map { _ in (0..<100).map { _ in word() } }
    }()

    /// The s.d. across `keys` keys of the count of texts at p < 0.1, divided by the binomial s.d.
    static func dispersion(_ base: WatermarkConfiguration, keys: Int = 24) throws -> Double {
        var generator = SeededGenerator(seed: 77)
        var counts: [Double] = []
        for _ in 0..<keys {
            var configuration = base
            configuration.key = try WatermarkKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let detector = WatermarkDetector(configuration: configuration)
            counts.append(Double(try texts.filter { try detector.detect(tokens: $0).pValue < 0.1 }.count))
        }
        let mean = counts.reduce(0, +) / Double(keys)
        let sd = (counts.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(keys - 1)).squareRoot()
        return sd / (Double(texts.count) * 0.1 * 0.9).squareRoot()
    }

    @Test func defaultConfigurationIsValidForEachKey() throws {
        for scheme in WatermarkScheme.allCases {
            let ratio = try Self.dispersion(WatermarkConfiguration(scheme: scheme, key: TestKeys.first))
            // With 24 keys the estimated ratio has a standard error of ≈ 0.15 around 1.
            #expect(ratio < 1.6, "\(scheme): spread across keys \(ratio)× the binomial s.d.")
        }
    }

    @Test func oldSelfHashDefaultIsNotValidPerKey() throws {
        // The measurement that made LeftHash the default: SelfHash fails the same check.
        let selfHash = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first, seeding: .selfHash)
        let ratio = try Self.dispersion(selfHash)
        #expect(ratio > 2.5, "SelfHash spread \(ratio)× the binomial s.d.")
    }

    @Test func corpusTestDeduplicatesAcrossTexts() throws {
        let detector = WatermarkDetector(configuration: WatermarkConfiguration(scheme: .gumbel, key: TestKeys.first))
        let text: [TokenID] = Array(200..<260)
        let once = try detector.detect(corpus: [text])
        let twice = try detector.detect(corpus: [text, text])
        #expect(once.scoredTokens == 56)
        #expect(twice.scoredTokens == 56)  // the copy adds no PRF input
        #expect(twice.pValue == once.pValue)
        #expect(twice.totalTokens == 120)
        // Windows never span two texts: two texts of h tokens score nothing.
        #expect(throws: WatermarkError.emptyText) { try detector.detect(corpus: [[1, 2, 3, 4], [5, 6, 7, 8]]) }
        let inputs = detector.prfInputs(tokens: text)
        #expect(inputs.count == 56 && inputs.first?.position == 4)
    }
}
