import AegisCore

/// What can go wrong when reading a tokenizer or a chat template from a model file.
public enum TokenizerError: AegisError, Equatable {
    /// A tokenizer metadata key is missing or has the wrong type; the text says which.
    case invalidMetadata(String)
    /// `tokenizer.ggml.model` names a vocabulary kind Aegis does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer Aegis does not know.
    case unknownPreTokenizer(String)
    /// The vocabulary's arrays are inconsistent; the text says how.
    case malformedVocabulary(String)
    /// The model has no `tokenizer.chat_template`.
    case missingChatTemplate
    /// The chat template is none of the families Aegis renders; holds its first characters.
    case unknownChatTemplate(String)

    /// One line: what was wrong and what to do.
    public var description: String {
        switch self {
        case let .invalidMetadata(reason):
            return "the model's tokenizer metadata is unusable: \(reason)"
        case let .unsupportedModel(name):
            return "tokenizer model '\(name)' is not supported; Aegis reads byte-level BPE vocabularies (tokenizer.ggml.model 'gpt2', e.g. SmolLM2, Llama-3, Qwen2)"
        case let .unknownPreTokenizer(name):
            return "unknown pre-tokenizer '\(name)' (tokenizer.ggml.pre); Aegis supports smollm, gpt2, default, llama3 and qwen2 and their aliases, use a model converted with one of them"
        case let .malformedVocabulary(reason):
            return "the model's vocabulary is malformed: \(reason); convert the model again"
        case .missingChatTemplate:
            return "the model has no chat template (tokenizer.chat_template); pass a plain prompt instead of chat messages"
        case let .unknownChatTemplate(prefix):
            return "unknown chat template starting \"\(prefix)\"; Aegis renders ChatML, Llama-3, Gemma and [INST] (Llama-2/Mistral) templates, pass a plain prompt instead"
        }
    }
}
