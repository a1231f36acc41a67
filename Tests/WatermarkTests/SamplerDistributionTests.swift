import AegisCore
import Testing
@_spi(Evaluation) @testable import Watermark

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sampler draws from exactly the distribution it documents: checked by drawing
/// many times over a small vocabulary and comparing frequencies with the exact
/// probabilities (a chi-square test far from its critical value).
@Suite struct SamplerDistributionTests {
    let vocabulary = 40
    let logits: [Float] = (0..<40).map { -0.15 * Float($0) + (($0 % 3 == 0) ? 0.4 : 0) }
    let context: [TokenID] = [3, 1, 4, 1, 5]

    /// Frequencies of `draws` draws, and the chi-square statistic against `expected` probabilities.
    private func chiSquare(_ sampler: WatermarkSampler, expected: [Double], draws: Int = 40_000,
                           temperature: Float = 1, topK: Int = 0, topP: Float = 1) -> (statistic: Double, cells: Int) {
        var counts = [Int](repeating: 0, count: vocabulary)
        var rng = SeededGenerator(seed: 12)
        var work = logits
        for _ in 0..<draws {
            work = logits
            let token = context.withUnsafeBufferPointer { c in
                work.withUnsafeMutableBufferPointer {
                    sampler.sample(logits: $0, context: c, temperature: temperature, topK: topK, topP: topP, using: &rng)
                }
            }
            counts[Int(token)] += 1
        }
        var statistic = 0.0, cells = 0
        for token in 0..<vocabulary {
            if expected[token] == 0 {
                #expect(counts[token] == 0, "token \(token) is outside the kept set but was drawn")
                continue
            }
            let mean = expected[token] * Double(draws)
            statistic += pow(Double(counts[token]) - mean, 2) / mean
            cells += 1
        }
        return (statistic, cells)
    }

    private func softmax(_ values: [Double]) -> [Double] {
        let maximum = values.max()!
        let weights = values.map { exp($0 - maximum) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    @Test func plainTopPKeepsTheNucleus() {
        let configuration = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first)
        var probabilities = softmax(logits.map { Double($0) / 0.8 })
        // The nucleus: the most likely tokens until their mass reaches 0.7.
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        var mass = 0.0
        var kept = Set<Int>()
        for token in order where mass < 0.7 { kept.insert(token); mass += probabilities[token] }
        probabilities = probabilities.indices.map { kept.contains($0) ? probabilities[$0] / mass : 0 }
        let result = chiSquare(.unwatermarked(configuration: configuration), expected: probabilities, temperature: 0.8, topP: 0.7)
        // Critical value of chi-square with ~20 degrees of freedom at 1e-4 is about 52.
        #expect(result.statistic < 3.0 * Double(result.cells), "chi² = \(result.statistic) over \(result.cells) cells")
    }

    @Test func plainWithoutTruncationAndWithTopK() {
        let sampler = WatermarkSampler.unwatermarked(configuration: WatermarkConfiguration(scheme: .kgw, key: TestKeys.first))
        let full = chiSquare(sampler, expected: softmax(logits.map { Double($0) }))
        #expect(full.statistic < 2.0 * Double(full.cells), "chi² = \(full.statistic) over \(full.cells) cells")
        let top = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(10))
        let truncated = softmax(logits.indices.map { top.contains($0) ? Double(logits[$0]) : -.infinity })
        let topK = chiSquare(sampler, expected: truncated, topK: 10)
        #expect(topK.statistic < 3.0 * Double(topK.cells), "chi² = \(topK.statistic) over \(topK.cells) cells")
    }

    /// The biased logits l + δ·green the reference KGW samples from (before temperature).
    private func kgwBiased(seeding: SeedingScheme, delta: Double, context: [TokenID]) -> [Double] {
        let prf = WatermarkPRF(key: TestKeys.first, scheme: .kgw)
        let threshold = greenThresholdFor(gamma: 0.25)
        let window = Array(context.suffix(4))
        return (0..<vocabulary).map { token -> Double in
            let seed = window.withUnsafeBufferPointer { w in
                seeding == .leftHash ? prf.seed(window: w) : min(prf.minimumAnchor(window: w), prf.anchor(TokenID(token)))
            }
            let green = prf.value(seed: seed, token: TokenID(token)) < threshold
            return Double(logits[token]) + (green ? delta : 0)
        }
    }

    @Test(arguments: SeedingScheme.allCases)
    func kgwDrawsFromTheBiasedDistribution(seeding: SeedingScheme) {
        let configuration = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first, delta: 1.5, seeding: seeding)
        let biased = kgwBiased(seeding: seeding, delta: 1.5, context: context)
        for temperature: Float in [1, 0.5] {
            let result = chiSquare(WatermarkSampler(configuration: configuration),
                                   expected: softmax(biased.map { $0 / Double(temperature) }), temperature: temperature)
            #expect(result.statistic < 2.0 * Double(result.cells), "T=\(temperature): chi² = \(result.statistic) over \(result.cells) cells")
        }
    }

    /// The large-vocabulary path (rejection) against the explicit one, on the synthetic model:
    /// the green fraction of drawn tokens must match p·e^(δ·green) computed exactly.
    @Test func kgwRejectionPathMatchesTheExactGreenMass() {
        let configuration = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first, seeding: .leftHash)
        let model = SyntheticLanguageModel(vocabularySize: 49_152, seed: 21, exponentRange: 0.9...0.9)
        let prf = WatermarkPRF(key: TestKeys.first, scheme: .kgw)
        let threshold = greenThresholdFor(gamma: 0.25)
        let context: [TokenID] = [10, 20, 30, 40]
        var logits = [Float](repeating: 0, count: 49_152)
        context.withUnsafeBufferPointer { c in logits.withUnsafeMutableBufferPointer { model.logits(after: c, into: $0) } }
        let seed = context.withUnsafeBufferPointer { prf.seed(window: $0) }
        let green = (0..<49_152).map { prf.value(seed: seed, token: TokenID($0)) < threshold }
        let maximum = Double(logits.max()!)
        var greenMass = 0.0, total = 0.0
        for token in 0..<49_152 {
            let weight = exp(Double(logits[token]) - maximum + (green[token] ? configuration.delta : 0))
            total += weight
            if green[token] { greenMass += weight }
        }
        let sampler = WatermarkSampler(configuration: configuration)
        var rng = SeededGenerator(seed: 8)
        var greens = 0
        let draws = 4_000
        for _ in 0..<draws {
            var work = logits
            let token = context.withUnsafeBufferPointer { c in
                work.withUnsafeMutableBufferPointer { sampler.sample(logits: $0, context: c, temperature: 1, topK: 0, topP: 1, using: &rng) }
            }
            if green[Int(token)] { greens += 1 }
        }
        let expected = greenMass / total
        let observed = Double(greens) / Double(draws)
        #expect(abs(observed - expected) < 4 * (expected * (1 - expected) / Double(draws)).squareRoot(),
                "green fraction \(observed), exact \(expected)")
    }

    /// Under truncation KGW biases first, then min-p (relative to the biased maximum), top-k and
    /// top-p select the kept set from the biased distribution, as the reference implementation.
    @Test(arguments: [(minP: Float(0.05), topP: Float(1)), (minP: Float(0), topP: Float(0.7)), (minP: Float(0.2), topP: Float(0.9))])
    func kgwTruncatesTheBiasedDistribution(minP: Float, topP: Float) {
        let temperature: Float = 0.8
        let configuration = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first, delta: 1.5)
        let biased = kgwBiased(seeding: configuration.seeding, delta: 1.5, context: context)
        var probabilities = softmax(biased.map { $0 / Double(temperature) })
        let best = probabilities.max()!
        for token in probabilities.indices where probabilities[token] < Double(minP) * best { probabilities[token] = 0 }
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        let total = probabilities.reduce(0, +)
        var mass = 0.0
        var kept = Set<Int>()
        for token in order where mass < Double(topP) * total {
            kept.insert(token)
            mass += probabilities[token]
        }
        let expected = probabilities.indices.map { kept.contains($0) ? probabilities[$0] / mass : 0 }
        var counts = [Int](repeating: 0, count: vocabulary)
        var rng = SeededGenerator(seed: 5)
        let sampler = WatermarkSampler(configuration: configuration)
        let draws = 40_000
        for _ in 0..<draws {
            var work = logits
            let token = context.withUnsafeBufferPointer { c in
                work.withUnsafeMutableBufferPointer {
                    sampler.sample(logits: $0, context: c, temperature: temperature, topK: 0, topP: topP, minP: minP, using: &rng)
                }
            }
            counts[Int(token)] += 1
        }
        var statistic = 0.0, cells = 0
        for token in 0..<vocabulary {
            guard expected[token] > 0 else {
                #expect(counts[token] == 0, "token \(token) is outside the biased kept set but was drawn")
                continue
            }
            statistic += pow(Double(counts[token]) - expected[token] * Double(draws), 2) / (expected[token] * Double(draws))
            cells += 1
        }
        #expect(statistic < 2.0 * Double(cells), "min-p \(minP), top-p \(topP): chi² = \(statistic) over \(cells) cells")
    }

    @Test func kgwWatermarksGreedyDecoding() {
        // At temperature 0 the choice is the argmax of the biased logits, not of the model's.
        let defaults = WatermarkConfiguration(scheme: .kgw, key: TestKeys.first)
        let biased = kgwBiased(seeding: defaults.seeding, delta: defaults.delta, context: context)
        let expected = biased.indices.max { biased[$0] < biased[$1] }!
        var rng = SeededGenerator(seed: 1)
        var work = logits
        let token = context.withUnsafeBufferPointer { c in
            work.withUnsafeMutableBufferPointer {
                WatermarkSampler(configuration: WatermarkConfiguration(scheme: .kgw, key: TestKeys.first))
                    .sample(logits: $0, context: c, temperature: 0, topK: 0, topP: 1, using: &rng)
            }
        }
        #expect(Int(token) == expected)
    }

    @Test func synthidKeepsOnlyTheTopK() {
        let configuration = WatermarkConfiguration(scheme: .synthid, key: TestKeys.first, topK: 5)
        var rng = SeededGenerator(seed: 3)
        var seen = Set<Int>()
        for step in 0..<2_000 {
            var work = logits
            let context: [TokenID] = [TokenID(step), 7, 8, 9]
            let token = context.withUnsafeBufferPointer { c in
                work.withUnsafeMutableBufferPointer {
                    WatermarkSampler(configuration: configuration).sample(logits: $0, context: c, temperature: 1, topK: 0, topP: 1, using: &rng)
                }
            }
            seen.insert(Int(token))
        }
        let topFive = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5))
        #expect(seen == topFive)
    }
}
