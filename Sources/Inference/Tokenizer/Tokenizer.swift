import AegisCore

/// A byte-level BPE tokenizer read from a GGUF file's metadata, producing the
/// same token ids as llama.cpp for the same file.
///
/// Encoding: special tokens are cut out first (when parsed), the remaining
/// text is split into words by the model's ``PreTokenizer``, and each word's
/// UTF-8 bytes are merged by the vocabulary's ranked merge rules. Decoding
/// concatenates the tokens' bytes. The value is immutable and `Sendable`;
/// share one instance between threads.
public struct Tokenizer: Sendable {
    /// Number of tokens in the vocabulary.
    public let vocabularySize: Int
    /// The beginning-of-sequence token, if the model has one.
    public let bosToken: TokenID?
    /// The end-of-sequence token, if the model has one.
    public let eosToken: TokenID?
    /// The token that ends a chat turn (e.g. `<|im_end|>`, `<|eot_id|>`), if the model has one.
    public let endOfTurnToken: TokenID?
    /// Every token after which generation should stop: end of sequence, of turn, of message.
    public let stopTokens: Set<TokenID>
    /// Whether the model expects its BOS token in front of every prompt
    /// (`tokenizer.ggml.add_bos_token`); ``encode(_:parseSpecialTokens:)`` never adds it.
    public let addsBOSToken: Bool
    /// How text is split into words before merging.
    public let preTokenizer: PreTokenizer

    let model: BytePairModel
    let specialTokens: SpecialTokenMatcher
    /// Bytes of every token's piece, concatenated; token `i` is `pieceBytes[pieceStarts[i]..<pieceStarts[i + 1]]`.
    let pieceBytes: [UInt8]
    let pieceStarts: [Int32]
    /// `tokenizer.ggml.token_type` per token (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).
    let tokenTypes: [UInt8]

    /// Reads the vocabulary, merges, token types and special token ids from `gguf`.
    public init(gguf: GGUFFile) throws(TokenizerError) {
        try self.init(gguf: gguf, overridingPreTokenizer: nil)
    }

    /// Reads the tokenizer from `gguf` but splits words with `preTokenizer`
    /// instead of the one the file names (for files converted with a wrong
    /// or missing `tokenizer.ggml.pre`); nil keeps the file's.
    public init(gguf: GGUFFile, overridingPreTokenizer override: PreTokenizer?) throws(TokenizerError) {
        let modelName = try Self.metadata { () throws(GGUFError) in try gguf.string("tokenizer.ggml.model") }
        guard modelName == "gpt2" else { throw .unsupportedModel(modelName) }
        let preTokenizer: PreTokenizer
        if let override {
            preTokenizer = override
        } else {
            preTokenizer = try PreTokenizer(ggmlName: gguf.metadata["tokenizer.ggml.pre"]?.string)
        }

        let tokenValues = try Self.metadata { () throws(GGUFError) in try gguf.array("tokenizer.ggml.tokens") }
        var texts: [String] = []
        texts.reserveCapacity(tokenValues.count)
        for (id, value) in tokenValues.enumerated() {
            guard let text = value.string else { throw .malformedVocabulary("token \(id) is not a string") }
            texts.append(text.isEmpty ? "[EMPTY_\(id)]" : text)
        }
        guard !texts.isEmpty, texts.count < Int(Int32.max) else {
            throw .malformedVocabulary("it has \(texts.count) tokens")
        }

        var types = [UInt8](repeating: 1, count: texts.count)
        if let typeValues = gguf.metadata["tokenizer.ggml.token_type"]?.array {
            guard typeValues.count == texts.count else {
                throw .malformedVocabulary("\(typeValues.count) token types for \(texts.count) tokens")
            }
            for (id, value) in typeValues.enumerated() { types[id] = UInt8(clamping: value.int ?? 1) }
        }

        let merges = try Self.metadata { () throws(GGUFError) in try gguf.array("tokenizer.ggml.merges") }
        var rules: [String] = []
        rules.reserveCapacity(merges.count)
        for (index, value) in merges.enumerated() {
            guard let rule = value.string else { throw .malformedVocabulary("merge \(index) is not a string") }
            rules.append(rule)
        }

        func specialID(_ key: String) -> TokenID? {
            guard let id = gguf.metadata[key]?.int, id >= 0, id < texts.count else { return nil }
            return TokenID(id)
        }
        // llama.cpp finds the end-of-turn token by name when the file does not
        // say; the names are in order of preference (a turn's end before the text's).
        let endOfTurnNames = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<EOT>", "_<EOT>",
                              "<｜end▁of▁sentence｜>", "<|endoftext|>", "<|end_of_text|>"]
        var stops = Set([specialID("tokenizer.ggml.eos_token_id"), specialID("tokenizer.ggml.eot_token_id"),
                         specialID("tokenizer.ggml.eom_token_id")].compactMap { $0 })
        var named: [String: TokenID] = [:]
        for (id, text) in texts.enumerated() where endOfTurnNames.contains(text) || text == "<|eom_id|>" {
            if types[id] == 1 { types[id] = 3 }  // llama.cpp overrides such tokens to control
            stops.insert(TokenID(id))
            named[text] = TokenID(id)
        }
        let endOfTurn = specialID("tokenizer.ggml.eot_token_id") ?? endOfTurnNames.lazy.compactMap { named[$0] }.first

        var pieceBytes: [UInt8] = []
        var pieceStarts: [Int32] = [0]
        pieceStarts.reserveCapacity(texts.count + 1)
        for (id, text) in texts.enumerated() {
            switch types[id] {
            case 1, 6: pieceBytes.append(contentsOf: ByteLevelAlphabet.bytes(ofTokenText: text))
            default: pieceBytes.append(contentsOf: text.utf8)  // control, user-defined, unknown: their text
            }
            pieceStarts.append(Int32(pieceBytes.count))
        }
        guard pieceBytes.count < Int(Int32.max) else { throw .malformedVocabulary("its token texts are too long") }
        let starts = pieceStarts

        self.vocabularySize = texts.count
        self.bosToken = specialID("tokenizer.ggml.bos_token_id")
        self.eosToken = specialID("tokenizer.ggml.eos_token_id")
        self.endOfTurnToken = endOfTurn
        self.stopTokens = stops
        self.addsBOSToken = gguf.metadata["tokenizer.ggml.add_bos_token"].flatMap {
            if case let .bool(flag) = $0 { return flag } else { return nil }
        } ?? (preTokenizer == .llama3)
        self.preTokenizer = preTokenizer
        self.tokenTypes = types
        self.pieceBytes = pieceBytes
        self.pieceStarts = pieceStarts
        var model = BytePairModel(
            tokenTexts: texts, merges: rules, ignoresMergesForWholeWords: preTokenizer == .llama3,
            pieceBytes: { id in Array(pieceBytes[Int(starts[id])..<Int(starts[id + 1])]) })
        model.learn(texts.indices.filter { types[$0] == 1 }.map { Array(pieceBytes[Int(starts[$0])..<Int(starts[$0 + 1])]) })
        self.model = model
        self.specialTokens = SpecialTokenMatcher(
            texts.indices.compactMap { id in
                switch types[id] {
                case 2, 3: return (Int32(id), texts[id], false)
                case 4: return (Int32(id), texts[id], true)
                default: return nil
                }
            })
    }

    /// Whether `token` is a control token (e.g. `<|im_start|>`): it has no text of its own.
    public func isControl(_ token: TokenID) -> Bool {
        guard token >= 0, Int(token) < vocabularySize else { return false }
        return tokenTypes[Int(token)] == 3
    }

    private static func metadata<T>(_ read: () throws(GGUFError) -> T) throws(TokenizerError) -> T {
        do { return try read() } catch { throw .invalidMetadata(error.description) }
    }
}
