import AegisCore

/// An error of the consortium exchange outside an HTTP answer (bad input files,
/// a missing key, an unreachable peer). The message says what was wrong and
/// what to do.
public struct ConsortiumError: AegisError, Equatable {
    /// One line: what was wrong and what to do.
    public let description: String

    /// Creates an error with its one-line message.
    public init(_ description: String) {
        self.description = description
    }
}
