import AegisCore

/// Which scored positions count as repeats, so that one pseudo-random value is never counted twice.
public enum Deduplication: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Aegis's rule: a position is scored the first time its PRF input (context seed, token)
    /// occurs (`PRFInput`); the same context followed by a different token is a new, independent draw.
    case prfInput = "prf-input"
    /// vLLM's detector rule (`deduplicate_contexts=True`): a position is scored only the first
    /// time its context occurs, whatever token follows. Scores fewer tokens than `.prfInput`;
    /// use it to reproduce vLLM's own statistic and p-value exactly.
    case context

    /// Parses "prf-input" or "context" (any case); anything else is an `InvalidInput`.
    public init(parsing text: String) throws(InvalidInput) {
        guard let rule = Deduplication(rawValue: String(text.trimmingWhitespace()).lowercased()) else {
            throw InvalidInput("unknown deduplication '\(text)'; use prf-input (Aegis) or context (vLLM's detector)")
        }
        self = rule
    }

    /// The command-line name.
    public var description: String { rawValue }
}
