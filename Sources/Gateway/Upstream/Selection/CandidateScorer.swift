import AegisCore
import Inference
import Watermark

/// Scores a candidate answer for the watermark of one account's payload, the
/// way `aegis detect --account NAME` will test it: the text re-tokenised with
/// the served model's tokenizer, then Watermark's exact test.
public struct CandidateScorer: Sendable {
    /// The tokenizer of the served model (its GGUF, `--tokenizer`).
    public let tokenizer: Tokenizer
    /// The served model's chat template, for segments of chat answers (rendered as a completions prompt).
    public let template: ChatTemplate?
    /// The server's watermark configuration (scheme, key, payload width).
    public let configuration: WatermarkConfiguration
    private let detector: WatermarkDetector

    /// A scorer for `configuration` with the tokenizer (and chat template, if any) of `gguf`.
    public init(gguf path: String, configuration: WatermarkConfiguration) throws {
        let file = try GGUFFile(path: path)
        tokenizer = try Tokenizer(gguf: file)
        template = try? ChatTemplate(gguf: file)
        self.configuration = configuration
        detector = WatermarkDetector(configuration: configuration)
    }

    /// The payload `account`'s answers carry.
    public func payload(account: String) -> UInt32 {
        AccountPayload.payload(account: account, bits: configuration.payloadBits)
    }

    /// The exact p-value of `text` for `payload` (smaller: more strongly marked);
    /// 1 for a text too short to test. `promptTokens` supply the first context
    /// windows and are not scored themselves.
    public func pValue(_ text: String, payload: UInt32, promptTokens: [TokenID] = []) -> Double {
        let tokens = tokenizer.encode(text, parseSpecialTokens: false)
        guard let verdict = try? detector.detect(tokens: tokens, promptTokens: promptTokens, payloadCandidates: [payload])
        else { return 1 }
        return verdict.pValue
    }

    /// The tokens of a prompt text (no special tokens parsed).
    public func tokens(_ text: String) -> [TokenID] {
        tokenizer.encode(text, parseSpecialTokens: false)
    }
}
