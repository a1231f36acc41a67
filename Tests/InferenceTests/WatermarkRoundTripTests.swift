import AegisCore
import Testing
import Watermark
@testable import Inference

/// Generate → text → detect, as a provider serves and a suspect's text is tested: the
/// chat template, the default sampling settings (T 0.8, top-p 0.95, min-p 0.05, the
/// gateway's), stop tokens honoured, the answer decoded to text and tokenised again.
@Suite struct WatermarkRoundTripTests {
    static let model: LanguageModel? = TestModel.isInstalled ? try? LanguageModel(path: TestModel.path) : nil

    @Test(arguments: [(question: "Explain why the sky looks blue during the day but red at sunset.", seed: UInt64(3)),
                      (question: "Give three tips for keeping a small vegetable garden healthy.", seed: UInt64(4))])
    func answerServedWithDefaultsIsDetectedFromItsText(question: String, seed: UInt64) throws {
        let model = try #require(Self.model, "run scripts/fetch-model first")
        let gguf = try #require(SmolLM2Tokenizer.gguf, "run scripts/fetch-model first")
        let tokenizer = try #require(SmolLM2Tokenizer.shared)
        let template = try ChatTemplate(gguf: gguf)
        let key = try WatermarkKey(hex: String(repeating: "3c", count: 32))
        let configuration = WatermarkConfiguration(scheme: .kgw, key: key)  // the gateway's default scheme
        var prompt = tokenizer.encode(template.render([.user(question)]), parseSpecialTokens: true)
        if tokenizer.addsBOSToken, let bos = tokenizer.bosToken, prompt.first != bos { prompt.insert(bos, at: 0) }
        var sampling = SamplerConfiguration()
        sampling.seed = seed
        let sampler = Sampler(configuration: sampling, chooser: WatermarkSampler(configuration: configuration))
        let session = InferenceSession(model: model, contextLength: prompt.count + 200)
        let completion = try session.generate(prompt: prompt, maxTokens: 200, sampler: sampler, stopTokens: tokenizer.stopTokens)
        let text = tokenizer.decode(completion.tokens, skippingControlTokens: true)
        let tokens = tokenizer.encode(text, parseSpecialTokens: false)

        let verdict = try WatermarkDetector(configuration: configuration).detect(tokens: tokens)
        #expect(verdict.pValue < 1e-3, "p = \(verdict.pValue) over \(tokens.count) tokens: \(text)")
        var otherKey = configuration
        otherKey.key = try WatermarkKey(hex: String(repeating: "c3", count: 32))
        let unrelated = try WatermarkDetector(configuration: otherKey).detect(tokens: tokens)
        #expect(unrelated.pValue > 1e-3, "another key's p = \(unrelated.pValue)")
    }
}
