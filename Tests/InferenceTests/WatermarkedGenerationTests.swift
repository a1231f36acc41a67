import AegisCore
import Testing
import Watermark
@testable import Inference

/// The watermark plugged into the sampler marks real SmolLM2 text, and the same
/// seed reproduces a completion.
@Suite struct WatermarkedGenerationTests {
    static let model: LanguageModel? = TestModel.isInstalled ? try? LanguageModel(path: TestModel.path) : nil
    // <|im_start|>user\nWrite a haiku about the sea.<|im_end|>\n<|im_start|>assistant\n
    static let prompt: [TokenID] = [1, 4093, 198, 19161, 253, 421, 30614, 563, 260, 3426, 30, 2, 198, 1, 520, 9531, 198]

    @Test func kgwMarkedCompletionIsDetected() throws {
        let model = try #require(Self.model, "run scripts/fetch-model first")
        let configuration = WatermarkConfiguration(scheme: .kgw, key: try WatermarkKey(hex: String(repeating: "5a", count: 32)))
        let session = InferenceSession(model: model, contextLength: 256)
        let sampler = Sampler(configuration: SamplerConfiguration(temperature: 1, topP: 1, minP: 0, seed: 11),
                              chooser: WatermarkSampler(configuration: configuration))
        let completion = try session.generate(prompt: Self.prompt, maxTokens: 120, sampler: sampler)
        let verdict = try WatermarkDetector(configuration: configuration)
            .detect(tokens: completion.tokens, promptTokens: Self.prompt)
        #expect(verdict.pValue < 1e-3, "p = \(verdict.pValue) over \(completion.tokens.count) tokens")
    }

    @Test func sameSeedSameCompletion() throws {
        let model = try #require(Self.model, "run scripts/fetch-model first")
        let session = InferenceSession(model: model, contextLength: 128)
        let configuration = SamplerConfiguration(temperature: 0.9, seed: 5)
        let first = try session.generate(prompt: Self.prompt, maxTokens: 24, sampler: Sampler(configuration: configuration))
        let second = try session.generate(prompt: Self.prompt, maxTokens: 24, sampler: Sampler(configuration: configuration))
        #expect(first.tokens == second.tokens)
        #expect(first.tokens.count == 24 || first.stopReason == .stopToken)
    }
}
