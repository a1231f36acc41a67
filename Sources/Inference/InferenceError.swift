import AegisCore

/// What can go wrong while running a model (opening one throws ``GGUFError``).
public enum InferenceError: AegisError, Equatable {
    /// The prompt and completion do not fit the session's context window.
    case contextOverflow(needed: Int, available: Int)
    /// A token id outside the model's vocabulary.
    case tokenOutOfRange(TokenID, vocabularySize: Int)
    /// Nothing to evaluate.
    case emptyInput
    /// A model hyper-parameter Aegis cannot run with.
    case unsupportedShape(String)
    /// More sequences than a ``BatchSession`` holds.
    case batchTooLarge(sequences: Int, capacity: Int)
    /// A batch whose prompts and samplers differ in number.
    case samplerCountMismatch(prompts: Int, samplers: Int)

    public var description: String {
        switch self {
        case let .contextOverflow(needed, available):
            return "the input needs \(needed) positions but the context holds \(available); shorten the prompt or lower --max-tokens"
        case let .tokenOutOfRange(token, size):
            return "token id \(token) is outside the model's vocabulary of \(size); tokenize with this model's tokenizer"
        case .emptyInput:
            return "there are no tokens to evaluate; give a non-empty prompt or text"
        case let .unsupportedShape(what):
            return "the model has \(what), which Aegis cannot run; use a standard llama or qwen2 GGUF"
        case let .batchTooLarge(sequences, capacity):
            return "a batch of \(sequences) sequences does not fit a session made for \(capacity); split the batch or create the session with more sequences"
        case let .samplerCountMismatch(prompts, samplers):
            return "\(prompts) prompts were given with \(samplers) samplers; give one sampler per prompt"
        }
    }
}
