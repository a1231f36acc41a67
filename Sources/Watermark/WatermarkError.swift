import AegisCore

/// Why a text cannot be tested for the watermark.
public enum WatermarkError: AegisError, Equatable {
    /// No tokens at all.
    case emptyText
    /// Fewer tokens than one context window plus the token it seeds.
    case textTooShort(tokens: Int, needed: Int)
    /// Decoding a payload of this many bits over this many tokens would take too long.
    case payloadTooCostly(bits: Int, tokens: Int)
    /// A windowed detection asked for a window of no tokens.
    case invalidWindow(length: Int)

    /// One line: what was wrong and what to do.
    public var description: String {
        switch self {
        case .emptyText:
            return "the text to test is empty; pass the text on stdin or with --input"
        case let .textTooShort(tokens, needed):
            return "the text has \(tokens) token(s) but detection needs at least \(needed) (one context window plus a token); pass a longer text or a smaller --context"
        case let .payloadTooCostly(bits, tokens):
            return "decoding a \(bits)-bit payload over \(tokens) tokens needs more than 2^28 PRF evaluations; use fewer --payload-bits (each bit doubles the cost) or test a list of candidate payloads"
        case let .invalidWindow(length):
            return "the detection window must hold at least one token (got \(length))"
        }
    }
}
