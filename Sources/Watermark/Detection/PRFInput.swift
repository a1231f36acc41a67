import AegisCore

/// What the keyed PRF sees at one scored position: the context seed and the token.
///
/// This is the deduplication identity of a scored tuple. Two positions with the same
/// `PRFInput` read the same pseudo-random output, so counting both would count one
/// random value twice; the detector scores each input once per text (and once per
/// corpus in `WatermarkDetector.detect(corpus:)`). Distinct windows can share an input:
/// with SelfHash the seed is the minimum anchor hash over the window and the token, so
/// every window whose minimum falls on the same token shares it. Corpus-level tests
/// should deduplicate on this identity, not on the (window, token) n-gram the text shows.
public struct PRFInput: Hashable, Sendable {
    /// The 64-bit seed derived from the context window (and, for SelfHash, the token).
    public var seed: UInt64
    /// The scored token.
    public var token: TokenID

    /// An input from its parts.
    public init(seed: UInt64, token: TokenID) {
        self.seed = seed
        self.token = token
    }
}
