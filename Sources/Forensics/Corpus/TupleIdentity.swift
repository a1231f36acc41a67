import AegisCore

/// What makes two scored tuples the same PRF input, for corpus-level deduplication.
///
/// A (context window, token) tuple is one draw of the watermark's PRF only through
/// the input the PRF sees, (seed, token): under SelfHash seeding many different
/// windows give the same seed (the min-hash over the window and the token), so
/// deduplicating on the window text would count one pseudo-random value several
/// times and the binomial/Gamma null would no longer hold. Two tuples are the same
/// exactly when their PRF outputs are the same.
public struct TupleIdentity: Hashable, Sendable {
    /// The scored token.
    public let token: TokenID
    /// The PRF seed of the input (`Watermark.PRFInput.seed`).
    public let fingerprint: UInt64

    /// An identity from its parts.
    public init(token: TokenID, fingerprint: UInt64) {
        self.token = token
        self.fingerprint = fingerprint
    }
}
