import AegisCore
import Testing
@testable import Inference

@Suite struct SamplerTests {
    /// Logits with a clear order: token i has logit i / 10.
    static func logits(_ count: Int = 100) -> [Float] { (0..<count).map { Float($0) / 10 } }

    func draw(_ configuration: SamplerConfiguration, steps: Int = 200, context: [TokenID] = []) -> [TokenID] {
        var sampler = Sampler(configuration: configuration)
        return (0..<steps).map { _ in
            var values = Self.logits()
            return values.withUnsafeMutableBufferPointer { logits in
                context.withUnsafeBufferPointer { sampler.sample(logits: logits, context: $0) }
            }
        }
    }

    @Test func greedyTakesTheMostLikelyToken() {
        #expect(Set(draw(.greedy, steps: 5)) == [99])
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() {
        let configuration = SamplerConfiguration(temperature: 1, topP: 1, minP: 0, seed: 9)
        var other = configuration
        other.seed = 10
        #expect(draw(configuration) == draw(configuration))
        #expect(draw(configuration) != draw(other))
    }

    @Test func topKKeepsOnlyTheKBest() {
        let tokens = draw(SamplerConfiguration(temperature: 5, topK: 3, topP: 1, minP: 0, seed: 1))
        #expect(Set(tokens).isSubset(of: [97, 98, 99]))
        #expect(Set(tokens).count == 3)
    }

    @Test func topPKeepsTheNucleus() {
        // At temperature 0.1 token 99 has mass 1 − e^-1 − … ≈ 0.63, so p = 0.5 keeps it alone.
        let tokens = draw(SamplerConfiguration(temperature: 0.1, topP: 0.5, minP: 0, seed: 1))
        #expect(Set(tokens) == [99])
    }

    @Test func minPDropsUnlikelyTokens() {
        // p_i / p_99 = e^{(i − 99)/10}; min-p 0.5 keeps i ≥ 99 − 10·ln 2 ≈ 92.07.
        let tokens = draw(SamplerConfiguration(temperature: 1, topP: 1, minP: 0.5, seed: 3), steps: 500)
        #expect(tokens.allSatisfy { $0 >= 93 })
    }

    @Test func repetitionPenaltyDemotesSeenTokens() {
        let tokens = draw(SamplerConfiguration(temperature: 0, topP: 1, minP: 0, repetitionPenalty: 2), steps: 1,
                          context: [99])
        #expect(tokens == [98])
    }

    @Test func chooserMakesTheFinalDraw() {
        struct Lowest: TokenChooser {
            func sample(logits: UnsafeMutableBufferPointer<Float>, context: UnsafeBufferPointer<TokenID>,
                        temperature: Float, topK: Int, topP: Float,
                        using rng: inout some RandomNumberGenerator) -> TokenID {
                TokenID(logits.indices.first { logits[$0].isFinite } ?? 0)
            }
        }
        var sampler = Sampler(configuration: SamplerConfiguration(temperature: 1, minP: 0.5), chooser: Lowest())
        var values = Self.logits()
        let token = values.withUnsafeMutableBufferPointer { sampler.sample(logits: $0, context: UnsafeBufferPointer(start: nil, count: 0)) }
        #expect(token == 93)  // min-p masked everything below 93 before the chooser saw it
    }
}
