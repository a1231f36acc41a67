/// An error a person can act on.
///
/// Every error that reaches a user (a CLI message, an HTTP error body) conforms
/// to this protocol. Its ``description`` is one line that says what was wrong
/// and what to do about it, e.g. "the key must be 64 hex digits (got 12); create
/// one with `aegis keys new`". The CLI prints it as is and exits non-zero.
public protocol AegisError: Error, CustomStringConvertible, Sendable {}

/// An input that cannot be used, with the reason and the remedy in one line.
///
/// Use it for simple validation failures that do not deserve a dedicated enum;
/// modules with richer failure modes define their own `AegisError` enums.
public struct InvalidInput: AegisError, Equatable {
    /// The one-line message shown to the user.
    public let description: String

    /// Creates an error with a one-line message that says what was wrong and what to do.
    public init(_ description: String) {
        self.description = description
    }
}
