/// Things wrong with an exchange that the detector counts and reads past:
/// bad input is evidence to report, never a reason to stop.
public struct InputProblems: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: UInt8
    /// Creates a set from its bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// No `messages`, `prompt` or `input` (or an empty `messages`).
    public static let missingPrompt = InputProblems(rawValue: 1)
    /// Assistant tool calls in the history with no tool result answering them.
    public static let unansweredToolCalls = InputProblems(rawValue: 2)
    /// `max_tokens` negative, fractional or above 1,048,576.
    public static let absurdMaxTokens = InputProblems(rawValue: 4)
    /// Fields the exchange-log contract does not define (kept, counted).
    public static let unknownFields = InputProblems(rawValue: 8)

    /// Every problem with its name, for reports.
    public static let named: [(InputProblems, String)] = [
        (.missingPrompt, "missing prompt"), (.unansweredToolCalls, "tool calls without results"),
        (.absurdMaxTokens, "absurd max_tokens"), (.unknownFields, "unknown fields"),
    ]
}
