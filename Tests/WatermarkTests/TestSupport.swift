import AegisCore
@_spi(Evaluation) import Watermark

/// Keys written into the tests (never used for anything else).
enum TestKeys {
    static let first = try! WatermarkKey(hex: String(repeating: "0123456789abcdef", count: 4))
    static let second = try! WatermarkKey(hex: String(repeating: "fedcba9876543210", count: 4))
}

/// Generates watermarked (or plain) text from the synthetic model.
func synthesise(_ configuration: WatermarkConfiguration, count: Int, seed: UInt64, watermark: Bool = true,
                vocabularySize: Int = 49_152, prompt: [TokenID] = [11, 12, 13, 14, 15]) -> [TokenID] {
    let model = SyntheticLanguageModel(vocabularySize: vocabularySize, seed: seed)
    let sampler = watermark ? WatermarkSampler(configuration: configuration)
                            : WatermarkSampler.unwatermarked(configuration: configuration)
    var rng = SeededGenerator(seed: seed &* 7919)
    return model.generate(count: count, prompt: prompt, sampler: sampler, using: &rng)
}

/// Uniform random tokens: text written without any key.
func randomTokens(count: Int, seed: UInt64, vocabularySize: Int = 49_152) -> [TokenID] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in TokenID(Int.random(in: 0..<vocabularySize, using: &rng)) }
}
