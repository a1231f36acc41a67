import AegisCore

/// The one generation chain of the built-in engine: model, tokenizer, chat
/// template, sampler (with an optional watermark as its chooser) and streaming
/// decoder. `aegis generate` and the gateway's built-in upstream both use it,
/// so a prompt is tokenised, bounded and decoded the same way in both.
///
/// The value is immutable and `Sendable`; each ``generate(_:maxTokens:sampling:chooser:onText:)``
/// makes its own session (KV cache), so one generator may serve calls in turn
/// from any thread.
public struct TextGenerator: Sendable {
    /// The weights.
    public let model: LanguageModel
    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// The model's chat template, or why it has none usable (only chat prompts need it).
    private let chatTemplate: Result<ChatTemplate, TokenizerError>
    /// Compute threads per generation (nil: all processors).
    public var threads: Int?

    /// What to complete.
    public enum Prompt: Sendable {
        /// Text as given; with `parseSpecialTokens`, markers such as `<|im_start|>` become their tokens.
        case text(String, parseSpecialTokens: Bool)
        /// Messages, rendered with the model's chat template (special tokens parsed).
        case chat([ChatMessage])
    }

    /// What one generation produced.
    public struct Output: Sendable {
        /// Tokens, stop reason, counts and timings.
        public let completion: Completion
        /// The generated text (control tokens skipped).
        public let text: String
        /// Text decoded after the last `onText` call (an incomplete UTF-8 tail), "" when none was asked for.
        public let unstreamedTail: String
        /// The prompt's length in tokens.
        public var promptTokens: Int { completion.promptTokens }
    }

    /// Loads a GGUF model, its tokenizer and (when it has one) its chat template.
    public init(path: String, threads: Int? = nil) throws {
        try self.init(gguf: GGUFFile(path: path), threads: threads)
    }

    /// Builds the chain from an opened GGUF file.
    public init(gguf: GGUFFile, threads: Int? = nil) throws {
        model = try LanguageModel(gguf: gguf)
        tokenizer = try Tokenizer(gguf: gguf)
        chatTemplate = Result(catching: { () throws(TokenizerError) -> ChatTemplate in try ChatTemplate(gguf: gguf) })
        self.threads = threads
    }

    /// The model's chat template; throws when the model has none Aegis can render.
    public func template() throws(TokenizerError) -> ChatTemplate {
        try chatTemplate.get()
    }

    /// The prompt's tokens, with the beginning-of-sequence token when the model
    /// expects one. Throws when they leave no room in the context for one more token.
    public func tokens(for prompt: Prompt) throws -> [TokenID] {
        var tokens: [TokenID]
        switch prompt {
        case let .text(text, parseSpecialTokens):
            tokens = tokenizer.encode(text, parseSpecialTokens: parseSpecialTokens)
        case .chat(let messages):
            tokens = tokenizer.encode(try template().render(messages), parseSpecialTokens: true)
        }
        if tokenizer.addsBOSToken, let bos = tokenizer.bosToken, tokens.first != bos { tokens.insert(bos, at: 0) }
        guard !tokens.isEmpty else { throw InferenceError.emptyInput }
        let available = model.configuration.contextLength
        guard tokens.count < available else { throw InferenceError.contextOverflow(needed: tokens.count + 1, available: available) }
        return tokens
    }

    /// Generates up to `maxTokens` tokens after `prompt` (fewer when the model's
    /// context fills or a stop token is drawn).
    /// - Parameters:
    ///   - chooser: draws each token instead of the plain sampler (the watermark).
    ///   - onText: called after each token with the text it completed ("" while a
    ///     UTF-8 sequence is still partial); returning false stops. Nil skips
    ///     streaming decoding.
    public func generate(_ prompt: [TokenID], maxTokens: Int, sampling: SamplerConfiguration,
                         chooser: (any TokenChooser)? = nil,
                         onText: ((String) -> Bool)? = nil) throws(InferenceError) -> Output {
        let contextLength = model.configuration.contextLength
        guard !prompt.isEmpty else { throw .emptyInput }
        guard prompt.count < contextLength else { throw .contextOverflow(needed: prompt.count + 1, available: contextLength) }
        let maxTokens = max(1, min(maxTokens, contextLength - prompt.count))
        let session = InferenceSession(model: model, contextLength: prompt.count + maxTokens, threadCount: threads)
        let sampler = Sampler(configuration: sampling, chooser: chooser)
        var decoder = StreamingDecoder(tokenizer: tokenizer, skippingControlTokens: true)
        let completion = try session.generate(prompt: prompt, maxTokens: maxTokens, sampler: sampler,
                                              stopTokens: tokenizer.stopTokens) { token in
            guard let onText else { return true }
            return onText(decoder.append(token))
        }
        return Output(completion: completion, text: tokenizer.decode(completion.tokens, skippingControlTokens: true),
                      unstreamedTail: onText == nil ? "" : decoder.finish())
    }
}
