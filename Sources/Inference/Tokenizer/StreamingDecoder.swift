import AegisCore

/// Turns tokens into text one at a time, for streaming output.
///
/// A token may end inside a multi-byte character (emoji and CJK often span
/// two or three tokens). The decoder holds such an incomplete tail back and
/// emits it once the character is complete, so concatenating everything
/// ``append(_:)`` and ``finish()`` return equals decoding all tokens at once.
public struct StreamingDecoder: Sendable {
    private let tokenizer: Tokenizer
    private let skippingControlTokens: Bool
    private var pending: [UInt8] = []

    /// A decoder for `tokenizer`'s tokens; control tokens are written as their
    /// text unless `skippingControlTokens`.
    public init(tokenizer: Tokenizer, skippingControlTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skippingControlTokens = skippingControlTokens
    }

    /// Adds one token and returns the text that is now complete (often empty
    /// while a character is still incomplete).
    public mutating func append(_ token: TokenID) -> String {
        guard token >= 0, Int(token) < tokenizer.vocabularySize else { return "" }
        if skippingControlTokens, tokenizer.isControl(token) { return "" }
        tokenizer.appendBytes(of: token, to: &pending)
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns whatever is held back (an incomplete character becomes U+FFFD) and resets.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Bytes held back because they may begin a character not yet complete.
    public var pendingByteCount: Int { pending.count }

    /// The length of `bytes` without a trailing incomplete-but-valid-so-far UTF-8 sequence.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        // Look back at most three bytes for the lead byte of the last sequence.
        var index = bytes.count - 1
        var continuations = 0
        while index >= 0, continuations < 3, bytes[index] & 0xC0 == 0x80 {
            index -= 1
            continuations += 1
        }
        guard index >= 0 else { return bytes.count }
        let lead = bytes[index]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 1
        case 0xE0...0xEF: needed = 2
        case 0xF0...0xF4: needed = 3
        default: return bytes.count  // ASCII, or invalid: nothing to wait for
        }
        return continuations < needed ? index : bytes.count
    }
}
