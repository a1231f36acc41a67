/// Draft selection's settings (`aegis serve --upstream … --select-candidates K`).
///
/// For each answer, or each segment of ``segmentTokens`` tokens, the gateway asks
/// the model server for ``candidates`` samples and returns the one whose
/// watermark score for the account's payload is highest (Giboulot & Furon 2024,
/// "WaterMax"). Every answer is a real sample of the model, so its quality is the
/// model's; the cost is K times the upstream's tokens.
public struct DraftSelection: Sendable, Equatable {
    /// How to get K samples from the model server.
    public enum Sampling: String, Sendable, CaseIterable {
        /// Ask with `n = K` first; if the server refuses or answers fewer choices,
        /// ask K requests with distinct seeds from then on.
        case auto
        /// Always one request with `n = K`.
        case n
        /// Always K requests with distinct seeds (llama.cpp's server refuses `n` ≠ 1).
        case seeds
    }

    /// Candidates per answer or segment, K ≥ 1 (1 is plain serving, marked by nothing).
    public var candidates: Int
    /// Tokens per segment; nil selects among whole answers.
    public var segmentTokens: Int?
    /// How the K samples are asked for.
    public var sampling: Sampling

    /// Creates settings.
    public init(candidates: Int, segmentTokens: Int? = nil, sampling: Sampling = .auto) {
        self.candidates = candidates
        self.segmentTokens = segmentTokens
        self.sampling = sampling
    }

    /// Checks the numbers; a one-line error that says what to give.
    public func validate() throws(GatewayError) {
        guard (1...64).contains(candidates) else {
            throw .badRequest("--select-candidates must be between 1 and 64 (got \(candidates))")
        }
        if let segmentTokens, !(4...4096).contains(segmentTokens) {
            throw .badRequest("--select-segment must be between 4 and 4096 tokens (got \(segmentTokens)); leave it out to select whole answers")
        }
    }
}
