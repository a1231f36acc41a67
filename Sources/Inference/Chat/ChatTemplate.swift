/// A model's chat format, recognised from the Jinja text in `tokenizer.chat_template`.
///
/// Aegis does not run Jinja: it recognises the common template families by
/// their markers (as llama.cpp does without `--jinja`) and renders them in
/// Swift, mirroring the template's own logic for the details that change the
/// tokens, such as a default system prompt. The rendered text contains the
/// control tokens as text (encode it with special tokens parsed) and never the
/// BOS token (prepend it when ``Tokenizer/addsBOSToken`` says so).
public struct ChatTemplate: Sendable {
    /// The template families Aegis renders.
    public enum Family: String, Sendable, Equatable {
        /// `<|im_start|>role\n…<|im_end|>\n` (SmolLM2, Qwen2, Hermes…).
        case chatML
        /// `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>` (Llama 3).
        case llama3
        /// `<start_of_turn>user\n…<end_of_turn>\n`, assistant as "model", no system role (Gemma).
        case gemma
        /// `[INST] <<SYS>>…<</SYS>> … [/INST] …</s>` (Llama 2 and variants).
        case llama2
        /// `[INST] … [/INST] …</s>` (Mistral v1/v3 and Tekken).
        case mistral
    }

    /// Spacing and trimming details that distinguish members of a family.
    struct Variant: Sendable, Equatable {
        /// Llama 2: `<<SYS>>` blocks; else a system message is plain text in the first turn.
        var systemBlocks = false
        /// Llama 2: `<s>` before every `[INST]` after the first.
        var bosInsideHistory = false
        /// Llama 2: message text is trimmed.
        var stripsMessages = false
        /// Mistral: a space before `[INST]` and `[/INST]` (v1).
        var spaceBeforeMarkers = false
        /// Mistral: a space after `[INST]` and before answers (v1, v3; not Tekken).
        var spaceAfterMarkers = true
        /// Mistral: answers are trimmed (v3).
        var trimsAnswers = false
    }

    /// The family the template belongs to.
    public let family: Family
    /// The system prompt the template inserts when the conversation does not
    /// start with a system message (ChatML templates such as SmolLM2's and
    /// Qwen2's); set it to nil to render without one.
    public var defaultSystemPrompt: String?
    /// The template's Jinja text, as read.
    public let source: String
    let variant: Variant

    /// Reads and recognises `tokenizer.chat_template` from `gguf`.
    public init(gguf: GGUFFile) throws(TokenizerError) {
        guard let template = gguf.metadata["tokenizer.chat_template"]?.string else { throw .missingChatTemplate }
        try self.init(template: template)
    }

    /// Recognises a chat template from its Jinja text.
    public init(template: String) throws(TokenizerError) {
        let recognised = try Self.recognise(template)
        family = recognised.family
        variant = recognised.variant
        defaultSystemPrompt = recognised.defaultSystemPrompt
        source = template
    }
}
