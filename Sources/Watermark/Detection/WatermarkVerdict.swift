/// The outcome of testing one text for the watermark.
///
/// `pValue` is the probability that text written without the key scores at
/// least this high; it is exact (no normal approximation). With a payload the
/// message is decoded and `pValue` already includes the correction for having
/// tried all 2^b messages, so it can be thresholded the same way.
public struct WatermarkVerdict: Codable, Sendable, Hashable {
    /// Probability of a score at least this high in unwatermarked text.
    public var pValue: Double
    /// The test statistic, normalised so that unwatermarked text scores near a
    /// fixed value: KGW the green fraction (≈ γ), Gumbel the mean of −log(1−r) (≈ 1),
    /// SynthID the mean g-value over tokens and layers (≈ 0.5).
    public var score: Double
    /// Tokens that entered the test: one per distinct (context window, token) PRF input, prompt windows excluded.
    public var scoredTokens: Int
    /// Tokens in the text tested.
    public var totalTokens: Int
    /// The decoded b-bit message, when the configuration has `payloadBits` > 0.
    public var payload: UInt32?
    /// p-value of the decoded message, corrected for the 2^b messages tried: 1 − (1 − p_min)^(2^b).
    public var payloadPValue: Double?

    /// A verdict from its parts.
    public init(pValue: Double, score: Double, scoredTokens: Int, totalTokens: Int,
                payload: UInt32? = nil, payloadPValue: Double? = nil) {
        self.pValue = pValue
        self.score = score
        self.scoredTokens = scoredTokens
        self.totalTokens = totalTokens
        self.payload = payload
        self.payloadPValue = payloadPValue
    }

    /// The JSON names of the `aegis detect` contract.
    enum CodingKeys: String, CodingKey {
        case pValue = "p_value"
        case score
        case scoredTokens = "scored_tokens"
        case totalTokens = "total_tokens"
        case payload
        case payloadPValue = "payload_p_value"
    }
}

/// The outcome of windowed detection: the most significant window, with its
/// p-value corrected for the number of windows tried (Bonferroni).
public struct WindowedVerdict: Codable, Sendable, Hashable {
    /// The best window's verdict; its `pValue` (and `payloadPValue`) are Bonferroni-corrected.
    public var verdict: WatermarkVerdict
    /// Token offset where the best window starts.
    public var start: Int
    /// Token offset just past the best window.
    public var end: Int
    /// Number of windows tested (the Bonferroni factor).
    public var windows: Int
    /// The best window's p-value before the correction.
    public var uncorrectedPValue: Double

    /// A windowed verdict from its parts.
    public init(verdict: WatermarkVerdict, start: Int, end: Int, windows: Int, uncorrectedPValue: Double) {
        self.verdict = verdict
        self.start = start
        self.end = end
        self.windows = windows
        self.uncorrectedPValue = uncorrectedPValue
    }

    enum CodingKeys: String, CodingKey {
        case verdict, start, end, windows
        case uncorrectedPValue = "uncorrected_p_value"
    }
}
