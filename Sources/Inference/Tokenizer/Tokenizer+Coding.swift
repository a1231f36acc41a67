import AegisCore

extension Tokenizer {
    /// The token ids of `text`, without a BOS token.
    ///
    /// With `parseSpecialTokens` (the default) the text of a control token,
    /// such as `<|im_start|>`, becomes that token; without it, it is encoded as
    /// plain text. User-defined tokens are always recognised (as in llama.cpp).
    public func encode(_ text: String, parseSpecialTokens: Bool = true) -> [TokenID] {
        encode(text, parseSpecialTokens: parseSpecialTokens, scanLimit: nil)
    }

    /// `encode`, with words longer than `scanLimit` bytes merged by the heap path (for tests).
    func encode(_ text: String, parseSpecialTokens: Bool, scanLimit: Int?) -> [TokenID] {
        var text = text
        return text.withUTF8 { bytes in
            var session = BytePairSession(model: model)
            if let scanLimit { session.scanLimit = scanLimit }
            var output: [TokenID] = []
            output.reserveCapacity(bytes.count / 4 + 4)
            for segment in specialTokens.segments(of: bytes, parseControlTokens: parseSpecialTokens) {
                switch segment {
                case let .token(id):
                    output.append(id)
                case let .text(range):
                    preTokenizer.split(bytes, range) { word in
                        session.encode(UnsafeBufferPointer(rebasing: bytes[word]), into: &output)
                    }
                }
            }
            return output
        }
    }

    /// The raw bytes of `token`'s piece: the UTF-8 it stands for, which may be
    /// part of a character; for control tokens, their text. Empty for an id
    /// outside the vocabulary.
    public func bytes(of token: TokenID) -> [UInt8] {
        guard token >= 0, Int(token) < vocabularySize else { return [] }
        return Array(pieceBytes[Int(pieceStarts[Int(token)])..<Int(pieceStarts[Int(token) + 1])])
    }

    /// The text of `tokens`. Bytes that do not form valid UTF-8 (a character
    /// cut at the end, or an invalid sequence) become U+FFFD. Control tokens
    /// appear as their text unless `skippingControlTokens`; ids outside the
    /// vocabulary are skipped.
    public func decode(_ tokens: some Collection<TokenID>, skippingControlTokens: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens.count * 4)
        for token in tokens {
            guard token >= 0, Int(token) < vocabularySize else { continue }
            if skippingControlTokens, isControl(token) { continue }
            appendBytes(of: token, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    func appendBytes(of token: TokenID, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: pieceBytes[Int(pieceStarts[Int(token)])..<Int(pieceStarts[Int(token) + 1])])
    }
}
